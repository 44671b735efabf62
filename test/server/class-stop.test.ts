// Stopping a class tells every student at once: each class room gets a room view that
// says the class is stopped, and a step after it is refused with the reason.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { type Client, ok, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();

describe('stopping a class', () => {
  it('pushes the stop to every student in every room; their steps are refused', async () => {
    const teacher = await ctx.open();
    const k = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping: 'auto' }));
    const students: Client[] = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) {
      const s = await ctx.open();
      s.joined = ok(await s.call('class:join', { protocol: PROTOCOL_VERSION, code: k.code, name })).joined;
      students.push(s);
    }
    expect(new Set(students.map((s) => s.joined!.room.code)).size).toBe(2);
    expect(students.every((s) => !s.room.classClosed)).toBe(true);
    ok(await teacher.call('class:stop', { code: k.code, teacherToken: k.teacherToken }));
    // No request from the students: the stop arrives by itself.
    for (const s of students) await s.until(() => s.room.classClosed === true, `${s.joined!.room.code} is told`);
    const c = students[0]!.game.choices[0]!;
    expect(await students[0]!.call('game:act', { actor: c.actor, step: c.step || 'any', version: students[0]!.game.version })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
  });
});
