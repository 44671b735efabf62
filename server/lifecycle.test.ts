import { describe, expect, it } from 'vitest';
import { NodeLifecycle } from './lifecycle.js';
import { silentLog } from './log.js';

describe('node lifecycle: readiness and drain', () => {
  it('is ready while the store answers, not when it fails or does not answer in time', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const l = new NodeLifecycle({
      log: silentLog,
      pingTimeoutMs: 50,
      ping: () => (mode === 'ok' ? Promise.resolve() : mode === 'fail' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise<void>(() => {})),
    });
    expect(await l.readiness()).toEqual({ ready: true });
    mode = 'fail';
    expect(await l.readiness()).toMatchObject({ ready: false, reason: 'store_unreachable' });
    mode = 'hang';
    expect(await l.readiness()).toMatchObject({ ready: false, reason: 'store_unreachable' });
  });

  it('sends one ping at a time while the store is slow, and is ready once it answers', async () => {
    let sent = 0;
    let answer: () => void = () => {};
    const l = new NodeLifecycle({
      log: silentLog,
      pingTimeoutMs: 20,
      ping: () => { sent++; return new Promise<void>((res) => { answer = res; }); },
    });
    const probes = await Promise.all(Array.from({ length: 5 }, () => l.readiness()));
    expect(probes.every((r) => !r.ready)).toBe(true);
    expect(await l.readiness()).toMatchObject({ ready: false, reason: 'store_unreachable' });
    expect(sent).toBe(1); // six probes, one query waiting in the store's pool
    answer();
    await Promise.resolve();
    const next = l.readiness();
    answer(); // the next probe's own ping
    expect(await next).toEqual({ ready: true });
    expect(sent).toBe(2);
  });

  it('gives up a ping that never answers and sends a new one', async () => {
    let sent = 0;
    const l = new NodeLifecycle({ log: silentLog, pingTimeoutMs: 10, stalePingMs: 30, ping: () => { sent++; return sent === 1 ? new Promise<void>(() => {}) : Promise.resolve(); } });
    expect((await l.readiness()).ready).toBe(false);
    await new Promise((r) => setTimeout(r, 40));
    expect(await l.readiness()).toEqual({ ready: true });
    expect(sent).toBe(2);
  });

  it('a drain turns readiness false before its first step, runs the steps in order, and goes on past a failing one', async () => {
    const l = new NodeLifecycle({ log: silentLog, ping: () => Promise.resolve() });
    const seen: string[] = [];
    await l.drain([
      { name: 'hand over', run: async () => { seen.push(`hand over (ready: ${(await l.readiness()).ready})`); } },
      { name: 'broken', run: () => { throw new Error('boom'); } },
      { name: 'close', run: () => { seen.push('close'); } },
    ]);
    expect(seen).toEqual(['hand over (ready: false)', 'close']);
    expect(await l.readiness()).toMatchObject({ ready: false, reason: 'draining' });
    // A second signal does not run the steps again.
    await l.drain([{ name: 'again', run: () => { seen.push('again'); } }]);
    expect(seen).toEqual(['hand over (ready: false)', 'close']);
  });
});
