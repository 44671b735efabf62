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
    mode = 'ok';
    expect(await l.readiness()).toEqual({ ready: true });
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
