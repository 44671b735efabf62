// Lessons teachers write in the browser: stored with their YAML as written, owned by the
// hash of a secret lesson key (the key itself is never stored), shared by their id, and
// held to a per-owner quota. A lesson is parsed with the same parser as the campaign's
// files (lessons/parse.ts) before it is stored, so whatever the server keeps is a lesson
// it can open rooms and classes for; the explorer's check of its expectations runs in the
// teacher's browser before saving (the editor screen), not on the server's event loop.
//
// The catalog the rooms and classes see is the campaign plus these lessons (withTeacherLessons).

import { randomInt } from 'node:crypto';
import { formatLessonError, lessonScenario, parseLesson, type LessonError } from '../lessons/parse.js';
import { presentLesson } from '../lessons/present.js';
import type { Lesson } from '../lessons/schema.js';
import type { Clock } from './clock.js';
import { hashToken, newToken } from './ids.js';
import type { LessonCatalog } from './lessons.js';
import type { AnyStore, LessonQuota, TeacherLessonRecord } from './store/port.js';

/** Largest lesson, in bytes of UTF-8 YAML (the campaign's largest is under 6 kB). */
export const LESSON_BYTES_MAX = 32 * 1024;
export const DEFAULT_LESSON_QUOTA: LessonQuota = { count: 20, bytes: 256 * 1024 };

/** Ids of lessons written in the browser: "t-" and ten lower-case letters or digits. */
export const TEACHER_LESSON_ID = /^t-[a-z0-9]{10}$/;

/** What a teacher's list shows (the YAML is fetched when a lesson is opened). */
export interface TeacherLessonSummary {
  id: string;
  title: string;
  bytes: number;
  createdAt: number;
  updatedAt: number;
  /** Classes that run it: while there are any, it cannot be changed or removed. */
  classes: string[];
}

export type LessonWriteError =
  | { code: 'bad_lesson'; message: string; errors: LessonError[] }
  | { code: 'payload_too_large' | 'quota_exceeded' | 'not_lesson_owner' | 'unknown_lesson' | 'lesson_in_use'; message: string };

