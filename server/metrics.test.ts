import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/server/helpers.js';
import { PauseMeter } from './metrics.js';

describe('GET /metrics', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server?.cleanup();
    server = null;
  });

  it('answers with the server figures when metrics are on, and is absent when off', async () => {
    server = await startServer({ metrics: true });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m).toMatchObject({ connections: 0, rooms: 0, acts: 0, encodes: expect.any(Number), actHandleUs: null });
    expect(m.rss).toBeGreaterThan(0);
    expect(m.pauses).toMatchObject({ minorGcs: expect.any(Number), majorGcs: expect.any(Number), gcMaxMs: expect.any(Number), loopDelayMax: expect.any(Number) });
    await server.stop();
    server.cleanup();
    server = await startServer();
    expect((await fetch(`${server.url}/metrics`)).status).not.toBe(200);
  });
});

describe('PauseMeter', () => {
  it('sees the loop blocked, then starts over after a read', async () => {
    const m = new PauseMeter();
    try {
      await new Promise((r) => setTimeout(r, 20));
      await new Promise<void>((r) => setTimeout(() => {
        const until = performance.now() + 40;
        while (performance.now() < until) { /* block the loop */ }
        r();
      }, 5));
      await new Promise((r) => setTimeout(r, 20));
      expect(m.read().loopDelayMax).toBeGreaterThanOrEqual(30);
      const after = m.read();
      expect(after.loopDelayMax).toBeLessThan(30);
      expect(after.gcMs).toBe(0);
    } finally {
      m.stop();
    }
  });
});
