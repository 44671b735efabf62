// The teacher's controls over a running class, through the real sockets: the teacher holds
// the host's controls unless they let students; pause and resume reach every room at once
// and survive a restart; restart and rotate one room or all; move a student to another
// seat or room (their connection follows); the dashboard learns who is quiet or away.
// Every refusal carries its typed reason.
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ClassCreatedData, type ClassView } from '../../protocol/events.js';
import type { Clock } from '../../server/clock.js';
import { systemClock } from '../../server/clock.js';
import { type Client, connect, ok, startServer, type TestServer, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();

async function classOf(n: number, teacher: Client, open: () => Promise<Client>): Promise<{ k: ClassCreatedData; students: Client[] }> {
  const k = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping: 'auto' }));
  ok(await teacher.call('class:watch', { code: k.code, teacherToken: k.teacherToken }));
  const students: Client[] = [];
  for (let i = 0; i < n; i++) {
    const s = await open();
    s.joined = ok(await s.call('class:join', { protocol: PROTOCOL_VERSION, code: k.code, name: `S${i + 1}` })).joined;
    students.push(s);
  }
  return { k, students };
}

const teacherOf = (k: ClassCreatedData) => ({ code: k.code, teacherToken: k.teacherToken });
const me = (s: Client) => s.room.players.find((p) => p.id === s.joined!.playerId)!;
/** A step this student's own actor may take now (race mode), or null. */
const ownStep = (s: Client) => s.game.choices.find((x) => x.enabled && x.role === me(s).role) ?? null;
/** The first student (of `students`) whose actor can step now, with that step. */
function someoneWhoCanStep(students: Client[]): { s: Client; c: NonNullable<ReturnType<typeof ownStep>> } {
  for (const s of students) {
    const c = ownStep(s);
    if (c) return { s, c };
  }
  throw new Error('no student can step');
}

