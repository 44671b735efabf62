// Host is a capability, not a role: the creator keeps the host's powers while playing an
// actor, can hand them over, and can give out seats. Bots play in race mode whenever
// someone is connected. A lesson whose solo seat is an actor puts the learner in that seat,
// in race mode, against the lesson's bots.

import { afterEach, describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../../engine/index.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { staticCatalog } from '../../server/lessons.js';
import { connect, fixtureLesson, ok, startServer, type Client, type TestServer } from './helpers.js';

const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) {
    await s.stop();
    s.cleanup();
  }
});
async function server(opts: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}
async function open(url: string): Promise<Client> {
  const c = await connect(url);
  clients.push(c);
  return c;
}
function expectCode(r: { ok: boolean; error?: { code: string } }, code: string): void {
  expect(r.ok).toBe(false);
  expect(r.error?.code).toBe(code);
}

describe('the host', () => {
  it('keeps the host powers while playing an actor in a full race room, and can hand them over', async () => {
    const srv = await server();
    const ada = await open(srv.url);
    const created = await ada.createForHumans('Ada');
    const code = created.room.code;
    const [ben, cy] = [await open(srv.url), await open(srv.url)];
    const jb = await ben.join(code, 'Ben');
    const jc = await cy.join(code, 'Cy');
    ok(await ada.call('role:claim', { role: 'allocator' }));
    ok(await ben.call('role:claim', { role: 'victim' }));
    ok(await cy.call('role:claim', { role: 'reaper' }));
    await ada.until(() => ada.room.players.every((p) => p.role !== 'spectator'), 'three actors held');
    expect(ada.room.hostId).toBe(created.playerId);
    expect(ada.room.players.map((p) => [p.name, p.role])).toEqual([['Ada', 'allocator'], ['Ben', 'victim'], ['Cy', 'reaper']]);

    // Everyone holds an actor, and the host can still undo, jump, restart, set bots and switch mode.
    const first = ada.game.choices.find((c) => c.actor === 'allocator' && c.enabled)!;
    ok(await ada.call('game:act', { actor: 'allocator', step: first.step, version: 0 }));
    expectCode(await ben.call('game:undo', { version: 1 }), 'not_host');
    expect(ok(await ada.call('game:undo', { version: 1 }))).toEqual({ version: 2 });
    ok(await ada.call('game:act', { actor: 'allocator', step: first.step, version: 2 }));
    expect(ok(await ada.call('game:jump', { version: 3, to: 0 }))).toEqual({ version: 4 });
    expect(ok(await ada.call('game:restart', { version: 4 }))).toEqual({ version: 5 });
    expectCode(await ben.call('game:mode', { mode: 'scheduler' }), 'not_host');
    ok(await ada.call('game:mode', { mode: 'scheduler' }));
    ok(await ada.call('game:mode', { mode: 'race' }));
    expectCode(await cy.call('bot:set', { role: 'victim', kind: 'lazy' }), 'not_host');
    ok(await ada.call('bot:set', { role: 'victim', kind: null }));

    // The host hands the host over to Ben; Ada keeps her allocator.
    expectCode(await ben.call('host:handover', { to: jc.playerId }), 'not_host');
    expect(ok(await ada.call('host:handover', { to: jb.playerId }))).toEqual({ hostId: jb.playerId });
    await cy.until(() => cy.room.hostId === jb.playerId, 'new host');
    expect(cy.room.players.find((p) => p.name === 'Ada')!.role).toBe('allocator');
    expectCode(await ada.call('game:restart', { version: 5 }), 'not_host');
    ok(await ben.call('game:restart', { version: 5 }));
    expectCode(await ben.call('host:handover', { to: 'nobody-here' }), 'unknown_player');
  });

  it('gives seats: a holder hands over their own actor, the host any actor', async () => {
    const srv = await server();
    const ada = await open(srv.url);
    const { room } = await ada.createForHumans('Ada');
    const [ben, cy, dee] = [await open(srv.url), await open(srv.url), await open(srv.url)];
    const jb = await ben.join(room.code, 'Ben');
    const jc = await cy.join(room.code, 'Cy');
    const jd = await dee.join(room.code, 'Dee');
    ok(await ben.call('role:claim', { role: 'victim' }));
    ok(await cy.call('role:claim', { role: 'reaper' }));

    // Ben gives his victim to Dee: Ben watches, Dee plays the victim.
    expect(ok(await ben.call('role:handover', { to: jd.playerId }))).toEqual({ role: 'spectator' });
    // Cy may not give away a seat that is not his; Dee may not assign a free seat.
    expectCode(await cy.call('role:handover', { to: jb.playerId, role: 'victim' }), 'not_host');
    expectCode(await dee.call('role:handover', { to: jb.playerId, role: 'allocator' }), 'not_host');
    expectCode(await ben.call('role:handover', { to: jc.playerId }), 'bad_request');
    // The host gives Cy's reaper to Ben and the free allocator seat to Cy.
    ok(await ada.call('role:handover', { to: jb.playerId, role: 'reaper' }));
    ok(await ada.call('role:handover', { to: jc.playerId, role: 'allocator' }));
    await ada.until(() => ada.room.players.find((p) => p.name === 'Cy')?.role === 'allocator', 'seats given');
    expect(ada.room.players.map((p) => [p.name, p.role])).toEqual([['Ada', 'spectator'], ['Ben', 'reaper'], ['Cy', 'allocator'], ['Dee', 'victim']]);
    expectCode(await ada.call('role:handover', { to: jb.playerId, role: 'reaper' }), 'unknown_player');
  });

  it('passes on when the host leaves; the next player to sit down in an empty-hosted room hosts it', async () => {
    const srv = await server();
    const ada = await open(srv.url);
    const { room } = await ada.createForHumans('Ada');
    const ben = await open(srv.url);
    const jb = await ben.join(room.code, 'Ben');
    ok(await ada.call('room:leave', {}));
    await ben.until(() => ben.room.hostId === jb.playerId, 'Ben hosts');
    expect(ben.room.players.map((p) => [p.name, p.role])).toEqual([['Ben', 'spectator']]);
  });
});

