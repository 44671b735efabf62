import { describe, expect, it } from 'vitest';
import { ACTOR_ROLES, ROLES, type Role } from './events.js';
import {
  botActors, botsMayPlay, classStudentSeat, hasControls, isPaused, rotatedSeats, creatorSeat, creditedWithWin, hostSuccession, mayClaim, mayHandOver, mayHandOverHost, mayJoin, mayRelease,
  mayRewind, maySetBot, maySetMode, mayStep, notebookMayEdit, notebookMayManage, notebookSeatOfPlayer, openingBots, openingMode, roleOfActor,
  seatOnJoin, seatsToGive, type SeatedPlayer, type Table,
} from './rules.js';

// Every combination of: the room's class (none; the teacher holds the controls; students
// may use them; paused), the room's mode (and whether its class was stopped), the asker's
// seat, the asker's capability (the host; alone in a room without a host; neither — Otto
// is the host), and who occupies the seat an action aims at (the asker, another player, a
// bot, nobody). The expectations below restate the rules in the words of these dimensions.

const CLASSES = ['no class', 'class', 'class, students control', 'class paused'] as const;
const MODES = ['race', 'scheduler', 'race, class stopped', 'scheduler, class stopped'] as const;
const CAPABILITIES = ['host', 'alone', 'none'] as const;
const TARGETS = ['mine', 'other player', 'bot', 'open'] as const;
type Capability = (typeof CAPABILITIES)[number];
type TargetKind = (typeof TARGETS)[number];

interface Case { klass: (typeof CLASSES)[number]; mode: (typeof MODES)[number]; seat: Role; capability: Capability; target: TargetKind }

function combinations(): Case[] {
  const out: Case[] = [];
  for (const klass of CLASSES) for (const mode of MODES) for (const seat of ROLES) for (const capability of CAPABILITIES) for (const target of TARGETS) {
    if (target === 'mine' && seat === 'spectator') continue; // a spectator has no seat of their own
    if (target === 'other player' && capability === 'alone') continue; // nobody else is there
    out.push({ klass, mode, seat, capability, target });
  }
  return out;
}

function build(c: Case): { t: Table; me: SeatedPlayer; otto: SeatedPlayer | null; role: (typeof ACTOR_ROLES)[number] } {
  const role = c.target === 'mine' ? (c.seat as (typeof ACTOR_ROLES)[number]) : ACTOR_ROLES.find((r) => r !== c.seat)!;
  const me: SeatedPlayer = { id: 'me', name: 'Me', role: c.seat, connected: true, lastSeen: 0 };
  const otto: SeatedPlayer | null = c.capability === 'alone' ? null
    : { id: 'otto', name: 'Otto', role: c.target === 'other player' ? role : 'spectator', connected: true, lastSeen: 0 };
  const bots = { victim: null, reaper: null, allocator: null, ...(c.target === 'bot' ? { [role]: 'random' as const } : {}) };
  return {
    t: {
      mode: c.mode.startsWith('race') ? 'race' : 'scheduler',
      closed: c.mode.endsWith('stopped'),
      classControls: c.klass === 'no class' ? null : { paused: c.klass === 'class paused', studentsControl: c.klass !== 'class' },
      hostId: c.capability === 'host' ? 'me' : c.capability === 'none' ? 'otto' : null,
      players: otto ? [me, otto] : [me],
      bots,
    },
    me, otto, role,
  };
}

const answer = (d: { ok: boolean; code?: string }) => (d.ok ? 'ok' : d.code);

