// The few REST reads the client makes (lessons, traces, progress, class info). Every failure becomes a
// message that says what to do next; nothing here throws at the caller.
import type { ClassInfo, CodeKind, LessonDetail, LessonListItem, ProgressView, RunTrace } from '../../protocol/events.js';

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string };

async function getJson<T>(path: string, what: string): Promise<Loaded<T>> {
  try {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    if (res.status === 404) return { ok: false, message: `${what} was not found. Check the link, or go back to the campaign.` };
    if (!res.ok) return { ok: false, message: `The server could not load ${what} (HTTP ${res.status}). Try again in a moment.` };
    // REST answers are wrapped like socket acks: {ok: true, data} | {ok: false, error}.
    const body = (await res.json()) as { ok: true; data: T } | { ok: false; error: { message: string } };
    return body.ok ? { ok: true, data: body.data } : { ok: false, message: `${what}: ${body.error.message}` };
  } catch {
    return { ok: false, message: `Could not reach the server to load ${what}. Check that it is running, then reload.` };
  }
}

const cache = new Map<string, Promise<Loaded<unknown>>>();

function cached<T>(key: string, load: () => Promise<Loaded<T>>): Promise<Loaded<T>> {
  let p = cache.get(key) as Promise<Loaded<T>> | undefined;
  if (!p) {
    p = load().then((r) => { if (!r.ok) cache.delete(key); return r; });
    cache.set(key, p as Promise<Loaded<unknown>>);
  }
  return p;
}

export function lessonList(): Promise<Loaded<LessonListItem[]>> {
  return cached('lessons', () => getJson<LessonListItem[]>('/api/lessons', 'the lesson list'));
}

export function lesson(id: string): Promise<Loaded<LessonDetail>> {
  return cached(`lesson:${id}`, () => getJson<LessonDetail>(`/api/lessons/${encodeURIComponent(id)}`, `the lesson "${id}"`));
}

export function trace(id: string): Promise<Loaded<RunTrace>> {
  return getJson<RunTrace>(`/api/traces/${encodeURIComponent(id)}`, 'the run');
}

/** A room's finished runs, newest first (at most 50). */
export function roomTraces(code: string): Promise<Loaded<RunTrace[]>> {
  return getJson<RunTrace[]>(`/api/rooms/${encodeURIComponent(code.toUpperCase())}/traces`, `the runs of room ${code.toUpperCase()}`);
}

/** Whether a typed code is a room's, a class's or nobody's. */
export function codeKind(code: string): Promise<Loaded<CodeKind>> {
  return getJson<CodeKind>(`/api/codes/${encodeURIComponent(code.toUpperCase())}`, `the code ${code.toUpperCase()}`);
}

/** A class's public face (lesson, grouping, open or stopped); "not found" when the code is a room's or nobody's. */
export function classInfo(code: string): Promise<Loaded<ClassInfo>> {
  return getJson<ClassInfo>(`/api/classes/${encodeURIComponent(code.toUpperCase())}`, `the class ${code.toUpperCase()}`);
}

export function progress(name: string): Promise<Loaded<ProgressView>> {
  return getJson<ProgressView>(`/api/progress/${encodeURIComponent(name)}`, 'your progress');
}

const NAME_KEY = 'reaplab.name';

export function savedName(): string {
  try { return globalThis.localStorage?.getItem(NAME_KEY) ?? ''; } catch { return ''; }
}

export function saveName(name: string): void {
  try { globalThis.localStorage?.setItem(NAME_KEY, name.trim().slice(0, 40)); } catch { /* ignore */ }
}

/** The name to send: the saved one, or "Guest". */
export function playerName(): string {
  return savedName().trim() || 'Guest';
}
