// The teacher path: one class code, students seated in rooms of three, the teacher
// watching which outcomes each room finds, and stopping the class.

import { describe, expect, it } from 'vitest';
import type { ClassCreatedData } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { type Client, ok, shortestTrace, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();
const open = ctx.open;

async function classroom(grouping: 'auto' | 'pick'): Promise<{ teacher: Client; klass: ClassCreatedData }> {
  const teacher = await open();
  const klass = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping }));
  expect(klass.link).toBe(`/c/${klass.code}`);
  expect(klass.class).toMatchObject({ grouping, mode: 'race', closed: false, rooms: [], found: [] });
  expect(klass.class.reachable).toContain('oops');
  ok(await teacher.call('class:watch', { code: klass.code, teacherToken: klass.teacherToken }));
  return { teacher, klass };
}

describe('classes', () => {
  it('auto grouping seats students in rooms of three; the teacher sees what each room found', async () => {
    const { teacher, klass } = await classroom('auto');
    const students: Client[] = [];
    const seats: { room: string; role: string }[] = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) {
      const s = await open();
      const r = ok(await s.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code.toLowerCase(), name }));
      s.joined = r.joined;
      students.push(s);
      seats.push({ room: r.joined!.room.code, role: r.joined!.role });
    }
    expect(seats.map((s) => s.role)).toEqual(['victim', 'reaper', 'allocator', 'victim']);
    expect(new Set(seats.slice(0, 3).map((s) => s.room)).size).toBe(1);
    expect(seats[3]!.room).not.toBe(seats[0]!.room);
    await teacher.until(() => (teacher.classes.at(-1)?.rooms.length ?? 0) === 2 && teacher.classes.at(-1)!.rooms[1]!.players.length === 1, 'two rooms');
    expect(teacher.classes.at(-1)!.rooms.map((r) => r.players.map((p) => p.name))).toEqual([['Ana', 'Ben', 'Cai'], ['Dee']]);

    // Room 1 plays the oops (race mode: each student steps their own actor).
    const [ana, ben, cai] = students as [Client, Client, Client];
    const byRole = { victim: ana, reaper: ben, allocator: cai };
    const trace = shortestTrace(ana.joined!.room.scenario, 'oops');
    for (let i = 0; i < trace.length; i++) ok(await byRole[roleOfActor(trace[i]!.actor)].call('game:act', { ...trace[i]!, version: i }));
    await teacher.until(() => teacher.classes.at(-1)!.found.includes('oops'), 'oops found');
    const view = teacher.classes.at(-1)!;
    expect(view.rooms[0]).toMatchObject({ code: seats[0]!.room, runs: 1, found: ['oops'], lastOutcome: 'oops', free: [] });
    expect(view.rooms[1]).toMatchObject({ runs: 0, found: [], free: ['reaper', 'allocator'] });
    // The teacher holds the host's controls until they let the students.
    expect(await students[3]!.call('bot:set', { role: 'reaper', kind: 'lazy' })).toMatchObject({ ok: false, error: { code: 'teacher_only' } });
    ok(await teacher.call('class:controls', { code: klass.code, teacherToken: klass.teacherToken, studentsControl: true }));
    await students[3]!.until(() => students[3]!.room.classControls?.studentsControl === true, 'students may');
    // Dee, alone in room 2, may turn bots on (a solo player has the host's powers); in room 1
    // Ana sat down first and hosts it, Ben may not put a bot on a seat that Cai plays.
    expect(ok(await students[3]!.call('bot:set', { role: 'reaper', kind: 'lazy' })).bots).toEqual({ victim: null, reaper: 'lazy', allocator: null });
    expect(ana.room.hostId).toBe(ana.joined!.playerId);
    expect(await ben.call('bot:set', { role: 'allocator', kind: 'lazy' })).toMatchObject({ ok: false, error: { code: 'not_host' } });
    ok(await students[3]!.call('bot:set', { role: 'reaper', kind: null }));

    // The teacher stops the class: no more joins, no more steps.
    const stopped = ok(await teacher.call('class:stop', { code: klass.code, teacherToken: klass.teacherToken }));
    expect(stopped.closed).toBe(true);
    const late = await open();
    expect(await late.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Eli' })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    const dee = students[3]!;
    const choice = dee.joined!.game.choices.find((c) => c.role === 'victim')!;
    expect(await dee.call('game:act', { actor: choice.actor, step: choice.step || 'any', version: 0 })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    // Only the teacher token opens the class.
    expect(await late.call('class:watch', { code: klass.code, teacherToken: 'x'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
    expect(await late.call('class:watch', { code: 'QQQQQQ', teacherToken: 'x'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'unknown_class' } });
  });

  it('two students put a bot on the empty seat and play; the teacher sees hosts, steps and runs as they go', async () => {
    const { teacher, klass } = await classroom('auto');
    const info = await fetch(`${ctx.srv.url}/api/classes/${klass.code.toLowerCase()}`);
    expect(await info.json()).toMatchObject({ ok: true, data: { code: klass.code, link: `/c/${klass.code}`, grouping: 'auto', mode: 'race', closed: false, lesson: { id: 'fixture-oops' } } });
    expect((await fetch(`${ctx.srv.url}/api/classes/QQQQQQ`)).status).toBe(404);
    const kind = async (c: string) => ((await (await fetch(`${ctx.srv.url}/api/codes/${c}`)).json()) as { data: { kind: string } }).data.kind;
    expect(await kind(klass.code)).toBe('class');
    expect(await kind('QQQQQQ')).toBe('none');
    const [ana, ben] = [await open(), await open()];
    for (const [c, name] of [[ana, 'Ana'], [ben, 'Ben']] as const) {
      const r = ok(await c.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name }));
      c.joined = r.joined;
    }
    const code = ana.joined!.room.code;
    expect(ben.joined!.room.code).toBe(code);
    expect(await kind(code)).toBe('room');
    expect(ben.joined!.room.hostId).toBe(ana.joined!.playerId);
    await teacher.until(() => teacher.classes.at(-1)?.rooms[0]?.players.length === 2, 'two students');
    expect(teacher.classes.at(-1)!.rooms[0]).toMatchObject({
      code, free: ['allocator'], run: 1, steps: 0, runs: 0,
      players: [{ name: 'Ana', role: 'victim', host: true, connected: true }, { name: 'Ben', role: 'reaper', host: false, connected: true }],
    });
    ok(await teacher.call('class:controls', { code: klass.code, teacherToken: klass.teacherToken, studentsControl: true }));
    await ben.until(() => ben.room.classControls?.studentsControl === true, 'students may');
    // Ben is not the host, but he plays an actor: he may put a bot on the free seat (not on Ana's).
    expect(await ben.call('bot:set', { role: 'victim', kind: 'lazy' })).toMatchObject({ ok: false, error: { code: 'not_host' } });
    expect(ok(await ben.call('bot:set', { role: 'allocator', kind: 'adversary' })).bots).toEqual({ victim: null, reaper: null, allocator: 'adversary' });
    // Ana and Ben step their actors; the adversary steps the allocator. The teacher sees the steps.
    while (!ana.game.result && ana.game.actions.length < 6) {
      const g = ana.game;
      const move = g.choices.find((c) => c.enabled && c.role !== 'allocator');
      if (move) {
        const who = move.role === 'victim' ? ana : ben;
        const r = await who.call('game:act', { actor: move.actor, step: move.step, version: g.version });
        if (!r.ok) expect(r.error.code).toBe('stale_version');
      }
      await ana.until(() => ana.game.version > g.version || ana.game.result !== null, 'the next step');
    }
    const steps = ana.game.actions.length;
    expect(ana.game.actions.some((a) => a.by.kind === 'bot' && a.actor === 'allocator')).toBe(true);
    await teacher.until(() => teacher.classes.at(-1)!.rooms[0]!.steps === steps, 'the steps reach the teacher');
    expect(teacher.classes.at(-1)!.rooms[0]!.bots.allocator).toBe('adversary');
    // Steps are coalesced: far fewer class views than game states.
    expect(teacher.classes.length).toBeLessThan(ana.games.length + 4);
  });

  it('pick grouping lets students choose a room or open a new one', async () => {
    const { klass } = await classroom('pick');
    const a = await open();
    const list = ok(await a.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ana' }));
    expect(list).toEqual({ classCode: klass.code, joined: null, rooms: [] });
    const made = ok(await a.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ana', room: 'new' }));
    expect(made.joined!.role).toBe('victim');
    const b = await open();
    const listed = ok(await b.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ben' }));
    expect(listed.rooms).toMatchObject([{ code: made.joined!.room.code, free: ['reaper', 'allocator'] }]);
    const sat = ok(await b.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ben', room: made.joined!.room.code }));
    expect(sat.joined!.role).toBe('reaper');
    expect(await b.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ben', room: 'ABCDEF' })).toMatchObject({ ok: false, error: { code: 'unknown_room' } });
  });
});
