// RoomService without sockets: sessions are plain values and the broadcaster records what
// the room would send, so the tests choose every order explicitly.

import { describe, expect, it } from 'vitest';
import { initialState, makeScenario, type Scenario, type State } from '../engine/index.js';
import type { GameView, RoomView } from '../protocol/events.js';
import { fixtureLesson } from '../test/server/helpers.js';
import type { Clock } from './clock.js';
import { AppEvents } from './events.js';
import { GraphCache } from './graphs.js';
import { staticCatalog } from './lessons.js';
import { silentLog } from './log.js';
import { creatorRole, RoomService, verdictOf, type Session } from './rooms.js';
import { SqliteStore } from './store.js';

function setup() {
  let now = 1_000;
  const timers: (() => void)[] = [];
  const clock: Clock & { advance(ms: number): void; runTimers(): void } = {
    now: () => now,
    setTimeout: (fn) => {
      timers.push(fn);
      return { cancel: () => { const i = timers.indexOf(fn); if (i >= 0) timers.splice(i, 1); } };
    },
    advance: (ms) => { now += ms; },
    runTimers: () => { while (timers.length) timers.shift()!(); },
  };
  const sent: { kind: 'room' | 'game' | 'left'; code: string; view?: RoomView | GameView; socket?: string }[] = [];
  const store = new SqliteStore(':memory:');
  const rooms = new RoomService({
    store, clock, log: silentLog, lessons: staticCatalog([fixtureLesson()]), graphs: new GraphCache(), events: new AppEvents(),
    broadcaster: {
      roomState: (code, view) => sent.push({ kind: 'room', code, view }),
      gameState: (code, view) => sent.push({ kind: 'game', code, view }),
      left: (socket, code) => sent.push({ kind: 'left', code, socket }),
    },
    botDelayMs: 0, roleGraceMs: 10_000,
  });
  return { rooms, store, clock, sent };
}

const session = (socketId: string, room: string | null = null, playerId: string | null = null): Session => ({ socketId, room, playerId });

describe('RoomService', () => {
  it('creates a room whose creator is host; a join is one room broadcast; acts are one game broadcast each', () => {
    const { rooms, sent } = setup();
    const c = rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops' });
    if (!c.ok) throw new Error(c.error.message);
    const host = session('s1', c.data.code, c.data.playerId);
    expect(c.data.role).toBe('host');
    sent.length = 0;
    const j = rooms.join(session('s2'), c.data.code, 'Ben');
    expect(j.ok).toBe(true);
    expect(sent.map((m) => m.kind)).toEqual(['room']);
    sent.length = 0;
    const choice = c.data.game.choices.find((x) => x.enabled)!;
    expect(rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 })).toEqual({ ok: true, data: { version: 1 } });
    expect(sent.map((m) => m.kind)).toEqual(['game']);
    expect(rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 })).toMatchObject({ ok: false, error: { code: 'stale_version' } });
    expect(sent).toHaveLength(1);
  });

  it('bots wait in a lobby and play beside an actor player, on the injected clock', () => {
    const { rooms, clock } = setup();
    const c = rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops', mode: 'race' });
    if (!c.ok) throw new Error(c.error.message);
    clock.runTimers();
    expect(rooms.stats.botSteps).toBe(0);
    const j = rooms.join(session('s2'), c.data.code, 'Vera');
    if (!j.ok) throw new Error(j.error.message);
    expect(rooms.claim(session('s2', c.data.code, j.data.playerId), 'victim').ok).toBe(true);
    clock.runTimers();
    // Lazy bots step while the victim (not killed yet) cannot: the allocator bot moves.
    expect(rooms.stats.botSteps).toBeGreaterThan(0);
    const g = rooms.gameView(rooms.room(c.data.code)!);
    expect(g.actions.every((a) => a.by.kind === 'bot' && a.actor !== 'victim')).toBe(true);
    expect(g.choices.find((x) => x.actor === 'victim')!.enabled || g.state.outcome !== null).toBe(true);
  });

  it('evicts idle rooms from memory and reloads them from the store', () => {
    const { rooms, clock } = setup();
    const c = rooms.create(session('s1'), { protocol: 1, name: 'Ada', lesson: 'fixture-oops' });
    if (!c.ok) throw new Error(c.error.message);
    const host = session('s1', c.data.code, c.data.playerId);
    const choice = c.data.game.choices.find((x) => x.enabled)!;
    rooms.act(host, { actor: choice.actor, step: choice.step, version: 0 });
    expect(rooms.evictIdle(1000)).toBe(0); // still connected
    rooms.disconnect(host);
    expect(rooms.evictIdle(1000)).toBe(0); // too recent
    clock.advance(1000);
    expect(rooms.evictIdle(1000)).toBe(1);
    expect(rooms.loadedRooms).toBe(0);
    const back = rooms.join(session('s3'), c.data.code, 'Ada', c.data.token);
    expect(back.ok && back.data.game.version).toBe(1);
  });
});

describe('verdicts and seats', () => {
  const lesson = fixtureLesson();
  const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
  const ended = (id: 'oops' | 'success', needless = false): State => ({ ...initialState(scenario), outcome: { id }, needlessKill: needless });
  it('hunt: win on the goal outcome; avoid: lose on it; needless kills count when they are the goal', () => {
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
  it('the creator takes the lesson solo seat, else host', () => {
    expect(creatorRole(null)).toBe('host');
    expect(creatorRole(lesson)).toBe('host');
    expect(creatorRole(fixtureLesson({ roles: { ...lesson.roles, solo: 'reaper' } }))).toBe('reaper');
  });
});
