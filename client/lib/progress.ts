// Campaign progress kept in localStorage (every visitor) and merged with what the server
// knows for a named player. A lesson is "done" once any run reached its goal.
export interface LessonProgress {
  done: boolean;
  /** Outcomes this player has reached in the lesson. */
  outcomes: string[];
  /** Hints revealed so far. */
  hints: number;
  updated: number;
}

export type Progress = Record<string, LessonProgress>;

const KEY = 'reaplab.progress.v1';

function storage(): Storage | null {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

export function loadProgress(): Progress {
  const raw = storage()?.getItem(KEY);
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Progress) : {};
  } catch {
    return {};
  }
}

export function saveProgress(p: Progress): void {
  try { storage()?.setItem(KEY, JSON.stringify(p)); } catch { /* private mode: progress lives for this tab only */ }
}

export function lessonProgress(p: Progress, id: string): LessonProgress {
  return p[id] ?? { done: false, outcomes: [], hints: 0, updated: 0 };
}

export function recordOutcome(id: string, outcome: string, won: boolean, now = Date.now()): Progress {
  const p = loadProgress();
  const cur = lessonProgress(p, id);
  const outcomes = cur.outcomes.includes(outcome) ? cur.outcomes : [...cur.outcomes, outcome];
  p[id] = { ...cur, done: cur.done || won, outcomes, updated: now };
  saveProgress(p);
  return p;
}

export function recordHints(id: string, hints: number, now = Date.now()): Progress {
  const p = loadProgress();
  const cur = lessonProgress(p, id);
  p[id] = { ...cur, hints: Math.max(cur.hints, hints), updated: now };
  saveProgress(p);
  return p;
}

/** Server progress wins where it knows more; local fills the rest. */
export function mergeProgress(local: Progress, remote: Progress): Progress {
  const out: Progress = { ...local };
  for (const [id, r] of Object.entries(remote)) {
    const l = out[id];
    out[id] = l
      ? { done: l.done || r.done, outcomes: [...new Set([...l.outcomes, ...r.outcomes])], hints: Math.max(l.hints, r.hints), updated: Math.max(l.updated, r.updated) }
      : r;
  }
  return out;
}