describe('class controls', () => {
  it("the teacher holds the host's controls until they let students, and can take them back", async () => {
    const teacher = await ctx.open();
    const { k, students } = await classOf(2, teacher, () => ctx.open());
    const host = students.find((s) => s.room.hostId === s.joined!.playerId)!;
    expect(host.room.classControls).toEqual({ paused: false, studentsControl: false });
    for (const [event, payload] of [
      ['game:mode', { mode: 'scheduler' }], ['game:restart', { version: host.game.version }], ['bot:set', { role: 'allocator', kind: 'random' }],
    ] as const) {
      expect(await host.call(event, payload as never)).toMatchObject({ ok: false, error: { code: 'teacher_only' } });
    }
    const v = ok(await teacher.call('class:controls', { ...teacherOf(k), studentsControl: true }));
    expect(v.controls).toEqual({ paused: false, studentsControl: true });
    await host.until(() => host.room.classControls?.studentsControl === true, 'students told they may');
    ok(await host.call('game:mode', { mode: 'scheduler' }));
    ok(await teacher.call('class:controls', { ...teacherOf(k), studentsControl: false }));
    await host.until(() => host.room.classControls?.studentsControl === false, 'students told the teacher holds them again');
    expect(await host.call('game:mode', { mode: 'race' })).toMatchObject({ ok: false, error: { code: 'teacher_only' } });
    // Only the teacher link's holder: a wrong token changes nothing.
    expect(await host.call('class:controls', { code: k.code, teacherToken: 'x'.repeat(32), studentsControl: true })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
    expect(ok(await teacher.call('class:watch', teacherOf(k))).controls.studentsControl).toBe(false);
  });

  it('pause reaches every room at once, refuses steps with class_paused, and resume lets them play again', async () => {
    const teacher = await ctx.open();
    const { k, students } = await classOf(4, teacher, () => ctx.open());
    expect(new Set(students.map((s) => s.room.code)).size).toBe(2);
    ok(await teacher.call('class:controls', { ...teacherOf(k), paused: true }));
    for (const s of students) await s.until(() => s.room.classControls?.paused === true, `${s.room.code} told of the pause`);
    const { s, c: mine } = someoneWhoCanStep(students);
    expect(await s.call('game:act', { actor: mine.actor, step: mine.step, version: s.game.version })).toMatchObject({ ok: false, error: { code: 'class_paused' } });
    expect(s.game.version).toBe(0);
    ok(await teacher.call('class:controls', { ...teacherOf(k), paused: false }));
    for (const t of students) await t.until(() => t.room.classControls?.paused === false, `${t.room.code} told of the resume`);
    ok(await s.call('game:act', { actor: mine.actor, step: mine.step, version: s.game.version }));
  });

  it('restart and rotate one room or every room; a stopped class refuses them', async () => {
    const teacher = await ctx.open();
    const { k, students } = await classOf(6, teacher, () => ctx.open());
    const [a0, , , d0] = students as [Client, Client, Client, Client];
    const step = async (room: string) => {
      const { s, c } = someoneWhoCanStep(students.filter((t) => t.room.code === room));
      ok(await s.call('game:act', { actor: c.actor, step: c.step, version: s.game.version }));
      return s;
    };
    const a = await step(a0.room.code);
    const d = await step(d0.room.code);
    ok(await teacher.call('class:restart', { ...teacherOf(k), room: a.room.code }));
    await a.until(() => a.game.run === 2 && a.game.actions.length === 0, 'room A restarted');
    expect(d.game.run).toBe(1);
    const rolesA = students.filter((s) => s.room.code === a.room.code).map((s) => me(s).role);
    ok(await teacher.call('class:rotate', teacherOf(k)));
    await d.until(() => d.game.run === 2, 'room B rotated into a new run');
    const next = { victim: 'reaper', reaper: 'allocator', allocator: 'victim' } as const;
    const roomA = students.filter((s) => s.room.code === a.room.code);
    for (const [i, s] of roomA.entries()) await s.until(() => me(s).role === next[rolesA[i] as keyof typeof next], 'next seat');
    // Room A had not begun its second run: rotating it starts none.
    expect(a.game.run).toBe(2);
    expect(await teacher.call('class:restart', { ...teacherOf(k), room: 'ZZZZZZ' })).toMatchObject({ ok: false, error: { code: 'unknown_room' } });
    ok(await teacher.call('class:stop', teacherOf(k)));
    for (const e of ['class:restart', 'class:rotate'] as const) {
      expect(await teacher.call(e, teacherOf(k))).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    }
    expect(await teacher.call('class:controls', { ...teacherOf(k), paused: true })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
  });

  it('moves a student to a free seat of another room (their connection follows) and swaps seats within a room', async () => {
    const teacher = await ctx.open();
    const { k, students } = await classOf(4, teacher, () => ctx.open());
    const d = students[3]!;
    const a = students[0]!;
    const [roomA, roomB] = [a.room.code, d.room.code];
    expect(roomA).not.toBe(roomB);
    // Room A is full: its seats are taken.
    const taken = await teacher.call('class:move', { ...teacherOf(k), from: roomB, player: d.joined!.playerId, to: roomA, role: 'victim' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'role_taken' } });
    // A student of room A moves to room B's reaper seat.
    const v = ok(await teacher.call('class:move', { ...teacherOf(k), from: roomA, player: a.joined!.playerId, to: roomB, role: 'reaper' }));
    const inB = v.rooms.find((r) => r.code === roomB)!;
    expect(inB.players.map((p) => [p.name, p.role])).toEqual([['S4', 'victim'], ['S1', 'reaper']]);
    expect(v.rooms.find((r) => r.code === roomA)!.players.map((p) => p.name)).toEqual(['S2', 'S3']);
    await a.until(() => a.moved.includes(roomA) && a.room.code === roomB, 'S1 follows to room B');
    expect(me(a).role).toBe('reaper');
    // Their connection plays in room B now, with the seat token they were given.
    await a.until(() => a.room.players.some((p) => p.id === a.joined!.playerId && p.connected), 'S1 connected in room B');
    const again = await connect(ctx.srv.url);
    try {
      ok(await again.call('room:join', { protocol: PROTOCOL_VERSION, code: roomB, name: 'S1', token: a.joined!.token }));
    } finally {
      again.close();
    }
    // Within a room: a seat someone holds is swapped.
    const b = students[1]!;
    const bRole = me(b).role;
    const c3 = students[2]!;
    const cRole = me(c3).role;
    ok(await teacher.call('class:move', { ...teacherOf(k), from: roomA, player: b.joined!.playerId, to: roomA, role: cRole }));
    await b.until(() => me(b).role === cRole && b.room.players.find((p) => p.id === c3.joined!.playerId)!.role === bRole, 'seats swapped');
    expect(await teacher.call('class:move', { ...teacherOf(k), from: roomA, player: 'nobody', to: roomB, role: 'spectator' })).toMatchObject({ ok: false, error: { code: 'unknown_player' } });
  });
});

describe('who is quiet or away', () => {
  let srv: TestServer | null = null;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await srv?.stop();
    srv?.cleanup();
    srv = null;
  });

  it('the class view says how long each student has been quiet and whether they are connected', async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    srv = await startServer({ clock });
    const open = async () => { const c = await connect(srv!.url); clients.push(c); return c; };
    const teacher = await open();
    const { k, students } = await classOf(3, teacher, open);
    offset += 120_000;
    const { s, c } = someoneWhoCanStep(students);
    ok(await s.call('game:act', { actor: c.actor, step: c.step, version: s.game.version }));
    const away = students.find((t) => t !== s)!;
    const quiet = students.find((t) => t !== s && t !== away)!;
    away.close();
    let v: ClassView = ok(await teacher.call('class:watch', teacherOf(k)));
    await teacher.until(() => {
      v = teacher.classes[teacher.classes.length - 1] ?? v;
      return v.rooms[0]!.players.find((p) => p.id === away.joined!.playerId)?.connected === false;
    }, 'a student away');
    const by = (t: Client) => v.rooms[0]!.players.find((p) => p.id === t.joined!.playerId)!;
    expect(by(s).quietMs).toBeLessThan(60_000);
    expect(by(s).connected).toBe(true);
    expect(by(quiet).quietMs).toBeGreaterThanOrEqual(120_000);
    expect(by(quiet).connected).toBe(true);
    expect(by(away).connected).toBe(false);
  });
});

describe('class controls survive a restart', () => {
  it('a paused class is still paused when its rooms load again', async () => {
    const first = await startServer();
    let c = await connect(first.url);
    const { k } = await classOf(1, c, async () => connect(first.url));
    ok(await c.call('class:controls', { ...teacherOf(k), paused: true, studentsControl: true }));
    c.close();
    await first.stop();
    const again = await startServer({ dir: first.dir });
    try {
      c = await connect(again.url);
      const v = ok(await c.call('class:watch', teacherOf(k)));
      expect(v.controls).toEqual({ paused: true, studentsControl: true });
      const code = v.rooms[0]!.code;
      const s = await connect(again.url);
      const j = ok(await s.call('room:join', { protocol: PROTOCOL_VERSION, code, name: 'late' }));
      expect(j.room.classControls).toEqual({ paused: true, studentsControl: true });
      s.close();
      c.close();
    } finally {
      await again.stop();
      again.cleanup();
    }
  });
});
