// Checking a lesson's expectations against the explorer: every interleaving of the
// lesson's scenario is searched, and each declared expectation (reachable, unreachable,
// shortest length) must hold; then the solo learner's game must be winnable through the
// steps the hints name (solo-check.ts). Pure: the CLI, the tests and the browser share it.

import { explore, OUTCOMES, type Action, type ExploreResult, type OutcomeId, type Scenario } from '../engine/index.js';
import { lessonScenario, type LessonError, type Position } from './parse.js';
import type { Lesson } from './schema.js';
import { checkSoloGame, type SoloCheck } from './solo-check.js';

export interface OutcomeCheck {
  outcome: OutcomeId;
  /** What the lesson declares (null: it says nothing about this outcome). */
  expected: 'reachable' | 'unreachable' | null;
  expectedSteps: number | null;
  reachable: boolean;
  /** Length of the explorer's shortest trace (null when unreachable). */
  steps: number | null;
  trace: Action[] | null;
  ok: boolean;
}

export interface LessonVerdict {
  lesson: string;
  scenario: Scenario;
  result: ExploreResult;
  checks: OutcomeCheck[];
  /** One error per expectation that does not hold, placed at the expectation. */
  problems: LessonError[];
  /** The game the solo learner plays (null when the check was turned off). */
  solo: SoloCheck | null;
  ok: boolean;
}

export interface VerifyOptions {
  /** For the errors' file name and positions (from parseLesson). */
  file?: string;
  positions?: Record<string, Position>;
  /** The explorer's state budget. */
  maxStates?: number;
  /** Also check the solo learner's game (lessons/solo-check.ts). Default true. */
  solo?: boolean;
}

const traceText = (t: Action[], max = 12) =>
  t.slice(0, max).map((a) => `${a.actor}:${a.step}`).join(', ') + (t.length > max ? `, … (${t.length - max} more)` : '');

export function verifyLesson(lesson: Lesson, opts: VerifyOptions = {}): LessonVerdict {
  const scenario = lessonScenario(lesson);
  const result = explore(scenario, opts.maxStates ? { maxStates: opts.maxStates } : {});
  const file = opts.file ?? `${lesson.id}.yaml`;
  const pos = (path: string): Position => {
    for (let p = path; ; p = p.replace(/(\.[^.[]+|\[\d+\])$/, '')) {
      const hit = opts.positions?.[p];
      if (hit) return hit;
      if (!/[.[]/.test(p)) return opts.positions?.[p] ?? { line: 1, col: 1 };
    }
  };
  const problems: LessonError[] = [];
  const problem = (path: string, message: string) => problems.push({ file, ...pos(path), path, message: `${path}: ${message}` });
  const where = `${scenario.variant} × ${scenario.config.id}`;

  if (!result.complete) {
    problem('variant', `the explorer ran out of its budget after ${result.states} states of ${where}; no expectation can be checked`);
  }
  const checks: OutcomeCheck[] = OUTCOMES.map((o) => {
    const reach = result.outcomes[o];
    const ri = lesson.expect.reachable.indexOf(o);
    const ui = lesson.expect.unreachable.indexOf(o);
    const expected = ri >= 0 ? 'reachable' : ui >= 0 ? 'unreachable' : null;
    const expectedSteps = lesson.expect.shortest?.[o] ?? null;
    let ok = true;
    if (expected === 'reachable' && !reach.reachable) {
      ok = false;
      problem(`expect.reachable[${ri}]`, `"${o}" is expected reachable, but no interleaving of ${where} reaches it (${result.states} states searched)`);
    }
    if (expected === 'unreachable' && reach.reachable) {
      ok = false;
      problem(`expect.unreachable[${ui}]`, `"${o}" is expected unreachable, but the explorer reaches it in ${reach.steps} steps: ${traceText(reach.trace)}`);
    }
    if (expectedSteps !== null && reach.reachable && reach.steps !== expectedSteps) {
      ok = false;
      problem(`expect.shortest.${o}`, `the shortest trace to "${o}" is expected to take ${expectedSteps} steps, but the explorer's takes ${reach.steps}: ${traceText(reach.trace, 30)}`);
    }
    return {
      outcome: o,
      expected,
      expectedSteps,
      reachable: reach.reachable,
      steps: reach.reachable ? reach.steps : null,
      trace: reach.reachable ? reach.trace : null,
      ok,
    };
  });
  // The solo game is only worth checking once the explorer agrees with the lesson.
  const solo = opts.solo === false || !result.complete || problems.length > 0 ? null : checkSoloGame(lesson);
  for (const p of solo?.problems ?? []) problem(p.path, p.message);
  return { lesson: lesson.id, scenario, result, checks, problems, solo, ok: problems.length === 0 };
}
