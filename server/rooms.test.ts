// RoomService without sockets: sessions are plain values and the broadcaster records what
// the room would send, so the tests choose every order explicitly.

import { describe, expect, it } from 'vitest';
import { enabledActions, initialState, makeScenario, step, type Scenario, type State } from '../engine/index.js';
import type { GameStep, GameView, RoomView } from '../protocol/events.js';
import { fixtureLesson } from '../test/server/helpers.js';
import type { Clock } from './clock.js';
import { AppEvents } from './events.js';
import { GraphCache } from './graphs.js';
import { staticCatalog } from './lessons.js';
import { silentLog } from './log.js';
import { creatorRole, RoomService, type Session } from './rooms.js';
import { verdictOf } from './runs.js';
import { StepCommitter } from './step-commit.js';
import { SqliteStore } from './store/sqlite.js';

function setup(o: { grouped?: boolean } = {}) {
  let now = 1_000;
  const timers: (() => void)[] = [];
  const clock: Clock & { advance(ms: number): void; runTimers(): Promise<void> } = {
    now: () => now,
    setTimeout: (fn) => {
      timers.push(fn);
      return { cancel: () => { const i = timers.indexOf(fn); if (i >= 0) timers.splice(i, 1); } };
    },
    defer: (fn) => { setImmediate(fn); },
    advance: (ms) => { now += ms; },
    // Bot steps and host timers run in the room's queue: let each settle before the next timer fires.
    runTimers: async () => {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (!timers.length) return;
        timers.shift()!();
      }
    },
  };
  const sent: { kind: 'room' | 'game' | 'step' | 'left'; code: string; view?: RoomView | GameView | GameStep; socket?: string }[] = [];
  const store = new SqliteStore(':memory:');
  const steps = o.grouped ? new StepCommitter(store, clock) : null;
  const rooms = new RoomService({
    ...(steps ? { steps } : {}),
    store, clock, log: silentLog, lessons: staticCatalog([fixtureLesson()]), graphs: new GraphCache(), events: new AppEvents(),
    broadcaster: {
      roomState: (code, view) => sent.push({ kind: 'room', code, view }),
      gameState: (code, view) => sent.push({ kind: 'game', code, view }),
      gameStep: (code, view) => sent.push({ kind: 'step', code, view }),
      left: (socket, code) => sent.push({ kind: 'left', code, socket }),
      moved: (socket, code) => sent.push({ kind: 'left', code, socket }),
    },
    botDelayMs: 0, roleGraceMs: 10_000,
  });
  return { rooms, store, clock, sent };
}

const session = (socketId: string, room: string | null = null, playerId: string | null = null): Session => ({ socketId, room, playerId });