describe('rules: every (mode, seat, capability, target) against every action', () => {
  const cases = combinations();
  it('covers all combinations', () => {
    expect(cases).toHaveLength(4 * 4 * (3 * 3 * 4 + 1 * 3 * 3 - 3 * 1 - 1));
  });

  for (const c of cases) {
    const name = `${c.klass} · ${c.mode} · ${c.seat} · ${c.capability} · target ${c.target}`;
    it(name, () => {
      const { t, otto, role } = build(c);
      const powers = c.capability !== 'none';
      const actor = role === 'allocator' ? 'allocator2' : role;
      const race = t.mode === 'race';
      const actorSeat = c.seat !== 'spectator';
      const heldByPerson = c.target === 'mine' || c.target === 'other player';
      const teacherHolds = c.klass === 'class';
      const paused = c.klass === 'class paused';

      expect(answer(mayStep(t, 'me', actor)), 'step').toBe(
        t.closed ? 'class_closed'
          : paused ? 'class_paused'
          : !race ? (powers ? 'ok' : 'not_scheduler')
          : c.target === 'mine' || (c.target === 'open' && powers) ? 'ok' : 'not_your_actor');
      const control = !powers ? 'not_host' : t.closed ? 'class_closed' : teacherHolds ? 'teacher_only' : paused ? 'class_paused' : 'ok';
      expect(answer(mayRewind(t, 'me')), 'undo / jump / restart').toBe(control);
      expect(answer(mayJoin(t)), 'join').toBe(t.closed ? 'class_closed' : 'ok');
      expect(answer(maySetMode(t, 'me')), 'mode').toBe(control);
      expect(hasControls(t, 'me'), 'controls shown').toBe(powers && !teacherHolds);
      expect(isPaused(t), 'paused').toBe(paused);
      const botRule = (reseed: boolean) => t.closed ? 'class_closed' : teacherHolds ? 'teacher_only' : paused ? 'class_paused'
        : powers || (!reseed && actorSeat && !heldByPerson) ? 'ok' : 'not_host';
      expect(answer(maySetBot(t, 'me', role, false)), 'bot').toBe(botRule(false));
      expect(answer(maySetBot(t, 'me', role, true)), 'bot with a new seed').toBe(botRule(true));
      expect(answer(mayClaim(t, 'me', role, 0, 1000)), 'claim').toBe(c.target === 'other player' ? 'role_taken' : 'ok');
      if (heldByPerson) {
        const holder = c.target === 'mine' ? 'me' : 'otto';
        expect(answer(mayRelease(t, 'me', holder)), 'release').toBe(holder === 'me' || powers ? 'ok' : 'not_host');
      }
      if (otto) {
        expect(answer(mayHandOver(t, 'me', 'otto', role)), 'hand over the seat').toBe(
          c.target === 'mine' ? 'ok' : !powers ? 'not_host' : c.target === 'other player' ? 'unknown_player' : 'ok');
      }
      expect(answer(mayHandOverHost(t, 'me', 'otto')), 'hand over the host').toBe(c.capability === 'host' ? 'ok' : 'not_host');
      expect(seatsToGive(t, 'me'), 'seats offered to give').toEqual(powers ? [...ACTOR_ROLES] : actorSeat ? [c.seat] : []);
      expect(notebookSeatOfPlayer(t, 'me', 'room'), 'room notebook seat').toBe(powers ? 'host' : actorSeat ? 'player' : 'spectator');
      expect(notebookSeatOfPlayer(t, 'me', 'class'), 'class notebook seat').toBe(actorSeat ? 'player' : 'spectator');
      expect(creditedWithWin(t, 'me'), 'credited with a win').toBe(actorSeat || c.capability === 'host');
      expect(botsMayPlay(t, false), 'bots play').toBe(race && !t.closed && !paused && c.target === 'bot');
      expect(botActors(t, [{ actor, role }]), 'bot actors').toEqual(c.target === 'bot' ? { [actor]: 'random' } : {});
    });
  }
});

