import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/server/helpers.js';

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
    await server.stop();
    server.cleanup();
    server = await startServer();
    expect((await fetch(`${server.url}/metrics`)).status).not.toBe(200);
  });
});
