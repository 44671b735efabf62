// The lesson editor's Web Worker: checks a lesson's expectations with the explorer off the
// main thread (./lesson-check.ts). One request, one answer; the engine is pure.
import './zod-config.js';
import { checkLesson, type CheckAnswer, type CheckRequest } from './lesson-check.js';

const scope = self as unknown as { onmessage: ((e: MessageEvent<CheckRequest>) => void) | null; postMessage(m: CheckAnswer): void };

scope.onmessage = (e) => {
  const { id, lesson, positions } = e.data;
  try {
    scope.postMessage({ id, ok: true, check: checkLesson(lesson, positions) });
  } catch (err) {
    scope.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
