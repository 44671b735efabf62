// A step the store cannot take because the database is away: the player is answered with
// the typed `unavailable` (not `internal`), nothing is broadcast or remembered, and the same
// step goes in once the store answers again — no restart, nothing lost that was acknowledged.
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { connect, ok, shortestTrace, startServer, type Client, type TestServer } from './helpers.js';

let server: TestServer | null = null;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server?.cleanup();
  server = null;
});

describe('a store that is unreachable for a while', () => {
  it('a step it cannot store is refused as unavailable, changes nothing, and goes in once the store is back', async () => {
    server = await startServer();
    const store = server.store;
    // Steps reach SQLite through the group commit (server/step-commit.ts).
    const real = store.appendActions.bind(store);
    let down = false;
    store.appendActions = (...args: Parameters<typeof real>) => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return real(...args);
    };
    const c = await connect(server.url);
    clients.push(c);
    const created = ok(await c.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ada', scenario: { variant: 'rfc-v1', config: 'pgtable-heavy' } }));
    const trace = shortestTrace(created.room.scenario, 'oops');
    ok(await c.call('game:act', { ...trace[0]!, version: 0 }));
    const seen = c.games.length;

    down = true;
    const refused = await c.call('game:act', { ...trace[1]!, version: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!refused.ok && refused.error.message).toMatch(/try again/);
    expect(c.games.length).toBe(seen);

    down = false;
    expect(ok(await c.call('game:act', { ...trace[1]!, version: 1 }))).toEqual({ version: 2 });
    const other = await connect(server.url);
    clients.push(other);
    const j = ok(await other.call('room:join', { protocol: PROTOCOL_VERSION, code: created.room.code, name: 'Bob' }));
    expect(j.game.actions.map((a) => ({ actor: a.actor, step: a.step }))).toEqual(trace.slice(0, 2));
  });
});
