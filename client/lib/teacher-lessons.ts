// Lessons written in the browser, as the client reaches them: /api/teacher-lessons with the
// lesson key this browser keeps (made by the server on the first save). Nothing here throws:
// every failure is a message, and a refused save carries the parser's errors.
import type { LessonError } from '../../lessons/parse.js';

const KEY = 'reaplab.lessonKey';

export function lessonKey(): string | null {
  try { return globalThis.localStorage?.getItem(KEY) ?? null; } catch { return null; }
}

export function saveLessonKey(key: string): void {
  try { globalThis.localStorage?.setItem(KEY, key); } catch { /* private mode: the key lives as long as the page */ }
}

export interface TeacherLessonSummary { id: string; title: string; bytes: number; createdAt: number; updatedAt: number; classes: string[] }
export interface MyLessons { lessons: TeacherLessonSummary[]; used: { count: number; bytes: number }; quota: { count: number; bytes: number } }
export interface LessonSource { id: string; title: string; yaml: string; updatedAt: number }

export type Answer<T> = { ok: true; data: T } | { ok: false; code: string; message: string; errors?: LessonError[] };

async function call<T>(method: string, path: string, body?: string): Promise<Answer<T>> {
  const key = lessonKey();
  try {
    const res = await fetch(`/api/teacher-lessons${path}`, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/yaml' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    const json = (await res.json()) as { ok: true; data: T } | { ok: false; error: { code: string; message: string; errors?: LessonError[] } };
    return json.ok ? json : { ok: false, ...json.error };
  } catch {
    return { ok: false, code: 'network', message: 'Could not reach the server. Check the connection and try again; your text stays here.' };
  }
}

export const myLessons = (): Promise<Answer<MyLessons>> => call('GET', '/');
export const lessonSource = (id: string): Promise<Answer<LessonSource>> => call('GET', `/${encodeURIComponent(id)}`);
export const removeLesson = (id: string): Promise<Answer<Record<string, never>>> => call('DELETE', `/${encodeURIComponent(id)}`);

/** Saves as a new lesson (id null) or over one of this key's; keeps the key the server made. */
export async function saveLesson(yaml: string, id: string | null): Promise<Answer<{ id: string; ownerKey: string; title: string }>> {
  const r = await call<{ id: string; ownerKey: string; title: string }>(id ? 'PUT' : 'POST', id ? `/${encodeURIComponent(id)}` : '/', yaml);
  if (r.ok) saveLessonKey(r.data.ownerKey);
  return r;
}
