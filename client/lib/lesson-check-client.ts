// Runs the lesson editor's explorer check (./lesson-check.ts) in a Web Worker so typing stays
// smooth, falling back to the main thread where workers are unavailable.
import type { Lesson } from '../../lessons/schema.js';
import { checkLesson, type LessonCheck } from './lesson-check.js';
import { workerRequests } from './worker-requests.js';

type Positions = Record<string, { line: number; col: number }>;

const checks = workerRequests<{ lesson: Lesson; positions: Positions }, LessonCheck, { check: LessonCheck }>(
  () => new Worker(new URL('./lesson-check.worker.ts', import.meta.url), { type: 'module' }),
  (a) => a.check,
  (r) => checkLesson(r.lesson, r.positions),
);

/** The check off the main thread, or a message saying why there is none. */
export function checkLessonInWorker(lesson: Lesson, positions: Positions): Promise<LessonCheck | string> {
  return checks.ask({ lesson, positions });
}
