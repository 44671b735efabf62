// Cheap requests that would cost the server a lot, refused at the edge: foreign origins,
// connections and creations per address (X-Forwarded-For believed only from a trusted
// proxy), code guessing, new custom scenarios past the graph cache's budget, notebook parts
// before a join. Each attack is refused with its typed answer and leaves nothing stored.

import Database from 'better-sqlite3';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, makeScenario, type Scenario } from '../../engine/index.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { NOTEBOOK_FRAME_MAX, NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';
import { GRAPH_BUDGET } from '../../server/graphs.js';
import { nbSocket, rawEmit } from '../notebook/helpers.js';
import { connect, ok, startServer, type Client, type ClientSocket, type TestServer } from './helpers.js';

let server: TestServer | null = null;
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) c();
  if (server) {
    await server.stop();
    server.cleanup();
    server = null;
  }
});

/** A raw connection with the headers an attacker chooses; resolves connected, or with the refusal. */
function dial(url: string, headers: Record<string, string> = {}, transport: 'websocket' | 'polling' = 'websocket'): Promise<{ socket: ClientSocket; error: string | null }> {
  const socket: ClientSocket = ioClient(url, { transports: [transport], reconnection: false, forceNew: true, extraHeaders: headers });
  closers.push(() => socket.disconnect());
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, error: null }));
    socket.once('connect_error', (e: Error & { context?: unknown; description?: unknown }) => resolve({ socket, error: String(e.message) }));
  });
}

async function client(url: string): Promise<Client> {
  const c = await connect(url);
  closers.push(() => c.close());
  return c;
}

const count = (table: string) => {
  const db = new Database(server!.dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const custom = (maxAttempts: number) => ({ variant: 'tetsuo-timeout' as const, config: 'mlocked' as const, overrides: { maxAttempts } });

describe('the socket handshake', () => {
  it('refuses a foreign Origin (WebSocket and polling) and accepts the site’s own', async () => {
    server = await startServer();
    const foreign = await dial(server.url, { Origin: 'https://evil.example' });
    expect(foreign.error).not.toBeNull();
    const foreignPolling = await dial(server.url, { Origin: 'https://evil.example' }, 'polling');
    expect(foreignPolling.error).not.toBeNull();
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('may not open a connection');
    expect(server.app.io.engine.clientsCount).toBe(0);
    const own = await dial(server.url, { Origin: server.url });
    expect(own.error).toBeNull();
    expect(server.app.io.engine.clientsCount).toBe(1);
  });

  it('accepts exactly the configured origins when REAPLAB_ORIGINS is set', async () => {
    server = await startServer({ limits: { origins: ['https://reaplab.example.org'] } });
    expect((await dial(server.url, { Origin: 'https://reaplab.example.org' })).error).toBeNull();
    expect((await dial(server.url, { Origin: server.url })).error).not.toBeNull();
    expect((await dial(server.url, { Origin: 'https://reaplab.example.org.evil.example' })).error).not.toBeNull();
  });

  it('sends the site’s security headers on polling answers', async () => {
    server = await startServer();
    const site = await fetch(`${server.url}/api/health`);
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    for (const h of ['content-security-policy', 'x-content-type-options', 'strict-transport-security', 'referrer-policy', 'cross-origin-opener-policy', 'x-frame-options']) {
      expect(res.headers.get(h), h).toBe(site.headers.get(h));
      expect(res.headers.get(h), h).toBeTruthy();
    }
  });
});

describe('connections per address', () => {
  it('keeps an address to its limit, whatever X-Forwarded-For it sends, and frees a place when one closes', async () => {
    server = await startServer({ limits: { connectionsPerAddress: 3 } });
    const conns = [];
    for (let i = 0; i < 3; i++) conns.push(await dial(server.url, { 'X-Forwarded-For': `10.0.0.${i}` }));
    expect(conns.map((c) => c.error)).toEqual([null, null, null]);
    const fourth = await dial(server.url, { 'X-Forwarded-For': '10.9.9.9' });
    expect(fourth.error).not.toBeNull();
    expect(server.app.io.engine.clientsCount).toBe(3);
    conns[0]!.socket.disconnect();
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (server!.app.io.engine.clientsCount === 2) { clearInterval(t); resolve(); } }, 5); });
    expect((await dial(server.url)).error).toBeNull();
  });

  it('behind a trusted proxy counts the forwarded address instead', async () => {
    server = await startServer({ limits: { connectionsPerAddress: 2, trustProxy: 'loopback' } });
    const a = [await dial(server.url, { 'X-Forwarded-For': '198.51.100.7' }), await dial(server.url, { 'X-Forwarded-For': '198.51.100.7' })];
    expect(a.map((c) => c.error)).toEqual([null, null]);
    expect((await dial(server.url, { 'X-Forwarded-For': '198.51.100.7' })).error).not.toBeNull();
    expect((await dial(server.url, { 'X-Forwarded-For': '198.51.100.8' })).error).toBeNull();
  });
});