describe('rules, one at a time', () => {
  const player = (id: string, role: Role, connected = true, lastSeen = 0): SeatedPlayer => ({ id, name: id, role, connected, lastSeen });
  const table = (players: SeatedPlayer[], hostId: string | null): Table => ({ mode: 'race', hostId, players, bots: { victim: null, reaper: null, allocator: null } });

  it('rotating roles moves every seated player to the next seat; spectators keep watching', () => {
    const t = table([player('a', 'victim'), player('b', 'reaper'), player('c', 'allocator'), player('d', 'spectator')], null);
    expect(rotatedSeats(t)).toEqual([{ id: 'a', role: 'reaper' }, { id: 'b', role: 'allocator' }, { id: 'c', role: 'victim' }]);
    // With a free seat, nobody lands on a taken one.
    const two = table([player('a', 'allocator'), player('b', 'reaper')], null);
    expect(rotatedSeats(two)).toEqual([{ id: 'a', role: 'victim' }, { id: 'b', role: 'allocator' }]);
    let seats = t.players.map((p) => p.role);
    for (let run = 0; run < 3; run++) {
      const next = rotatedSeats({ ...t, players: t.players.map((p, i) => ({ ...p, role: seats[i]! })) });
      seats = t.players.map((p, i) => next.find((n) => n.id === p.id)?.role ?? seats[i]!);
    }
    expect(seats).toEqual(['victim', 'reaper', 'allocator', 'spectator']);
  });

  it('every allocator belongs to the allocator seat', () => {
    expect(['victim', 'reaper', 'allocator', 'allocator2', 'allocator9'].map(roleOfActor)).toEqual(['victim', 'reaper', 'allocator', 'allocator', 'allocator']);
  });

  it('a seat whose holder is away can be claimed after the grace period, not before', () => {
    const t = table([player('a', 'spectator'), player('b', 'victim', false, 1000)], 'a');
    expect(mayClaim(t, 'a', 'victim', 1500, 1000)).toEqual({ ok: false, code: 'role_taken', message: 'victim belongs to b, who may reconnect; try again in 1 s' });
    expect(mayClaim(t, 'a', 'victim', 2000, 1000)).toMatchObject({ ok: true, displaced: { id: 'b' } });
    expect(mayClaim(t, 'a', 'spectator', 0, 1000)).toEqual({ ok: true, displaced: null });
  });

  it('the host stays while here; away, they are waited for; then the first connected player who joined takes over', () => {
    const host = player('h', 'spectator', false, 1000);
    const t = table([host, player('x', 'victim', false), player('y', 'reaper'), player('z', 'allocator')], 'h');
    expect(hostSuccession({ ...t, players: [{ ...host, connected: true }, ...t.players.slice(1)] }, 5000, 1000)).toEqual({ kind: 'stays' });
    expect(hostSuccession(t, 1200, 1000)).toEqual({ kind: 'wait', ms: 800 });
    expect(hostSuccession(t, 2000, 1000)).toMatchObject({ kind: 'passes', to: { id: 'y' } });
    expect(hostSuccession({ ...t, hostId: null }, 0, 1000)).toMatchObject({ kind: 'passes', to: { id: 'y' } });
    expect(hostSuccession(table([host], 'h'), 9000, 1000)).toEqual({ kind: 'stays' });
  });

  it('a newcomer gets the seat they ask for when it is free; a class student the first free seat', () => {
    const t = table([player('a', 'victim')], 'a');
    expect(['victim', 'reaper', 'spectator'].map((r) => seatOnJoin(t, r as Role))).toEqual(['spectator', 'reaper', 'spectator']);
    expect(classStudentSeat(t)).toBe('reaper');
    expect(classStudentSeat(table([player('a', 'victim'), player('b', 'reaper'), player('c', 'allocator')], null))).toBe('spectator');
  });

  it('a room opens in race when its creator plays an actor, scheduler when they schedule, else as the lesson suggests', () => {
    expect([creatorSeat('reaper'), creatorSeat('scheduler'), creatorSeat(null)]).toEqual(['reaper', 'spectator', 'spectator']);
    expect([openingMode('victim', 'scheduler'), openingMode('spectator', 'race'), openingMode(null, 'race'), openingMode(null, null)]).toEqual(['race', 'scheduler', 'race', 'scheduler']);
    expect(openingBots(true, { victim: 'lazy', reaper: 'random', allocator: null })).toEqual({ victim: null, reaper: null, allocator: null });
    expect(openingBots(false, { victim: 'lazy', reaper: 'random', allocator: null })).toEqual({ victim: 'lazy', reaper: 'random', allocator: null });
    expect(openingBots(false, null)).toEqual({ victim: 'lazy', reaper: 'lazy', allocator: 'lazy' });
  });

  it('bots stand still when nobody is connected or the run is over', () => {
    const t: Table = { ...table([player('a', 'spectator', false)], 'a'), bots: { victim: 'lazy', reaper: null, allocator: null } };
    expect(botsMayPlay(t, false)).toBe(false);
    const here = { ...t, players: [player('a', 'spectator')] };
    expect([botsMayPlay(here, false), botsMayPlay(here, true)]).toEqual([true, false]);
  });

  it('notebooks: a lock stops everyone; spectators edit only when the policy says so; only the host manages', () => {
    const seats = ['host', 'player', 'spectator'] as const;
    const open = { spectators: 'read' as const, visitors: 'player' as const, locked: false };
    expect(seats.map((s) => notebookMayEdit(s, open))).toEqual([true, true, false]);
    expect(seats.map((s) => notebookMayEdit(s, { ...open, spectators: 'edit' }))).toEqual([true, true, true]);
    expect(seats.map((s) => notebookMayEdit(s, { ...open, spectators: 'edit', locked: true }))).toEqual([false, false, false]);
    expect(seats.map(notebookMayManage)).toEqual([true, false, false]);
    expect(notebookSeatOfPlayer(table([player('a', 'victim')], 'a'), 'nobody', 'room')).toBeNull();
  });
});