export type LessonWrite = { ok: true; id: string; ownerKey: string; lesson: Lesson } | { ok: false; error: LessonWriteError };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newLessonId = (): string => `t-${Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

/** The lesson as the server serves it: under its own id (the YAML's `id` is the author's name for it). */
function served(rec: TeacherLessonRecord): Lesson | null {
  const r = parseLesson(rec.yaml, 'lesson.yaml');
  return r.ok ? { ...r.lesson, id: rec.id } : null;
}

export interface TeacherLessonDeps {
  store: AnyStore;
  clock: Clock;
  /** The campaign: its ids are never given to a teacher's lesson. */
  campaign: LessonCatalog;
  quota?: LessonQuota;
}

export class TeacherLessons {
  private readonly quota: LessonQuota;

  constructor(private readonly d: TeacherLessonDeps) {
    this.quota = d.quota ?? DEFAULT_LESSON_QUOTA;
  }

  /** Checks a lesson's YAML as the server would store it: the parser's errors, or the lesson. */
  check(yaml: string): { ok: true; lesson: Lesson } | { ok: false; error: LessonWriteError } {
    const bytes = Buffer.byteLength(yaml, 'utf8');
    if (bytes > LESSON_BYTES_MAX) return { ok: false, error: { code: 'payload_too_large', message: `a lesson is at most ${LESSON_BYTES_MAX / 1024} kB of YAML; this one is ${Math.ceil(bytes / 1024)} kB` } };
    const r = parseLesson(yaml, 'lesson.yaml');
    if (!r.ok) return { ok: false, error: { code: 'bad_lesson', message: r.errors.slice(0, 3).map(formatLessonError).join('; '), errors: r.errors } };
    try {
      lessonScenario(r.lesson);
    } catch (e) {
      const error: LessonError = { file: 'lesson.yaml', line: 1, col: 1, path: 'variant', message: `the scenario cannot be built: ${(e as Error).message}` };
      return { ok: false, error: { code: 'bad_lesson', message: error.message, errors: [error] } };
    }
    return { ok: true, lesson: r.lesson };
  }

  /** Stores a new lesson (`key` null: a new lesson key is made and returned) or replaces one of the key's. */
  async save(key: string | null, yaml: string, id: string | null): Promise<LessonWrite> {
    const checked = this.check(yaml);
    if (!checked.ok) return checked;
    const ownerKey = key ?? newToken();
    const ownerHash = hashToken(ownerKey);
    const at = this.d.clock.now();
    const title = checked.lesson.title;
    if (id !== null) {
      const existing = await this.d.store.teacherLessons.get(id);
      if (!existing) return { ok: false, error: { code: 'unknown_lesson', message: `no lesson "${id}" on this server` } };
      if (existing.ownerHash !== ownerHash) return { ok: false, error: { code: 'not_lesson_owner', message: 'this lesson was written with another lesson key: save it as a new lesson instead' } };
      const inUse = await this.inUse(id);
      if (inUse) return inUse;
      const refused = await this.d.store.teacherLessons.update(id, ownerHash, yaml, title, at, this.quota);
      if (refused) return this.refusal(refused);
      return { ok: true, id, ownerKey, lesson: { ...checked.lesson, id } };
    }
    let newId = newLessonId();
    while (this.d.campaign.get(newId) || (await this.d.store.teacherLessons.get(newId))) newId = newLessonId();
    const refused = await this.d.store.teacherLessons.create({ id: newId, ownerHash, yaml, title, createdAt: at, updatedAt: at }, this.quota);
    if (refused) return this.refusal(refused);
    return { ok: true, id: newId, ownerKey, lesson: { ...checked.lesson, id: newId } };
  }

  /** Removes one of the key's lessons, unless a class still runs it. */
  async remove(key: string, id: string): Promise<{ ok: true } | { ok: false; error: LessonWriteError }> {
    const existing = await this.d.store.teacherLessons.get(id);
    if (!existing) return { ok: false, error: { code: 'unknown_lesson', message: `no lesson "${id}" on this server` } };
    if (existing.ownerHash !== hashToken(key)) return { ok: false, error: { code: 'not_lesson_owner', message: 'only the teacher who wrote this lesson (with its lesson key) can remove it' } };
    const inUse = await this.inUse(id);
    if (inUse) return inUse;
    await this.d.store.teacherLessons.delete(id, existing.ownerHash);
    return { ok: true };
  }

  /** The key's lessons, most recently saved first, and what the quota leaves. */
  async mine(key: string): Promise<{ lessons: TeacherLessonSummary[]; used: { count: number; bytes: number }; quota: LessonQuota }> {
    const ownerHash = hashToken(key);
    const store = this.d.store.teacherLessons;
    const lessons = await Promise.all((await store.listByOwner(ownerHash)).map(async (r) => ({
      id: r.id, title: r.title, bytes: Buffer.byteLength(r.yaml, 'utf8'), createdAt: r.createdAt, updatedAt: r.updatedAt, classes: await store.classesUsing(r.id),
    })));
    return { lessons, used: await store.usage(ownerHash), quota: this.quota };
  }

  /** A lesson's YAML and title, for whoever has its link. */
  async source(id: string): Promise<{ id: string; title: string; yaml: string; updatedAt: number } | null> {
    if (!TEACHER_LESSON_ID.test(id)) return null;
    const r = await this.d.store.teacherLessons.get(id);
    return r ? { id: r.id, title: r.title, yaml: r.yaml, updatedAt: r.updatedAt } : null;
  }

  private async inUse(id: string): Promise<{ ok: false; error: LessonWriteError } | null> {
    const classes = await this.d.store.teacherLessons.classesUsing(id);
    if (classes.length === 0) return null;
    return { ok: false, error: { code: 'lesson_in_use', message: `class ${classes.join(', ')} runs this lesson: delete the class first, or save your changes as a new lesson` } };
  }

  private refusal(r: 'count' | 'bytes' | 'not_owner'): { ok: false; error: LessonWriteError } {
    if (r === 'not_owner') return { ok: false, error: { code: 'not_lesson_owner', message: 'this lesson was written with another lesson key' } };
    return { ok: false, error: { code: 'quota_exceeded', message: r === 'count'
      ? `you keep ${this.quota.count} lessons already, the most a teacher may: remove one first`
      : `your lessons would take more than ${this.quota.bytes / 1024} kB in all: remove one first` } };
  }
}

/**
 * The campaign and the lessons written in the browser, as one catalog: list() is the
 * campaign alone; load() also reads a teacher's lesson by its id from the store (parsed
 * once per saved version), and get() then finds it in memory.
 */
export function withTeacherLessons(campaign: LessonCatalog, store: AnyStore): LessonCatalog {
  const parsed = new Map<string, { updatedAt: number; lesson: Lesson | null }>();
  const find = async (id: string): Promise<Lesson | undefined> => {
    if (!TEACHER_LESSON_ID.test(id)) return undefined;
    const rec = await store.teacherLessons.get(id);
    if (!rec) {
      parsed.delete(id);
      return undefined;
    }
    let hit = parsed.get(id);
    if (!hit || hit.updatedAt !== rec.updatedAt) {
      const lesson = served(rec);
      hit = { updatedAt: rec.updatedAt, lesson: lesson ? presentLesson(lesson) : null };
      parsed.set(id, hit);
      if (parsed.size > 500) parsed.delete(parsed.keys().next().value!);
    }
    return hit.lesson ?? undefined;
  };
  const scenarios = new WeakMap<Lesson, ReturnType<typeof lessonScenario>>();
  return {
    list: () => campaign.list(),
    get: (id) => campaign.get(id) ?? (TEACHER_LESSON_ID.test(id) ? (parsed.get(id)?.lesson ?? undefined) : undefined),
    load: async (id) => campaign.get(id) ?? find(id),
    scenario(lesson) {
      if (campaign.get(lesson.id) === lesson) return campaign.scenario(lesson);
      let s = scenarios.get(lesson);
      if (!s) {
        s = lessonScenario(lesson);
        scenarios.set(lesson, s);
      }
      return s;
    },
  };
}