describe('creations per connection and per address', () => {
  it('refuses a connection’s room:create past its allowance, and another connection of the address past the address’s; nothing is stored', async () => {
    server = await startServer({ limits: { createsPerConnection: { burst: 2, perMinute: 1 }, createsPerAddress: { burst: 3, perMinute: 1 } } });
    const a = await client(server.url);
    await a.create('Ann');
    await a.create('Ann');
    const rooms = count('rooms');
    const r = await a.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ann', lesson: 'fixture-oops' });
    expect(r.ok ? 'ok' : r.error.code).toBe('rate_limited');
    expect(r.ok ? '' : r.error.message).toMatch(/this connection .* try again in \d+ s/);
    const b = await client(server.url);
    await b.create('Ben');
    const r2 = await b.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ben', scenario: custom(7) });
    expect(r2.ok ? 'ok' : r2.error.code).toBe('rate_limited');
    expect(r2.ok ? '' : r2.error.message).toMatch(/from your address/);
    expect(count('rooms')).toBe(rooms + 1);
    // A refused create left the connection where it was: still in its room.
    expect(ok(await a.call('game:mode', { mode: 'scheduler' }))).toBeDefined();
  });

  it('refuses class:create past the address’s allowance, storing no class', async () => {
    server = await startServer({ limits: { createsPerAddress: { burst: 2, perMinute: 1 } } });
    const t = await client(server.url);
    const make = () => t.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms T', lesson: 'fixture-oops', grouping: 'auto', mode: 'race' });
    const first = await make();
    expect(first.ok, JSON.stringify(first)).toBe(true);
    expect((await make()).ok).toBe(true);
    const classes = count('classes');
    const third = await make();
    expect(third.ok ? 'ok' : third.error.code).toBe('rate_limited');
    expect(count('classes')).toBe(classes);
  });

  it('refuses creating notebooks past the address’s allowance; joining existing ones goes on', async () => {
    server = await startServer({ limits: { createsPerAddress: { burst: 2, perMinute: 1 } } });
    const join = async (id: string) => {
      const s = nbSocket(server!.url);
      closers.push(() => s.disconnect());
      s.connect();
      return rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id, name: 'Eve' });
    };
    expect((await join('free-aaaa')).ok).toBe(true);
    expect((await join('free-bbbb')).ok).toBe(true);
    const before = count('notebooks');
    const third = await join('free-cccc');
    expect(third.ok ? 'ok' : third.error.code).toBe('rate_limited');
    expect(count('notebooks')).toBe(before);
    expect((await join('free-aaaa')).ok).toBe(true);
  });
});

