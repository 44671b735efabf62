// What the teacher's dashboard says of each student: playing, idle (connected, but no step
// for a while) or away (no connection). The server says how long each student had been
// quiet when it made the view; the dashboard adds the time since the view arrived.
import type { ClassRoomSummary, ClassStudentView } from '../../protocol/events.js';

/** A connected student who has not stepped, joined or come back for this long is idle (ms). */
export const IDLE_AFTER_MS = 60_000;

export type Activity = { kind: 'playing' } | { kind: 'idle'; minutes: number } | { kind: 'away' };

/** `sinceView`: ms since the view with this student arrived. */
export function activityOf(s: Pick<ClassStudentView, 'connected' | 'quietMs'>, sinceView: number): Activity {
  if (!s.connected) return { kind: 'away' };
  const quiet = s.quietMs + Math.max(0, sinceView);
  return quiet >= IDLE_AFTER_MS ? { kind: 'idle', minutes: Math.floor(quiet / 60_000) } : { kind: 'playing' };
}

/** How many students of the class are playing, idle and away. */
export function activityCounts(rooms: readonly ClassRoomSummary[], sinceView: number): Record<Activity['kind'], number> {
  const n = { playing: 0, idle: 0, away: 0 };
  for (const r of rooms) for (const p of r.players) n[activityOf(p, sinceView).kind]++;
  return n;
}

/** The words the dashboard shows for an activity (never colour alone). */
export function activityWords(a: Activity): string {
  return a.kind === 'away' ? 'away' : a.kind === 'idle' ? `idle ${a.minutes} min` : 'playing';
}
