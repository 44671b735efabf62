// The class report: what each room and each student did in a class — runs, outcomes found,
// steps, time — built from the class's finished runs alone, so the same runs always give
// the same report. CSV is for a spreadsheet or a gradebook, Markdown for reading or the
// class notebook. Pure: no clock (the caller says when), no I/O.

import { OUTCOMES, type OutcomeId } from '../engine/types.js';
import type { RunTrace } from './events.js';

export interface ReportRow {
  /** Finished runs. */
  runs: number;
  /** Runs that reached the lesson's goal. */
  wins: number;
  /** Distinct outcomes shown (needless_kill included), in OUTCOMES order. */
  found: OutcomeId[];
  /** Steps: every step of the room's runs, or the steps a student took themselves. */
  steps: number;
  /** Time spent in finished runs, in seconds (from a run's start to its end). */
  seconds: number;
}

export interface RoomReport extends ReportRow {
  room: string;
  /** Everyone who took a step in the room's runs, in order of first step. */
  players: string[];
}

export interface StudentReport extends ReportRow {
  name: string;
  /** The rooms the student played in, in order of first run. */
  rooms: string[];
}

export interface ClassReport {
  classCode: string;
  lesson: { id: string; title: string };
  /** ISO 8601, given by the caller. */
  generatedAt: string;
  /** Outcomes the explorer says the lesson's scenario can reach. */
  reachable: OutcomeId[];
  /** Outcomes found by the whole class. */
  found: OutcomeId[];
  rooms: RoomReport[];
  students: StudentReport[];
}

export interface ClassReportInput {
  classCode: string;
  lesson: { id: string; title: string };
  /** The class's rooms in the order they opened; rooms without a finished run are listed too. */
  rooms: readonly string[];
  traces: readonly RunTrace[];
  reachable: readonly OutcomeId[];
  generatedAt: string;
}

function outcomesOf(t: RunTrace): OutcomeId[] {
  return t.needlessKill ? [t.outcome, 'needless_kill'] : [t.outcome];
}

function seconds(t: RunTrace): number {
  const d = (Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000;
  return Number.isFinite(d) && d > 0 ? d : 0;
}

function inOrder(found: Set<OutcomeId>): OutcomeId[] {
  return OUTCOMES.filter((o) => found.has(o));
}

interface Tally { runs: number; wins: number; found: Set<OutcomeId>; steps: number; seconds: number }
const tally = (): Tally => ({ runs: 0, wins: 0, found: new Set(), steps: 0, seconds: 0 });
const row = (t: Tally): ReportRow => ({ runs: t.runs, wins: t.wins, found: inOrder(t.found), steps: t.steps, seconds: Math.round(t.seconds) });

export function buildClassReport(input: ClassReportInput): ClassReport {
  const rooms = new Map<string, Tally & { players: string[] }>();
  for (const code of input.rooms) rooms.set(code, { ...tally(), players: [] });
  const students = new Map<string, Tally & { name: string; rooms: string[] }>();
  const classFound = new Set<OutcomeId>();
  const traces = [...input.traces].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  for (const t of traces) {
    let r = rooms.get(t.room);
    if (!r) rooms.set(t.room, (r = { ...tally(), players: [] }));
    const outcomes = outcomesOf(t);
    r.runs++;
    if (t.verdict === 'win') r.wins++;
    r.steps += t.actions.length;
    r.seconds += seconds(t);
    for (const o of outcomes) { r.found.add(o); classFound.add(o); }
    // A student played a run when they took at least one of its steps; the name is the key
    // (case-insensitive), since a student who moves rooms gets a new player id.
    const stepsBy = new Map<string, { name: string; steps: number }>();
    for (const a of t.actions) {
      if (a.by.kind !== 'human') continue;
      const key = a.by.name.toLowerCase();
      const s = stepsBy.get(key) ?? { name: a.by.name, steps: 0 };
      s.steps++;
      stepsBy.set(key, s);
    }
    for (const [key, { name, steps }] of stepsBy) {
      if (!r.players.some((p) => p.toLowerCase() === key)) r.players.push(name);
      let s = students.get(key);
      if (!s) students.set(key, (s = { ...tally(), name, rooms: [] }));
      s.runs++;
      if (t.verdict === 'win') s.wins++;
      s.steps += steps;
      s.seconds += seconds(t);
      for (const o of outcomes) s.found.add(o);
      if (!s.rooms.includes(t.room)) s.rooms.push(t.room);
    }
  }
  return {
    classCode: input.classCode,
    lesson: input.lesson,
    generatedAt: input.generatedAt,
    reachable: OUTCOMES.filter((o) => input.reachable.includes(o)),
    found: inOrder(classFound),
    rooms: [...rooms].map(([room, t]) => ({ room, players: t.players, ...row(t) })),
    students: [...students.values()].sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({ name: s.name, rooms: s.rooms, ...row(s) })),
  };
}

// ---------------------------------------------------------------------------------------
// CSV (RFC 4180): one table, a `scope` column says whether a row is a room or a student.

/** A CSV field: quoted when needed; text a spreadsheet would run as a formula is defused with a leading '. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = ['scope', 'room', 'student', 'runs', 'wins', 'outcomes_found', 'steps', 'seconds', 'players_or_rooms'] as const;

export function reportCsv(r: ClassReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  const add = (fields: (string | number)[]) => lines.push(fields.map(csvField).join(','));
  for (const x of r.rooms) add(['room', x.room, '', x.runs, x.wins, x.found.join(' '), x.steps, x.seconds, x.players.join('; ')]);
  for (const x of r.students) add(['student', x.rooms.join(' '), x.name, x.runs, x.wins, x.found.join(' '), x.steps, x.seconds, x.rooms.join('; ')]);
  return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------
// Markdown

function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

export function reportMarkdown(r: ClassReport): string {
  const list = (o: readonly string[]) => (o.length ? o.join(', ') : '—');
  const missing = r.reachable.filter((o) => !r.found.includes(o));
  const out = [
    `# Class ${r.classCode} — ${mdCell(r.lesson.title)}`,
    '',
    `_Lesson \`${r.lesson.id}\`. Report made ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC._`,
    '',
    `**Outcomes found:** ${list(r.found)} (reachable: ${list(r.reachable)}${missing.length ? `; not found yet: ${missing.join(', ')}` : ''}).`,
    '',
    '## Rooms',
    '',
    '| room | runs | goal reached | outcomes found | steps | time | players |',
    '|---|---:|---:|---|---:|---:|---|',
    ...r.rooms.map((x) => `| ${x.room} | ${x.runs} | ${x.wins} | ${list(x.found)} | ${x.steps} | ${duration(x.seconds)} | ${mdCell(list(x.players))} |`),
    '',
    '## Students',
    '',
  ];
  if (r.students.length === 0) out.push('Nobody has finished a run yet.');
  else {
    out.push('| student | rooms | runs | goal reached | outcomes found | steps taken | time |', '|---|---|---:|---:|---|---:|---:|');
    for (const x of r.students) out.push(`| ${mdCell(x.name)} | ${x.rooms.join(', ')} | ${x.runs} | ${x.wins} | ${list(x.found)} | ${x.steps} | ${duration(x.seconds)} |`);
  }
  return out.join('\n') + '\n';
}
