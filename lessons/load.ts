// Loading lessons from disk (Node only; the browser gets lessons from the server and
// parses them with parse.ts). The campaign is every `NN-slug.yaml` in lessons/campaign/:
// NN is the lesson's order and slug its id, and both are unique across the campaign.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLesson, type LessonError, type ParseResult, type Position } from './parse.js';
import type { Lesson } from './schema.js';

export const CAMPAIGN_DIR = fileURLToPath(new URL('./campaign/', import.meta.url));

/** Campaign file names: two or more digits, a dash, the lesson id. */
export const CAMPAIGN_FILE_RE = /^(\d{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/;

export interface LoadedLesson {
  file: string;
  lesson: Lesson;
  positions: Record<string, Position>;
}

export interface Campaign {
  /** Valid lessons, sorted by order. */
  lessons: Lesson[];
  /** The same lessons with their file names and node positions (for verifyLesson). */
  files: LoadedLesson[];
  errors: LessonError[];
}

/** The path as shown in errors: relative to the working directory when it lies inside it. */
export function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

/** Reads and parses one lesson file; a file that cannot be read is an error at 1:1. */
export function loadLessonFile(path: string): ParseResult {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, file, errors: [{ file, line: 1, col: 1, path: '', message: `cannot read the file: ${err.code ?? err.message}` }] };
  }
  return parseLesson(text, file);
}

/** Checks that ids and orders are unique and that campaign file names match them. */
export function crossFileErrors(files: LoadedLesson[], opts: { namesMatch: boolean }): LessonError[] {
  const errors: LessonError[] = [];
  const at = (f: LoadedLesson, path: string, message: string) => {
    const p = f.positions[path] ?? { line: 1, col: 1 };
    errors.push({ file: f.file, line: p.line, col: p.col, path, message: `${path}: ${message}` });
  };
  const byId = new Map<string, LoadedLesson>();
  const byOrder = new Map<number, LoadedLesson>();
  for (const f of files) {
    const first = byId.get(f.lesson.id);
    if (first) at(f, 'id', `duplicate lesson id "${f.lesson.id}": ${first.file} uses it too`);
    else byId.set(f.lesson.id, f);
    const firstOrder = byOrder.get(f.lesson.order);
    if (firstOrder) at(f, 'order', `duplicate order ${f.lesson.order}: ${firstOrder.file} (${firstOrder.lesson.id}) has it too`);
    else byOrder.set(f.lesson.order, f);
    if (opts.namesMatch) {
      const m = CAMPAIGN_FILE_RE.exec(basename(f.file));
      if (!m) {
        errors.push({ file: f.file, line: 1, col: 1, path: '', message: 'a campaign file is named NN-id.yaml, like 03-v419-mlock-kill.yaml' });
        continue;
      }
      if (Number(m[1]) !== f.lesson.order) at(f, 'order', `order is ${f.lesson.order}, but the file name says ${m[1]}`);
      if (m[2] !== f.lesson.id) at(f, 'id', `id is "${f.lesson.id}", but the file name says "${m[2]}"`);
    }
  }
  return errors;
}

/** Loads every lesson of a campaign directory. */
export function loadCampaign(dir: string = CAMPAIGN_DIR): Campaign {
  const errors: LessonError[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    const file = displayPath(dir);
    return { lessons: [], files: [], errors: [{ file, line: 1, col: 1, path: '', message: `cannot read the campaign directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  const files: LoadedLesson[] = [];
  for (const name of names) {
    const r = loadLessonFile(join(dir, name));
    if (r.ok) files.push({ file: r.file, lesson: r.lesson, positions: r.positions });
    else errors.push(...r.errors);
  }
  errors.push(...crossFileErrors(files, { namesMatch: true }));
  files.sort((a, b) => a.lesson.order - b.lesson.order);
  return { lessons: files.map((f) => f.lesson), files, errors };
}
