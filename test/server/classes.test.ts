// The teacher path: one class code, students seated in rooms of three, the teacher
// watching which outcomes each room finds, and stopping the class.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassCreatedData } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { roleOfActor } from '../../server/rooms.js';
import { connect, ok, shortestTrace, startServer, type Client, type TestServer } from './helpers.js';

let srv: TestServer;
const clients: Client[] = [];
const open = async () => {
  const c = await connect(srv.url);
  clients.push(c);
  return c;
};
beforeEach(async () => {
  srv = await startServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv.stop();
  srv.cleanup();
});

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
    // Dee, alone in room 2, may turn bots on (a solo player has the host's powers); others may not.
    expect(ok(await students[3]!.call('bot:set', { role: 'reaper', kind: 'lazy' })).bots).toEqual({ victim: null, reaper: 'lazy', allocator: null });
    expect(await ana.call('bot:set', { role: 'reaper', kind: 'lazy' })).toMatchObject({ ok: false, error: { code: 'not_host' } });
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
