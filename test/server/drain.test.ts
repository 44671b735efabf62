// Graceful SIGTERM of the real server (a child process): readiness (GET /api/ready) turns
// false while the node is still up and its clients still connected (liveness stays true),
// then the node closes its clients' connections — they see a transport close, after which
// socket.io clients reconnect by themselves — and exits with 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, killChildServers, startChildServer } from '../child-server.js';

let dir = '';
afterEach(() => {
  killChildServers();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as { ok: boolean; error?: { code: string; reason?: string } } };
};

describe('drain on SIGTERM', () => {
  it('readiness false first (clients still connected, liveness true), then the clients are let go, then exit 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reaplab-drain-'));
    const { child, url } = await startChildServer(dir, { REAPLAB_DRAIN_DELAY_MS: '3000' });
    expect(await get(`${url}/api/ready`)).toEqual({ status: 200, body: { ok: true, data: { ready: true } } });
    const socket = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const closed = new Promise<string>((r) => socket.once('disconnect', (reason) => r(reason)));

    child.kill('SIGTERM');
    let ready = await get(`${url}/api/ready`);
    while (ready.status === 200) ready = await get(`${url}/api/ready`);
    expect(ready).toMatchObject({ status: 503, body: { ok: false, error: { code: 'unavailable', reason: 'draining' } } });
    expect(socket.connected).toBe(true);
    expect((await get(`${url}/api/health`)).status).toBe(200);

    expect(await closed).toBe('transport close');
    await exited(child);
    expect(child.exitCode).toBe(0);
  });
});
