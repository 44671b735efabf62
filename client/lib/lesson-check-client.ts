// Runs the lesson editor's explorer check (./lesson-check.ts) in a Web Worker so typing stays
// smooth, falling back to the main thread where workers are unavailable.
import type { Lesson } from '../../lessons/schema.js';
import { checkLesson, type CheckAnswer, type CheckRequest, type LessonCheck } from './lesson-check.js';

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, (a: CheckAnswer) => void>();

function getWorker(): Worker | null {
  if (worker) return worker;
  if (typeof Worker === 'undefined') return null;
  try {
    worker = new Worker(new URL('./lesson-check.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<CheckAnswer>) => {
      const f = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      f?.(e.data);
    };
    worker.onerror = () => {
      for (const f of waiting.values()) f({ id: 0, ok: false, message: 'the explorer stopped unexpectedly; reload the page' });
      waiting.clear();
      worker = null;
    };
    return worker;
  } catch {
    return null;
  }
}

/** The check off the main thread, or a message saying why there is none. */
export function checkLessonInWorker(lesson: Lesson, positions: Record<string, { line: number; col: number }>): Promise<LessonCheck | string> {
  const w = getWorker();
  if (!w) {
    return new Promise((resolve) => setTimeout(() => {
      try { resolve(checkLesson(lesson, positions)); } catch (e) { resolve(e instanceof Error ? e.message : String(e)); }
    }, 0));
  }
  const id = next++;
  return new Promise((resolve) => {
    waiting.set(id, (a) => resolve(a.ok ? a.check : a.message));
    w.postMessage({ id, lesson, positions } satisfies CheckRequest);
  });
}
