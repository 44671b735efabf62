// The explorer's answer to a lesson's expectations, for the lesson editor: lessons/verify.ts
// (the same check as `npm run lessons:check`), reduced to what the editor shows. It runs in
// a Web Worker (./lesson-check.worker.ts, started by ./lesson-check-client.ts).
import type { LessonError } from '../../lessons/parse.js';
import type { Lesson } from '../../lessons/schema.js';
import { verifyLesson } from '../../lessons/verify.js';
import type { OutcomeId } from '../../engine/index.js';

export interface LessonCheck {
  ok: boolean;
  /** States the explorer searched, and whether it searched them all. */
  states: number;
  complete: boolean;
  checks: { outcome: OutcomeId; expected: 'reachable' | 'unreachable' | null; expectedSteps: number | null; reachable: boolean; steps: number | null; ok: boolean }[];
  /** One per expectation that does not hold, at its line and column. */
  problems: LessonError[];
  /** Who the solo learner plays and whether they can win (null when not checked: the explorer disagreed first). */
  solo: { seat: string; winnable: boolean; steps: number | null } | null;
}

export interface CheckRequest { id: number; lesson: Lesson; positions: Record<string, { line: number; col: number }> }
export type CheckAnswer = { id: number; ok: true; check: LessonCheck } | { id: number; ok: false; message: string };

/** Budget of the editor's check: the campaign's largest scenario needs well under this. */
export const CHECK_BUDGET = 2_000_000;

export function checkLesson(lesson: Lesson, positions: Record<string, { line: number; col: number }>): LessonCheck {
  const v = verifyLesson(lesson, { file: 'lesson.yaml', positions, maxStates: CHECK_BUDGET });
  return {
    ok: v.ok,
    states: v.result.states,
    complete: v.result.complete,
    checks: v.checks.map(({ outcome, expected, expectedSteps, reachable, steps, ok }) => ({ outcome, expected, expectedSteps, reachable, steps, ok })),
    problems: v.problems,
    solo: v.solo ? { seat: v.solo.seat, winnable: v.solo.result.shortest !== null, steps: v.solo.result.shortest?.steps ?? null } : null,
  };
}
