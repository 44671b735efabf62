// The whole server on the PostgreSQL store (the asynchronous port), in one process: every
// service awaits the store, and the room's queue keeps simultaneous intents in one order
// although each step now waits for the database; bots play a run to its end, the run's
// trace reaches the room's notebook through the group commit, a class seats its students,
// and a new app on the same schema (a restart) holds everything that was acknowledged.

import { afterEach, describe, expect, it } from 'vitest';
import { nextRandom } from '../../engine/index.js';
import { PROTOCOL_VERSION, type GameView } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { createApp, type App } from '../../server/app.js';
import { staticCatalog } from '../../server/lessons.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../cluster/services.js';
import { connect, fixtureLesson, ok, type Client } from './helpers.js';

interface Node {
  app: App;
  store: PostgresStore;
  url: string;
}

const schemas: string[] = [];
const nodes: Node[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const n of nodes.splice(0)) await stopNode(n);
  for (const s of schemas.splice(0)) await dropSchema(s);
});

async function startNode(schema: string, botDelayMs = 0): Promise<Node> {
  const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 4 });
  const app = createApp({ store, lessons: staticCatalog([fixtureLesson()]), botDelayMs, evictAfterMs: 0 });
  const port = await app.listen(0, '127.0.0.1');
  const node = { app, store, url: `http://127.0.0.1:${port}` };
  nodes.push(node);
  return node;
}

async function stopNode(n: Node): Promise<void> {
  const i = nodes.indexOf(n);
  if (i >= 0) nodes.splice(i, 1);
  await n.app.close();
  await n.store.close();
}

async function client(url: string): Promise<Client> {
  const c = await connect(url);
  clients.push(c);
  return c;
}

function newSchema(): string {
  const s = randomSchema('app');
  schemas.push(s);
  return s;
}

describe('the server on PostgreSQL', () => {
  it('simultaneous intents on one room are accepted in one order, each version once, and the store holds that order', async () => {
    const node = await startNode(newSchema());
    const host = await client(node.url);
    const { room } = await host.createForHumans('Host');
    const byRole: Record<'victim' | 'reaper' | 'allocator', Client> = {} as never;
    for (const role of ['victim', 'reaper', 'allocator'] as const) {
      const c = await client(node.url);
      await c.join(room.code, role);
      ok(await c.call('role:claim', { role }));
      byRole[role] = c;
    }
    const all = [host, ...Object.values(byRole)];
    let view: GameView = host.game;
    let rng = 11;
    const accepted: string[] = [];
    for (let round = 0; !view.state.outcome && round < 60; round++) {
      const enabled = view.choices.filter((c) => c.enabled);
      const order = enabled.map((c) => { const r = nextRandom(rng); rng = r.seed; return { c, k: r.value }; }).sort((a, b) => a.k - b.k).map((x) => x.c);
      const version = view.version;
      // Each also sent twice: the copy is stale (or refused), never a second step.
      const sent = order.flatMap((c) => [c, c]).map((c) => ({ c, p: byRole[roleOfActor(c.actor)].call('game:act', { actor: c.actor, step: c.step, version }) }));
      const results = await Promise.all(sent.map((s) => s.p));
      const wins = results.map((r, i) => ({ v: r.ok ? r.data.version : 0, c: sent[i]!.c })).filter((w) => w.v > 0).sort((a, b) => a.v - b.v);
      expect(wins.length).toBeGreaterThan(0);
      expect(wins.map((w) => w.v)).toEqual(wins.map((_, i) => version + 1 + i));
      for (const r of results) if (!r.ok) expect(r.error.code).toBe('stale_version');
      for (const w of wins) accepted.push(`${w.c.actor}:${w.c.step}`);
      const reached = version + wins.length;
      for (const c of all) await c.untilVersion(reached);
      view = host.games.find((g) => g.version === reached)!;
    }
    expect(view.state.outcome).not.toBeNull();
    const first = JSON.stringify(all[0]!.games.map((g) => g.version));
    for (const c of all) expect(JSON.stringify(c.games.map((g) => g.version))).toBe(first);
    const stored = await node.store.loadRoom(room.code);
    expect(stored!.actions.map((a) => `${a.actor}:${a.step}`)).toEqual(accepted);
    expect(stored!.room.version).toBe(accepted.length);
  });

  it('bots play a race run to its end; the trace reaches the room notebook; a class seats students; a restart keeps it all', async () => {
    const schema = newSchema();
    const node = await startNode(schema);
    const ada = await client(node.url);
    const joined = await ada.create('Ada', { mode: 'race' });
    const code = joined.room.code;
    await ada.until(() => ada.game.result !== null, 'the bots end the run');
    const result = ada.game.result!;
    const steps = ada.game.actions.length;
    expect(ada.game.actions.every((a) => a.by.kind === 'bot')).toBe(true);
    // The finished run: stored with its last step, and recorded in the room's notebook (the group commit on PostgreSQL).
    expect((await node.store.getTrace(result.traceId))?.actions).toHaveLength(steps);
    await expect.poll(async () => (await node.store.notebooks.traces(`room-${code}`)).has(result.traceId), { timeout: 15_000 }).toBe(true);

    const teacher = await client(node.url);
    const cls = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson: 'fixture-oops', grouping: 'auto' }));
    const students = await Promise.all(['Sam', 'Kim', 'Lou'].map(async (name) => {
      const s = await client(node.url);
      return ok(await s.call('class:join', { protocol: PROTOCOL_VERSION, code: cls.code, name })).joined!;
    }));
    // Three students at once, one class queue: one room, three different seats.
    expect(new Set(students.map((s) => s.room.code)).size).toBe(1);
    expect(new Set(students.map((s) => s.role)).size).toBe(3);

    for (const c of clients.splice(0)) c.close();
    await stopNode(node);
    const again = await startNode(schema);
    const back = await client(again.url);
    const rejoined = ok(await back.call('room:join', { protocol: PROTOCOL_VERSION, code, name: 'Ada', token: joined.token }));
    expect(rejoined.game.actions).toHaveLength(steps);
    expect(rejoined.game.result).toEqual(result);
    const watch = ok(await back.call('class:watch', { code: cls.code, teacherToken: cls.teacherToken }));
    expect(watch.rooms).toHaveLength(1);
    expect(watch.rooms[0]!.players.map((p) => p.name).sort()).toEqual(['Kim', 'Lou', 'Sam']);
  });
});