describe('bots in race mode', () => {
  it('play right after room:create while the creator only watches', async () => {
    const srv = await server();
    const ada = await open(srv.url);
    const created = await ada.create('Ada', { mode: 'race' }); // fixture lesson: three lazy bots
    expect(created.room.bots).toEqual({ victim: 'lazy', reaper: 'lazy', allocator: 'lazy' });
    await ada.until(() => ada.games.some((g) => g.result !== null), 'the bots finish the run');
    const g = ada.game;
    expect(g.actions.length).toBeGreaterThan(0);
    expect(g.actions.every((a) => a.by.kind === 'bot')).toBe(true);
  });

  it('wait in an empty room and start when a spectator joins', async () => {
    const srv = await server();
    const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
    const { code } = await srv.app.rooms.open({ lesson: fixtureLesson(), scenario, mode: 'race', classCode: null, creator: null });
    await new Promise((r) => setTimeout(r, 30));
    expect((await srv.app.rooms.game(code))!.version).toBe(0);
    const sam = await open(srv.url);
    const j = await sam.join(code, 'Sam');
    expect(j.role).toBe('spectator');
    await sam.until(() => sam.games.some((g) => g.actions.length > 0), 'a bot step');
    expect(sam.game.actions[0]!.by).toEqual({ kind: 'bot', bot: 'lazy' });
  });
});

describe('a lesson whose solo seat is the scheduler', () => {
  it('starts in scheduler mode for the learner who opens it, even when it suggests race for classes', async () => {
    const race = fixtureLesson({ id: 'fixture-race-class', order: 4, mode: 'race' });
    const srv = await server({ lessons: staticCatalog([fixtureLesson(), race]) });
    const ida = await open(srv.url);
    const created = ok(await ida.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ida', lesson: 'fixture-race-class' }));
    expect(created.room.mode).toBe('scheduler');
    expect(created.room.hostId).toBe(created.playerId);
    expect(created.game.version).toBe(0);
  });
});

describe('a lesson whose solo seat is an actor', () => {
  it('seats the learner in it, in race mode, against the lesson bots', async () => {
    const base = fixtureLesson();
    const solo = fixtureLesson({
      id: 'fixture-solo-allocator',
      order: 3,
      mode: 'scheduler',
      roles: { ...base.roles, solo: 'allocator', victim: { ...base.roles.victim, bot: 'lazy' }, reaper: { ...base.roles.reaper, bot: 'adversary' } },
    });
    const srv = await server({ lessons: staticCatalog([base, solo]) });
    const eli = await open(srv.url);
    const created = ok(await eli.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Eli', lesson: 'fixture-solo-allocator' }));
    eli.joined = created;
    expect(created.role).toBe('allocator');
    expect(created.room.mode).toBe('race');
    expect(created.room.hostId).toBe(created.playerId);
    const res = await fetch(`${srv.url}/api/lessons`);
    const list = ((await res.json()) as { data: { id: string; mode: string; solo: string }[] }).data;
    expect(list.find((l) => l.id === 'fixture-solo-allocator')).toMatchObject({ mode: 'race', solo: 'allocator' });

    // The victim is the lazy bot's: the learner may not step it.
    const victim = created.game.choices.find((c) => c.actor === 'victim')!;
    expectCode(await eli.call('game:act', { actor: 'victim', step: victim.step || 'x', version: 0 }), 'not_your_actor');
    // The learner steps the allocator whenever it can; the bots step the rest.
    let stale = 0;
    while (!eli.game.result) {
      const g = eli.game;
      const mine = g.choices.find((c) => c.role === 'allocator' && c.enabled);
      if (mine) {
        const r = await eli.call('game:act', { actor: mine.actor, step: mine.step, version: g.version });
        if (!r.ok) {
          expect(r.error.code).toBe('stale_version');
          stale++;
        }
      }
      await eli.until(() => eli.game.version > g.version || eli.game.result !== null, 'the next step');
    }
    const by = eli.game.actions.map((a) => (a.by.kind === 'human' ? `${a.actor}:${a.by.name}` : `${a.actor}:bot`));
    expect(by.some((x) => x === 'allocator:Eli')).toBe(true);
    expect(by.some((x) => x.endsWith(':bot'))).toBe(true);
    expect(by.filter((x) => x.startsWith('allocator:')).every((x) => x === 'allocator:Eli')).toBe(true);
    expect(stale).toBeLessThan(50);
  });
});