describe('RoomService', async () => {
  it('creates a room whose creator is host; a join is one room broadcast; acts are one game:step delta each', async () => {
    const { rooms, sent } = setup();
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'scheduler' });
    if (!c.ok) throw new Error(c.error.message);
    const host = session('s1', c.data.code, c.data.playerId);
    expect(c.data.role).toBe('spectator');
    expect(c.data.room.hostId).toBe(c.data.playerId);
    sent.length = 0;
    const j = await rooms.join(session('s2'), c.data.code, 'Ben');
    expect(j.ok).toBe(true);
    expect(sent.map((m) => m.kind)).toEqual(['room']);
    sent.length = 0;
    const choice = c.data.game.choices.find((x) => x.enabled)!;
    expect(await rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 })).toEqual({ ok: true, data: { version: 1 } });
    expect(sent.map((m) => m.kind)).toEqual(['step']);
    expect(sent[0]!.view).toMatchObject({ code: c.data.code, version: 1, run: 1, step: { actor: choice.actor, step: choice.step } });
    expect(await rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 })).toMatchObject({ ok: false, error: { code: 'stale_version' } });
    expect(sent).toHaveLength(1);
  });

  it('with a group commit, steps of two rooms in one turn are answered and broadcast after their one commit; a failed commit refuses both and changes nothing', async () => {
    const { rooms, store, sent } = setup({ grouped: true });
    const open = async (name: string) => {
      const c = await rooms.create(session(name), { protocol: 1, name, lesson: 'fixture-oops', mode: 'scheduler' });
      if (!c.ok) throw new Error(c.error.message);
      return { code: c.data.code, host: session(name, c.data.code, c.data.playerId), choice: c.data.game.choices.find((x) => x.enabled)! };
    };
    const a = await open('s1');
    const b = await open('s2');
    const real = store.appendActions.bind(store);
    const commits: string[][] = [];
    let down = true;
    store.appendActions = (steps) => {
      commits.push(steps.map((w) => w.code));
      if (down) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      real(steps);
    };
    sent.length = 0;
    const actBoth = () => Promise.all([a, b].map((r) => rooms.act(r.host, { actor: r.choice.actor, step: r.choice.step, version: 0 })));
    const refused = await actBoth();
    expect(commits).toEqual([[a.code, b.code]]);
    for (const r of refused) expect(r).toMatchObject({ ok: false });
    expect(sent.filter((m) => m.kind === 'game' || m.kind === 'step')).toEqual([]);
    expect((await rooms.game(a.code))!.version).toBe(0);
    expect((await rooms.game(b.code))!.version).toBe(0);
    expect(store.loadRoom(a.code)!.actions).toEqual([]);

    down = false;
    const stored = await actBoth();
    expect(stored).toEqual([{ ok: true, data: { version: 1 } }, { ok: true, data: { version: 1 } }]);
    expect(commits).toEqual([[a.code, b.code], [a.code, b.code]]);
    expect(sent.filter((m) => m.kind === 'step').map((m) => m.code)).toEqual([a.code, b.code]);
    expect(store.loadRoom(b.code)!.actions.map((x) => x.step)).toEqual([b.choice.step]);
  });

  it('race: a click that arrives just after another actor\'s step still goes in when its step is unchanged; a changed step, a moved actor or a rewind make it stale', async () => {
    const { rooms } = setup();
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'race' });
    if (!c.ok) throw new Error(c.error.message);
    const code = c.data.code;
    const seat = async (socket: string, name: string, role: 'victim' | 'reaper' | 'allocator', token?: string) => {
      const j = token ? { ok: true as const, data: { playerId: c.data.playerId } } : await rooms.join(session(socket), code, name);
      if (!j.ok) throw new Error(j.error.message);
      const s = session(socket, code, j.data.playerId);
      expect((await rooms.claim(s, role)).ok).toBe(true);
      return s;
    };
    const by = { victim: await seat('s1', 'Ada', 'victim', c.data.token), reaper: await seat('s2', 'Ben', 'reaper'), allocator: await seat('s3', 'Cy', 'allocator') };
    for (const r of ['victim', 'reaper', 'allocator'] as const) expect((await rooms.setBot(by.victim, { role: r, kind: null })).ok).toBe(true);
    const who = (actor: string) => by[actor === 'victim' ? 'victim' : actor === 'reaper' ? 'reaper' : 'allocator'];
    // Play the first enabled step until two actors can move, the second still offering the
    // same step after the first moves.
    const pairIn = (st: State) => enabledActions(st).filter((x) => x.enabled).flatMap((a) => enabledActions(st).filter((b) => b.enabled && b.actor !== a.actor).map((b) => [a, b] as const))
      .find(([a, b]) => { const r = step(st, { actor: a.actor, step: a.step }); return r.ok && enabledActions(r.state).some((x) => x.actor === b.actor && x.step === b.step && x.enabled); });
    let v = 0;
    for (; v < 40 && !pairIn((await rooms.game(code))!.state); v++) {
      const c0 = enabledActions((await rooms.game(code))!.state).find((x) => x.enabled)!;
      expect((await rooms.act(who(c0.actor), { actor: c0.actor, step: c0.step, version: v })).ok).toBe(true);
    }
    const pair = pairIn((await rooms.game(code))!.state);
    if (!pair) throw new Error('the fixture needs two actors that can both move');
    const [first, second] = pair;
    const actors = async () => (await rooms.game(code))!.actions.slice(v).map((a) => a.actor);
    expect(await rooms.act(who(first.actor), { actor: first.actor, step: first.step, version: v })).toEqual({ ok: true, data: { version: v + 1 } });
    expect(await rooms.act(who(second.actor), { actor: second.actor, step: second.step, version: v })).toEqual({ ok: true, data: { version: v + 2 } });
    expect(await actors()).toEqual([first.actor, second.actor]);
    // The first actor has moved since: the same click again is stale, and nothing changes.
    expect(await rooms.act(who(first.actor), { actor: first.actor, step: first.step, version: v })).toMatchObject({ ok: false, error: { code: 'stale_version', version: v + 2 } });
    // After an undo, a click on the board from before it is stale even if its step came back.
    expect((await rooms.undo(by.victim, v + 2)).ok).toBe(true);
    expect(await rooms.act(who(second.actor), { actor: second.actor, step: second.step, version: v + 1 })).toMatchObject({ ok: false, error: { code: 'stale_version', version: v + 3 } });
    expect(await actors()).toEqual([first.actor]);
  });

  it('bots play in race mode whenever someone is connected, even a learner who only watches; an empty room stands still', async () => {
    const { rooms, clock } = setup();
    // A learner watches three lazy bots play the whole run.
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'race' });
    if (!c.ok) throw new Error(c.error.message);
    await clock.runTimers();
    const g = (await rooms.game(c.data.code))!;
    expect(g.state.outcome).not.toBeNull();
    expect(g.actions.length).toBeGreaterThan(0);
    expect(g.actions.every((a) => a.by.kind === 'bot')).toBe(true);

    // Nobody connected: nothing moves; a spectator joining starts the bots.
    const d = await rooms.create(session('s2'), { protocol: 1, name: 'Bo', lesson: 'fixture-oops', mode: 'race' });
    if (!d.ok) throw new Error(d.error.message);
    await rooms.disconnect(session('s2', d.data.code, d.data.playerId));
    await clock.runTimers();
    expect((await rooms.game(d.data.code))!.version).toBe(0);
    const j = await rooms.join(session('s3'), d.data.code, 'Vera');
    if (!j.ok) throw new Error(j.error.message);
    expect(j.data.role).toBe('spectator');
    await clock.runTimers();
    expect((await rooms.game(d.data.code))!.version).toBeGreaterThan(0);
  });

  it('the host stays host while playing an actor, passes it on when leaving, and an empty host seat goes to the next player', async () => {
    const { rooms, clock } = setup();
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'scheduler' });
    if (!c.ok) throw new Error(c.error.message);
    const ada = session('s1', c.data.code, c.data.playerId);
    expect(await rooms.claim(ada, 'victim')).toEqual({ ok: true, data: { role: 'victim' } });
    const j = await rooms.join(session('s2'), c.data.code, 'Ben');
    if (!j.ok) throw new Error(j.error.message);
    const ben = session('s2', c.data.code, j.data.playerId);
    const room = async () => (await rooms.view(c.data.code))!;
    expect((await room()).hostId).toBe(ada.playerId);
    expect((await rooms.setMode(ada, 'race')).ok).toBe(true);
    expect(await rooms.setMode(ben, 'scheduler')).toMatchObject({ ok: false, error: { code: 'not_host' } });
    // Away for longer than the grace period: the host's powers pass to Ben, who is here.
    await rooms.disconnect(ada);
    clock.advance(10_000);
    await clock.runTimers();
    expect((await room()).hostId).toBe(ben.playerId);
    expect((await room()).players.map((p) => [p.name, p.role])).toEqual([['Ada', 'victim'], ['Ben', 'spectator']]);
    // Ben leaves: nobody connected to take over, so the next to sit down hosts.
    expect((await rooms.leave(ben)).ok).toBe(true);
    expect((await room()).hostId).toBeNull();
    const back = await rooms.join(session('s3'), c.data.code, 'Ada', c.data.token);
    expect(back.ok && back.data.room.hostId).toBe(ada.playerId);
  });

  it('a host who stays away loses the host to a player who is here, even across a reload from the store', async () => {
    const { rooms, clock } = setup();
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'scheduler' });
    if (!c.ok) throw new Error(c.error.message);
    const j = await rooms.join(session('s2'), c.data.code, 'Ben');
    if (!j.ok) throw new Error(j.error.message);
    await rooms.disconnect(session('s1', c.data.code, c.data.playerId));
    await rooms.disconnect(session('s2', c.data.code, j.data.playerId));
    clock.advance(10_000);
    expect(rooms.evictIdle(1000)).toBe(1);
    // Ben comes back to a freshly loaded room: Ada counts as just seen, so the host passes when the grace ends.
    const back = await rooms.join(session('s3'), c.data.code, 'Ben', j.data.token);
    expect(back.ok && back.data.room.hostId).toBe(c.data.playerId);
    clock.advance(10_000);
    await clock.runTimers();
    expect((await rooms.view(c.data.code))!.hostId).toBe(j.data.playerId);
  });

  it('evicts idle rooms from memory and reloads them from the store', async () => {
    const { rooms, clock } = setup();
    const c = await rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'scheduler' });
    if (!c.ok) throw new Error(c.error.message);
    const host = session('s1', c.data.code, c.data.playerId);
    const choice = c.data.game.choices.find((x) => x.enabled)!;
    await rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 });
    expect(rooms.evictIdle(1000)).toBe(0); // still connected
    await rooms.disconnect(host);
    expect(rooms.evictIdle(1000)).toBe(0); // too recent
    clock.advance(1000);
    expect(rooms.evictIdle(1000)).toBe(1);
    expect(rooms.loadedRooms).toBe(0);
    const back = await rooms.join(session('s3'), c.data.code, 'Ada', c.data.token);
    expect(back.ok && back.data.game.version).toBe(1);
    expect(back.ok && back.data.room.hostId).toBe(c.data.playerId);
  });
});

