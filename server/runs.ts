// Finishing a run: its verdict against the lesson's goal, the sentence the players read,
// the trace that is kept (who played each actor, the seed, the times) and the names
// credited with a won lesson. Pure: the room service passes the time and the trace id, and
// stores what this returns in the same transaction as the run's last step.

import { actorIds, type State } from '../engine/index.js';
import type { RunResult, RunTrace, TraceStep, Verdict } from '../protocol/events.js';
import { creditedWithWin, type Table } from '../protocol/rules.js';
import type { Lesson } from './lessons.js';
import type { RoomRecord, RunFinish } from './store/port.js';

/** A name as progress is kept under it (case and spacing do not make another learner). */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** A run's verdict against the lesson goal. */
export function verdictOf(lesson: Lesson | null, state: State): Verdict {
  if (!lesson || !state.outcome) return 'none';
  const o = lesson.goal.outcome;
  const hit = state.outcome.id === o || (o === 'needless_kill' && state.needlessKill);
  return lesson.goal.kind === 'hunt' ? (hit ? 'win' : 'lose') : hit ? 'lose' : 'win';
}

const OUTCOME_TEXT: Record<string, string> = {
  success: 'The allocation succeeded.',
  oops: 'The kernel oopsed.',
  lockup: 'The system locked up: nobody can make progress.',
  panic: 'Out of memory and no killable processes: kernel panic.',
};

/** What finishing the run of `room` in `state` (an ending state) after `actions` writes. */
export function finishRun(room: { rec: RoomRecord; lesson: Lesson | null; table: Table }, state: State, actions: TraceStep[], now: number, traceId: string): RunFinish {
  const outcome = state.outcome!;
  const verdict = verdictOf(room.lesson, state);
  const lesson = room.lesson;
  const text = verdict === 'win' ? lesson!.win : verdict === 'lose' ? lesson!.lose : (outcome.detail ?? OUTCOME_TEXT[outcome.id] ?? outcome.id);
  const players: Record<string, string[]> = {};
  for (const id of actorIds(state)) players[id] = [];
  for (const a of actions) {
    const who = a.by.kind === 'human' ? a.by.name : `bot:${a.by.bot}`;
    const list = (players[a.actor] ??= []);
    if (!list.includes(who)) list.push(who);
  }
  const rec = room.rec;
  const trace: RunTrace = {
    id: traceId,
    room: rec.code,
    classCode: rec.classCode,
    lesson: rec.lesson,
    run: rec.run,
    scenario: rec.scenario,
    actions,
    outcome: outcome.id,
    ...(outcome.detail ? { detail: outcome.detail } : {}),
    needlessKill: state.needlessKill,
    verdict,
    players,
    seed: rec.runSeed,
    startedAt: new Date(rec.runStartedAt).toISOString(),
    finishedAt: new Date(now).toISOString(),
  };
  const result: RunResult = {
    outcome: outcome.id,
    ...(outcome.detail ? { detail: outcome.detail } : {}),
    needlessKill: state.needlessKill,
    verdict,
    text,
    traceId: trace.id,
  };
  const winners = verdict === 'win'
    ? [...new Map(room.table.players.filter((p) => creditedWithWin(room.table, p.id)).map((p) => [nameKey(p.name), { key: nameKey(p.name), name: p.name }])).values()]
    : [];
  return { trace, result, winners };
}
