// The class report from a class's finished runs: per room and per student, as CSV a
// spreadsheet reads back and as Markdown tables.
import { describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../engine/index.js';
import { buildClassReport, csvField, duration, reportCsv, reportMarkdown } from './class-report.js';
import type { RunTrace, StepBy } from './events.js';

const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
const human = (name: string): StepBy => ({ kind: 'human', playerId: `p-${name}`, name });
const bot: StepBy = { kind: 'bot', bot: 'lazy' };

function run(room: string, n: number, by: StepBy[], outcome: RunTrace['outcome'], start: string, secs: number, extra: Partial<RunTrace> = {}): RunTrace {
  const t0 = Date.parse(start);
  return {
    id: `${room}-${n}-trace`, room, classCode: 'CLS1', lesson: 'rfc-v1-boot-crash', run: n, scenario,
    actions: by.map((b, i) => ({ actor: i % 2 ? 'reaper' : 'allocator', step: `S${i}`, by: b })),
    outcome, needlessKill: false, verdict: outcome === 'oops' ? 'win' : 'lose', players: {}, seed: 1,
    startedAt: new Date(t0).toISOString(), finishedAt: new Date(t0 + secs * 1000).toISOString(), ...extra,
  };
}

const traces: RunTrace[] = [
  // Room A: Ada and Bob, two runs; the second finds the oops with a needless kill on the way.
  run('ROOMA', 1, [human('Ada'), bot, human('Bob'), human('Ada')], 'success', '2024-05-01T09:00:00Z', 90),
  run('ROOMA', 2, [human('ada'), human('Bob'), bot], 'oops', '2024-05-01T09:02:00Z', 45, { needlessKill: true }),
  // Room B: Cy alone, then Bob after moving rooms.
  run('ROOMB', 1, [human('Cy'), bot, bot], 'lockup', '2024-05-01T09:01:00Z', 30),
  run('ROOMB', 2, [human('Bob'), human('=cmd()')], 'oops', '2024-05-01T09:05:00Z', 3700),
];

const report = buildClassReport({
  classCode: 'CLS1', lesson: { id: 'rfc-v1-boot-crash', title: 'The boot crash' }, rooms: ['ROOMA', 'ROOMB', 'ROOMC'],
  traces: [...traces].reverse(), reachable: ['oops', 'success', 'lockup', 'needless_kill', 'panic'], generatedAt: '2024-05-01T10:00:00.000Z',
});

describe('class report', () => {
  it('counts runs, goals, outcomes, steps and time per room, including rooms with no run', () => {
    expect(report.rooms).toEqual([
      { room: 'ROOMA', players: ['Ada', 'Bob'], runs: 2, wins: 1, found: ['success', 'needless_kill', 'oops'], steps: 7, seconds: 135 },
      { room: 'ROOMB', players: ['Cy', 'Bob', '=cmd()'], runs: 2, wins: 1, found: ['lockup', 'oops'], steps: 5, seconds: 3730 },
      { room: 'ROOMC', players: [], runs: 0, wins: 0, found: [], steps: 0, seconds: 0 },
    ]);
    expect(report.found).toEqual(['success', 'needless_kill', 'lockup', 'oops']);
    expect(report.reachable).toEqual(['success', 'needless_kill', 'lockup', 'oops', 'panic']);
  });

  it('counts per student only the runs and steps they took, across rooms, one student per name', () => {
    const bob = report.students.find((s) => s.name === 'Bob')!;
    expect(bob).toEqual({ name: 'Bob', rooms: ['ROOMA', 'ROOMB'], runs: 3, wins: 2, found: ['success', 'needless_kill', 'oops'], steps: 3, seconds: 3835 });
    const ada = report.students.find((s) => s.name === 'Ada')!;
    expect(ada).toMatchObject({ rooms: ['ROOMA'], runs: 2, steps: 3, seconds: 135 });
    expect(report.students.map((s) => s.name)).toEqual(['=cmd()', 'Ada', 'Bob', 'Cy']);
    expect(report.students.find((s) => s.name === 'Cy')).toMatchObject({ runs: 1, wins: 0, steps: 1, found: ['lockup'] });
  });

  it('writes CSV a spreadsheet reads back, with formulas defused', () => {
    const csv = reportCsv(report);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('scope,room,student,runs,wins,outcomes_found,steps,seconds,players_or_rooms');
    expect(lines[1]).toBe('room,ROOMA,,2,1,success needless_kill oops,7,135,Ada; Bob');
    expect(lines).toContain("student,ROOMB,'=cmd(),1,1,oops,1,3700,ROOMB");
    expect(lines).toContain('student,ROOMA ROOMB,Bob,3,2,success needless_kill oops,3,3835,ROOMA; ROOMB');
    expect(lines.length).toBe(1 + 3 + 4);
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
  });

  it('writes Markdown tables with what is not found yet', () => {
    const md = reportMarkdown(report);
    expect(md.startsWith('# Class CLS1 — The boot crash\n')).toBe(true);
    expect(md).toContain('not found yet: panic');
    expect(md).toContain('| ROOMA | 2 | 1 | success, needless_kill, oops | 7 | 2 min 15 s | Ada, Bob |');
    expect(md).toContain('| ROOMC | 0 | 0 | — | 0 | 0 s | — |');
    expect(md).toContain('| Bob | ROOMA, ROOMB | 3 | 2 | success, needless_kill, oops | 3 | 1 h 03 min |');
    expect(duration(59)).toBe('59 s');
  });

  it('says so when nobody has finished a run', () => {
    const empty = buildClassReport({ classCode: 'CLS2', lesson: { id: 'x', title: 'X' }, rooms: [], traces: [], reachable: ['oops'], generatedAt: '2024-05-01T10:00:00.000Z' });
    expect(empty.rooms).toEqual([]);
    expect(reportMarkdown(empty)).toContain('Nobody has finished a run yet.');
    expect(reportCsv(empty)).toBe('scope,room,student,runs,wins,outcomes_found,steps,seconds,players_or_rooms\r\n');
  });
});
