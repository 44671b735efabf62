// The class report over HTTP: a class plays a run, and the report says which room and
// which students played it, as CSV and as Markdown.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { type Client, ok, shortestTrace, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();

describe('class report', () => {
  it('serves CSV and Markdown of what each room and student did', async () => {
    const teacher = await ctx.open();
    const klass = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping: 'auto' }));
    const students: Client[] = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) {
      const s = await ctx.open();
      s.joined = ok(await s.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name })).joined;
      students.push(s);
    }
    const [ana, ben, cai] = students as [Client, Client, Client];
    const room = ana.joined!.room.code;
    const byRole = { victim: ana, reaper: ben, allocator: cai };
    const trace = shortestTrace(ana.joined!.room.scenario, 'oops');
    for (let i = 0; i < trace.length; i++) ok(await byRole[roleOfActor(trace[i]!.actor)].call('game:act', { ...trace[i]!, version: i }));
    await ana.until(() => ana.game.result !== null, 'the run ends');

    const csvRes = await fetch(`${ctx.srv.url}/api/classes/${klass.code.toLowerCase()}/report.csv`);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csvRes.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('scope,room,student,runs,wins,outcomes_found,steps,seconds,players_or_rooms');
    expect(lines[1]).toMatch(new RegExp(`^room,${room},,1,1,oops,${trace.length},\\d+,`));
    const dee = students[3]!.joined!.room.code;
    expect(lines[2]).toBe(`room,${dee},,0,0,,0,0,`);
    const perStudent = lines.filter((l) => l.startsWith('student,'));
    const names = { victim: 'Ana', reaper: 'Ben', allocator: 'Cai' };
    expect(perStudent.map((l) => l.split(',')[2]).sort()).toEqual([...new Set(trace.map((a) => names[roleOfActor(a.actor)]))].sort());
    const steps = perStudent.reduce((n, l) => n + Number(l.split(',')[6]), 0);
    expect(steps).toBe(trace.length);

    const md = await (await fetch(`${ctx.srv.url}/api/classes/${klass.code}/report.md`)).text();
    expect(md).toContain(`# Class ${klass.code} — `);
    expect(md).toMatch(new RegExp(`\\| ${room} \\| 1 \\| 1 \\| oops \\| ${trace.length} \\|`));

    expect((await fetch(`${ctx.srv.url}/api/classes/QQQQQQ/report.csv`)).status).toBe(404);
    expect((await fetch(`${ctx.srv.url}/api/classes/${klass.code}/report.pdf`)).status).toBe(400);
  });
});