describe('code lookups', () => {
  it('are rate-limited per address (429 with Retry-After), whatever X-Forwarded-For says', async () => {
    server = await startServer({ limits: { codeLookups: { burst: 3, perMinute: 1 } } });
    const look = (xff: string) => fetch(`${server!.url}/api/codes/ABCDEF`, { headers: { 'X-Forwarded-For': xff } });
    for (let i = 0; i < 3; i++) expect((await look(`10.0.0.${i}`)).status).toBe(200);
    const refused = await look('10.0.0.99');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // Other endpoints are not affected.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('share one allowance of misses with room:join, class:join and room notebooks over the socket; hits cost nothing', async () => {
    server = await startServer({ limits: { codeLookups: { burst: 3, perMinute: 1 } } });
    const host = await client(server.url);
    const { room } = await host.create('Hal');
    // Looking up a real code, however often, takes nothing.
    for (let i = 0; i < 5; i++) expect(await (await fetch(`${server.url}/api/codes/${room.code}`)).json()).toMatchObject({ data: { kind: 'room' } });
    const eve = await client(server.url);
    const guess = (code: string) => eve.call('room:join', { protocol: PROTOCOL_VERSION, code, name: 'Eve' });
    const codes = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    expect(codes(await guess('ZZZZZZ'))).toBe('unknown_room');
    expect(codes(await guess('ZZZZZY'))).toBe('unknown_room');
    const s = nbSocket(server.url);
    closers.push(() => s.disconnect());
    s.connect();
    expect(codes(await rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id: 'room-ZZZZZX', name: 'Eve' }))).toBe('unknown_notebook');
    // Three misses: the address now waits, for a real code too, on every path.
    expect(codes(await guess(room.code))).toBe('rate_limited');
    expect(codes(await eve.call('class:join', { protocol: PROTOCOL_VERSION, code: 'ZZZZZW', name: 'Eve' }))).toBe('rate_limited');
    expect(codes(await rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id: `room-${room.code}`, name: 'Eve' }))).toBe('rate_limited');
    expect((await fetch(`${server.url}/api/codes/${room.code}`)).status).toBe(429);
    expect(host.room.players.map((p) => p.name)).toEqual(['Hal']);
  });
});

describe('new custom scenarios', () => {
  it('are built off the event loop; past the cache’s memory budget a new one is busy and opens nothing, while other rooms play on', async () => {
    const s7 = makeScenario('tetsuo-timeout', 'mlocked', { maxAttempts: 7 }) as Scenario;
    const one = buildGraph(s7, GRAPH_BUDGET).bytes;
    server = await startServer({ graphCacheBytes: Math.floor(one * 1.5) });
    const player = await client(server.url);
    await player.createForHumans('Pia', { mode: 'scheduler' });
    const a = await client(server.url);
    const first = await a.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Eve', scenario: custom(7) });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const rooms = count('rooms');
    const b = await client(server.url);
    const flood = await Promise.all([8, 9, 10, 11].map((m) => (m % 2 ? a : b).call('room:create', { protocol: PROTOCOL_VERSION, name: 'Eve', scenario: custom(m) })));
    expect(flood.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['busy', 'busy', 'busy', 'busy']);
    expect(count('rooms')).toBe(rooms);
    // The player's room is answered throughout.
    const step = player.game.choices.find((c) => c.enabled)!;
    ok(await player.call('game:act', { actor: step.actor, step: step.step, version: player.game.version }));
    // The same scenario again is served from the cache (no build).
    const again = await b.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Bo', scenario: custom(7) });
    expect(again.ok).toBe(true);
  });
});

describe('notebook parts', () => {
  it('are refused before a join, and one connection holds at most one message’s worth of unfinished parts', async () => {
    server = await startServer();
    const s = nbSocket(server.url);
    closers.push(() => s.disconnect());
    s.connect();
    const part = (id: string, key: number, index: number, count: number) => rawEmit(s, 'notebook:sync', { id, data: new Uint8Array(NOTEBOOK_FRAME_MAX), part: { key, index, count } });
    const before = await part('free-parts', 1, 0, 4);
    expect(before.ok ? 'ok' : before.error.code).toBe('not_joined');
    expect((await rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id: 'free-parts', name: 'Eve' })).ok).toBe(true);
    // Two unfinished messages of 60 parts each: together past one message (the second is dropped).
    const per = 60;
    let last = { ok: true } as Awaited<ReturnType<typeof part>>;
    for (let i = 0; i < per - 1; i++) expect((await part('free-parts', 1, i, per)).ok).toBe(true);
    for (let i = 0; i < per - 1 && last.ok; i++) last = await part('free-parts', 2, i, per);
    expect(last.ok ? 'ok' : last.error.code).toBe('payload_too_large');
    expect(last.ok ? '' : last.error.message).toMatch(/together/);
  });
});
