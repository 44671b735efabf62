// The game the solo learner plays, checked against what the lesson promises. The learner
// holds the lesson's solo seat: every actor for `solo: scheduler`, or one actor while the
// other seats follow their bots (engine/solo-game.ts, which runs the server's bot policy
// with every random roll as a branch). The lesson's goal must be winnable there, and a
// shortest winning run must pass through every step the hints name ({victim:mmput}, ...):
// hints that describe a path the learner never sees are an error.

import { buildGraph, exploreSoloGame, type SoloGameResult, type StepRef } from '../engine/index.js';
import { lessonBotGoals, lessonScenario } from './parse.js';
import { stepRefsIn, stepRefText } from './present.js';
import type { Lesson, RoleId } from './schema.js';

export interface SoloCheck {
  /** Who the learner plays, in words. */
  seat: string;
  /** The steps the hints name, in order of first mention. */
  hinted: StepRef[];
  result: SoloGameResult;
  /** What does not hold, in words (empty when the lesson is fine). */
  problems: { path: string; message: string }[];
}

const ROLES: readonly RoleId[] = ['victim', 'reaper', 'allocator'];

/** The steps a lesson's hints name, without repeats. */
export function hintedSteps(lesson: Lesson): { ref: StepRef; hint: number }[] {
  const out: { ref: StepRef; hint: number }[] = [];
  lesson.hints.forEach((h, i) => {
    for (const r of stepRefsIn(h)) {
      const ref: StepRef = { role: r.role, step: r.step, ...(r.vma !== undefined ? { vma: r.vma } : {}) };
      if (!out.some((x) => x.ref.role === ref.role && x.ref.step === ref.step && x.ref.vma === ref.vma)) out.push({ ref, hint: i });
    }
  });
  return out;
}

export function checkSoloGame(lesson: Lesson): SoloCheck {
  const g = buildGraph(lessonScenario(lesson));
  const solo = lesson.roles.solo;
  const bots = solo === 'scheduler' ? {} : Object.fromEntries(ROLES.filter((r) => r !== solo).map((r) => [r, lesson.roles[r].bot]));
  const o = lesson.goal.outcome;
  const goal = lesson.goal.kind === 'hunt' ? { reach: o, avoid: [] } : { reach: 'success' as const, avoid: [o] };
  const hinted = hintedSteps(lesson);
  const result = exploreSoloGame(g, { bots, botGoals: lessonBotGoals(lesson), goal, through: hinted.map((h) => h.ref) });
  const seat = solo === 'scheduler' ? 'the scheduler (every actor)' : `the ${solo}, against the ${ROLES.filter((r) => r !== solo).map((r) => `${lesson.roles[r].bot} ${r}`).join(' and ')} bots`;
  const want = lesson.goal.kind === 'hunt' ? `"${o}"` : `a success without "${o}"`;
  const problems: SoloCheck['problems'] = [];
  if (!result.complete) problems.push({ path: 'roles.solo', message: `the solo game ran out of its budget after ${result.states} states` });
  else if (!result.shortest) {
    problems.push({ path: 'roles.solo', message: `playing ${seat}, the learner can never reach ${want} (${result.states} states of the solo game searched)` });
  } else if (hinted.length > 0) {
    const shortest = result.shortest.steps;
    const through = result.shortestThrough;
    if (!through || through.steps > shortest) {
      const missing = hinted.filter((h) => !result.shortest!.trace.some((a) => (a.actor === h.ref.role || a.actor.startsWith(h.ref.role)) && a.step.replace(/:\d+$/, '') === h.ref.step
        && (h.ref.vma === undefined || a.step === `${h.ref.step}:${h.ref.vma}`)));
      const named = (missing.length ? missing : hinted).map((h) => `${stepRefText(lesson.variant, h.ref)} (hint ${h.hint + 1})`).join(', ');
      problems.push({
        path: `hints[${(missing[0] ?? hinted[0]!).hint}]`,
        message: through
          ? `playing ${seat}, the shortest win takes ${shortest} steps, but passing through the hinted steps takes ${through.steps}; not on the shortest win: ${named}`
          : `playing ${seat}, no winning run passes through every hinted step; not on the shortest win: ${named}`,
      });
    }
  }
  return { seat, hinted: hinted.map((h) => h.ref), result, problems };
}