describe('verdicts and seats', async () => {
  const lesson = fixtureLesson();
  const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
  const ended = (id: 'oops' | 'success', needless = false): State => ({ ...initialState(scenario), outcome: { id }, needlessKill: needless });
  it('hunt: win on the goal outcome; avoid: lose on it; needless kills count when they are the goal', async () => {
    expect(verdictOf(lesson, ended('oops'))).toBe('win');
    expect(verdictOf(lesson, ended('success'))).toBe('lose');
    const avoid = fixtureLesson({ goal: { kind: 'avoid', outcome: 'oops', text: 'no oops' } });
    expect(verdictOf(avoid, ended('oops'))).toBe('lose');
    expect(verdictOf(avoid, ended('success'))).toBe('win');
    const nk = fixtureLesson({ goal: { kind: 'hunt', outcome: 'needless_kill', text: 'kill' } });
    expect(verdictOf(nk, ended('success', true))).toBe('win');
    expect(verdictOf(nk, ended('success', false))).toBe('lose');
    expect(verdictOf(null, ended('oops'))).toBe('none');
  });
  it('the creator takes the lesson solo seat, else no actor', async () => {
    expect(creatorRole(null)).toBe('spectator');
    expect(creatorRole(lesson)).toBe('spectator');
    expect(creatorRole(fixtureLesson({ roles: { ...lesson.roles, solo: 'reaper' } }))).toBe('reaper');
  });
});
