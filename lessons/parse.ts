// Parsing and validating one lesson. Pure (no fs): the server, the CLI and the browser
// all use it. Every error points at the 1-based line:col of the YAML node it is about:
// a syntax error where the parser stopped, a wrong value at the value, an unknown field
// at its key, a missing field at the mapping that lacks it.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import {
  CONFIGS, CONFIG_IDS, OUTCOMES, VARIANT_IDS, isConfigId, isScenarioError, isVariantId, makeScenario, validateConfig, variantPrograms,
  type BotGoals, type BotKind, type Config, type OutcomeId, type Scenario,
} from '../engine/index.js';
import { stepRefProblem, stepRefsIn, titledScenario } from './present.js';
import { fieldsAt, LessonSchema, OverridesSchema, type Lesson, type LessonOverrides, type RoleId } from './schema.js';

export interface Position { line: number; col: number }

export interface LessonError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** The field the error is about, as `goal.outcome` or `hints[2]` ('' for the whole file). */
  path: string;
  /** Self-contained: starts with the path when there is one. */
  message: string;
}

export type ParseResult =
  | { ok: true; file: string; lesson: Lesson; positions: Record<string, Position> }
  | { ok: false; file: string; errors: LessonError[] };

/** `file:line:col: message`, the form editors and terminals understand. */
export function formatLessonError(e: LessonError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

export type PathSeg = string | number;

/** `roles.victim.bot`, `hints[2]`, `code_notes.R3`. */
export function pathText(path: readonly PathSeg[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

/** Where each node of the document starts: values by path, and the keys of mapping pairs. */
class Locator {
  readonly values = new Map<string, Position>();
  readonly keys = new Map<string, Position>();
  /** Source text of plain scalars, to quote them back in errors. */
  readonly raw = new Map<string, string>();
  readonly badAliases: { path: PathSeg[]; pos: Position; name: string }[] = [];

  constructor(private readonly lc: LineCounter, private readonly doc: Document, private readonly text: string) {}

  at(offset: number): Position {
    const p = this.lc.linePos(offset);
    return { line: p.line, col: p.col };
  }

  walk(node: unknown, path: PathSeg[]): void {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.range) this.values.set(pathText(path), this.at(n.range[0]));
    if (isScalar(n) && n.range) this.raw.set(pathText(path), this.text.slice(n.range[0], n.range[1]));
    if (isAlias(n)) {
      if (n.resolve(this.doc) === undefined && n.range) this.badAliases.push({ path, pos: this.at(n.range[0]), name: n.source });
      return;
    }
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : null;
        if (key === null) continue;
        const child = [...path, key];
        const keyPos = keyNode?.range ? this.at(keyNode.range[0]) : undefined;
        if (keyPos) this.keys.set(pathText(child), keyPos);
        const value = pair.value as Node | null;
        if (value && (value as Node).range && !(isScalar(value) && value.value === null && value.range![0] === value.range![1])) this.walk(value, child);
        else if (keyPos) this.values.set(pathText(child), keyPos);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => this.walk(item, [...path, i]));
    }
  }

  /** The value's position, or the nearest enclosing node's. */
  value(path: readonly PathSeg[]): Position {
    for (let k = path.length; k >= 0; k--) {
      const p = this.values.get(pathText(path.slice(0, k)));
      if (p) return p;
    }
    return { line: 1, col: 1 };
  }

  /** The key's position (for unknown fields), or the value's. */
  key(path: readonly PathSeg[]): Position {
    return this.keys.get(pathText(path)) ?? this.value(path);
  }

  positions(): Record<string, Position> {
    const out: Record<string, Position> = {};
    for (const [k, v] of this.values) out[k] = v;
    return out;
  }
}

function yamlMessage(code: string, message: string, text: string, pos: [number, number]): string {
  switch (code) {
    case 'MULTIPLE_DOCS': return 'a lesson file holds exactly one YAML document: remove the extra "---" line';
    case 'DUPLICATE_KEY': {
      const key = (/^[^:\n]*/.exec(text.slice(pos[0]))?.[0] ?? '').trim().replace(/^["']|["']$/g, '');
      return key ? `duplicate field "${key}": each field may appear once` : 'duplicate field: each field may appear once';
    }
    case 'TAB_AS_INDENT': return 'YAML syntax error: tabs are not allowed as indentation; indent with spaces';
    default: return `YAML syntax error: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  }
}

const KIND_WORD: Record<string, string> = {
  string: 'a text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping of fields',
  record: 'a mapping', undefined: 'nothing', null: 'nothing',
};

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v === 'number' ? 'the number ' : ''}${String(v)}`;
}

function getIn(data: unknown, path: readonly PathSeg[]): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, k)) return { found: false, value: undefined };
    cur = (cur as Record<PathSeg, unknown>)[k];
  }
  return { found: true, value: cur };
}

/** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function closest(word: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) { bestD = d; best = o; }
  }
  return best !== null && bestD <= (word.length <= 4 ? 1 : 2) ? best : null;
}

const quoteList = (xs: readonly string[]) => xs.join(', ');

type Emit = (path: readonly PathSeg[], pos: Position, message: string) => void;

function zodIssueErrors(issue: z.core.$ZodIssue, data: unknown, loc: Locator, emit: Emit, suggested: Set<string>): void {
  const path = issue.path.filter((k): k is PathSeg => typeof k === 'string' || typeof k === 'number');
  const here = pathText(path);
  const prefix = here ? `${here}: ` : '';
  const { found, value } = getIn(data, path);
  if (!found && path.length > 0 && issue.code !== 'unrecognized_keys' && getIn(data, path.slice(0, -1)).found) {
    const parent = path.slice(0, -1);
    const name = String(path[path.length - 1]);
    emit(path, loc.value(parent), `${here}: missing required field "${name}"${parent.length ? ` in ${pathText(parent)}` : ''}`);
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = fieldsAt(path) ?? [];
      for (const key of issue.keys) {
        const kp = [...path, key];
        const guess = closest(key, allowed);
        if (guess) suggested.add(pathText([...path, guess]));
        const where = here ? ` in ${here}` : '';
        const tail = guess ? `; did you mean "${guess}"?` : allowed.length ? `; the fields here are: ${quoteList(allowed)}` : '';
        emit(kp, loc.key(kp), `${pathText(kp)}: unknown field "${key}"${where}${tail}`);
      }
      return;
    }
    case 'invalid_type': {
      const raw = loc.raw.get(here);
      const quote = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean') && raw
        ? `; YAML reads ${raw} as a ${typeof value}: write it in quotes, "${raw}"`
        : '';
      emit(path, loc.value(path), `${prefix}expected ${KIND_WORD[issue.expected] ?? issue.expected}, got ${describe(value)}${quote}`);
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (here === 'variant') emit(path, loc.value(path), `variant: unknown variant ${describe(value)}; the variants are: ${quoteList(VARIANT_IDS)}`);
      else if (here === 'config') emit(path, loc.value(path), `config: unknown config ${describe(value)}; the configs are: ${quoteList(CONFIG_IDS)}`);
      else if (values.length === 1) emit(path, loc.value(path), `${prefix}expected "${values[0]}", got ${describe(value)}`);
      else {
        const guess = typeof value === 'string' ? closest(value, values) : null;
        emit(path, loc.value(path), `${prefix}expected one of ${quoteList(values)}; got ${describe(value)}${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      return;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') emit(path, loc.value(path), `${prefix}must list at least ${min} ${min === 1 ? 'item' : 'items'}`);
      else if (issue.origin === 'string') emit(path, loc.value(path), `${prefix}must not be empty`);
      else emit(path, loc.value(path), `${prefix}must be at least ${min}, got ${describe(value)}`);
      return;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') emit(path, loc.value(path), `${prefix}must list at most ${max} items`);
      else if (issue.origin === 'string') emit(path, loc.value(path), `${prefix}must be at most ${max} characters`);
      else emit(path, loc.value(path), `${prefix}must be at most ${max}, got ${describe(value)}`);
      return;
    }
    case 'invalid_key': {
      const key = path[path.length - 1];
      emit(path, loc.key(path), `${here}: unknown key "${String(key)}"`);
      return;
    }
    default:
      emit(path, loc.value(path), `${prefix}${issue.message}`);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isOutcome = (v: unknown): v is OutcomeId => typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);

/** A lesson's overrides as engine config values (only the fields it sets; VMA defaults filled in by the schema). */
export function configOverrides(o: LessonOverrides | undefined): Partial<Config> {
  const out: Partial<Config> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Every step name of a variant's three programs (what traces and code_notes use). */
export function variantStepNames(variant: string): string[] {
  if (!isVariantId(variant)) return [];
  const p = variantPrograms(variant);
  const names: string[] = [];
  for (const prog of [p.allocator, p.victim, p.reaper]) for (const s of prog.steps) if (!names.includes(s.name)) names.push(s.name);
  return names;
}

const MESSAGE_ID_RE = /^[^\s<>@]+@[^\s<>@]+$/;
const COMMIT_RE = /^[0-9a-f]{7,40}$/;

/** Rules that span fields. They read the raw data defensively, so they run even when the schema found problems elsewhere. */
function crossChecks(data: Record<string, unknown>, loc: Locator, emit: Emit): void {
  // overrides: the engine decides which values a config may hold
  const overrides = data.overrides;
  if (typeof data.config === 'string' && isConfigId(data.config) && isObj(overrides)) {
    const parsed = OverridesSchema.safeParse(overrides);
    if (parsed.success) {
      const merged: Config = { ...CONFIGS[data.config], ...configOverrides(parsed.data) };
      for (const problem of validateConfig(merged)) {
        const m = /^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(problem);
        let path: PathSeg[] = ['overrides'];
        if (m && m[1] && m[1] in overrides) {
          path = ['overrides', m[1]];
          if (m[2] !== undefined) path.push(Number(m[2]));
          if (m[3] !== undefined) path.push(m[3]);
        }
        emit(path, loc.value(path), `${pathText(path)}: ${problem}`);
      }
    }
  }

  // hints: each one says something new
  if (Array.isArray(data.hints)) {
    const seen = new Map<string, number>();
    data.hints.forEach((h, i) => {
      if (typeof h !== 'string') return;
      const norm = h.trim().replace(/\s+/g, ' ').toLowerCase();
      const first = seen.get(norm);
      if (first !== undefined) {
        const p = loc.value(['hints', first]);
        emit(['hints', i], loc.value(['hints', i]), `hints[${i}]: duplicate hint: the same text as hints[${first}] (line ${p.line})`);
      } else seen.set(norm, i);
    });
  }

  // expect: consistent lists
  const expect = isObj(data.expect) ? data.expect : null;
  const listed = (k: 'reachable' | 'unreachable'): OutcomeId[] => (expect && Array.isArray(expect[k]) ? (expect[k] as unknown[]).filter(isOutcome) : []);
  const reachable = listed('reachable');
  const unreachable = listed('unreachable');
  if (expect) {
    for (const k of ['reachable', 'unreachable'] as const) {
      const xs = expect[k];
      if (!Array.isArray(xs)) continue;
      xs.forEach((o, i) => {
        if (!isOutcome(o)) return;
        if (xs.indexOf(o) !== i) emit(['expect', k, i], loc.value(['expect', k, i]), `expect.${k}[${i}]: "${o}" is listed twice`);
        else if (k === 'unreachable' && reachable.includes(o)) {
          emit(['expect', k, i], loc.value(['expect', k, i]), `expect.unreachable[${i}]: "${o}" is listed both as reachable and as unreachable`);
        }
      });
    }
    if (isObj(expect.shortest)) {
      for (const o of Object.keys(expect.shortest)) {
        if (!isOutcome(o) || reachable.includes(o)) continue;
        const p = ['expect', 'shortest', o];
        emit(p, loc.key(p), `expect.shortest.${o}: a shortest length is given for "${o}", but expect.reachable does not list it`);
      }
    }
    if (reachable.length + unreachable.length === 0 && Array.isArray(expect.reachable) && Array.isArray(expect.unreachable)) {
      emit(['expect'], loc.value(['expect']), 'expect: list at least one outcome under reachable or unreachable');
    }
  }

  // goal: the test must be able to check it
  const goal = isObj(data.goal) ? data.goal : null;
  if (goal && isOutcome(goal.outcome) && expect) {
    const o = goal.outcome;
    const p = ['goal', 'outcome'];
    if (goal.kind === 'hunt' && unreachable.includes(o)) {
      emit(p, loc.value(p), `goal.outcome: a hunt goal must be reachable, but expect.unreachable lists "${o}"`);
    } else if (goal.kind === 'hunt' && !reachable.includes(o)) {
      emit(p, loc.value(p), `goal.outcome: a hunt goal must be reachable: list "${o}" under expect.reachable`);
    } else if (goal.kind === 'avoid' && !reachable.includes(o) && !unreachable.includes(o)) {
      emit(p, loc.value(p), `goal.outcome: list "${o}" under expect.reachable or expect.unreachable, so the test checks the goal`);
    }
  }

  // roles: a bot plays for its seat's side
  if (isObj(data.roles)) {
    for (const r of ['victim', 'reaper', 'allocator'] as const) {
      const role = data.roles[r];
      if (!isObj(role)) continue;
      const p = ['roles', r, 'bot'];
      if (role.bot === 'adversary' && role.side === 'avoid') {
        emit(p, loc.value(p), `roles.${r}.bot: an adversary bot drives toward the goal outcome, but this seat's side is "avoid" (use guardian, lazy or random)`);
      } else if (role.bot === 'guardian' && role.side === 'hunt') {
        emit(p, loc.value(p), `roles.${r}.bot: a guardian bot steers away from the goal outcome, but this seat's side is "hunt" (use adversary, lazy or random)`);
      }
    }
    // A learner who plays one actor steps it while the bots step the others: that is race mode.
    const solo = data.roles.solo;
    if ((solo === 'victim' || solo === 'reaper' || solo === 'allocator') && data.mode === 'scheduler') {
      emit(['mode'], loc.value(['mode']), `mode: the solo learner plays the ${solo} against the other seats' bots, which only happens in race mode; write mode: race (or solo: scheduler)`);
    }
  }

  // code_notes: keyed by step names of this variant
  if (typeof data.variant === 'string' && isVariantId(data.variant) && isObj(data.code_notes)) {
    const names = variantStepNames(data.variant);
    for (const k of Object.keys(data.code_notes)) {
      if (names.includes(k)) continue;
      const p = ['code_notes', k];
      const guess = closest(k, names);
      emit(p, loc.key(p), `code_notes.${k}: variant ${data.variant} has no step "${k}"${guess ? `; did you mean "${guess}"?` : `; its steps are: ${quoteList(names)}`}`);
    }
  }

  // step references ({victim:set_oom_skip}) in any text: they must name a step of this variant
  if (typeof data.variant === 'string' && isVariantId(data.variant) && typeof data.config === 'string' && isConfigId(data.config)) {
    const variant = data.variant;
    const parsedOverrides = OverridesSchema.safeParse(data.overrides ?? {});
    const config: Config = { ...CONFIGS[data.config], ...(parsedOverrides.success ? configOverrides(parsedOverrides.data) : {}) };
    const visit = (v: unknown, path: PathSeg[]): void => {
      if (typeof v === 'string') {
        for (const ref of stepRefsIn(v)) {
          const problem = stepRefProblem(variant, config, ref);
          if (problem) emit(path, loc.value(path), `${pathText(path)}: ${ref.text}: ${problem}`);
        }
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]));
      else if (isObj(v)) for (const [k, x] of Object.entries(v)) if (k !== 'sources' && k !== 'expect') visit(x, [...path, k]);
    };
    visit(data, []);
  }

  // sources: ids that look like what they claim to be
  if (Array.isArray(data.sources)) {
    data.sources.forEach((s, i) => {
      if (!isObj(s) || typeof s.id !== 'string') return;
      const id = s.id.trim();
      const p = ['sources', i, 'id'];
      if (s.kind === 'commit' && !COMMIT_RE.test(id)) {
        emit(p, loc.value(p), `sources[${i}].id: a commit id is 7 to 40 lower-case hex digits, got ${describe(id)}`);
      } else if (s.kind === 'message' && !MESSAGE_ID_RE.test(id)) {
        emit(p, loc.value(p), `sources[${i}].id: a message id looks like local-part@domain, without angle brackets; got ${describe(id)}`);
      } else if (s.kind === 'thread' && !MESSAGE_ID_RE.test(id) && !/^https?:\/\//.test(id)) {
        emit(p, loc.value(p), `sources[${i}].id: a thread is named by its first Message-ID or by a URL; got ${describe(id)}`);
      }
    });
  }
}

/** Parses and validates one lesson file's text. `file` is only used in the errors. */
export function parseLesson(text: string, file: string): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const loc = new Locator(lc, doc, text);
  const errors: LessonError[] = [];
  const emit: Emit = (path, pos, message) => errors.push({ file, line: pos.line, col: pos.col, path: pathText(path), message });

  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = loc.at(e.pos[0]);
    emit([], pos, yamlMessage(e.code, e.message, text, e.pos));
  }
  if (errors.length) return { ok: false, file, errors: sortErrors(errors) };

  if (!doc.contents || (isScalar(doc.contents) && doc.contents.value === null)) {
    emit([], { line: 1, col: 1 }, 'the file is empty: a lesson is a YAML mapping of fields (id, order, title, ...)');
    return { ok: false, file, errors };
  }
  if (!isMap(doc.contents)) {
    emit([], loc.at(doc.contents.range?.[0] ?? 0), 'a lesson is a YAML mapping of fields (id: ..., title: ...), not a list or a single value');
    return { ok: false, file, errors };
  }
  loc.walk(doc.contents, []);
  for (const a of loc.badAliases) emit(a.path, a.pos, `${pathText(a.path) || 'alias'}: the alias *${a.name} names no anchor`);
  if (errors.length) return { ok: false, file, errors: sortErrors(errors) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    emit([], { line: 1, col: 1 }, `YAML error: ${(e as Error).message}`);
    return { ok: false, file, errors };
  }

  const parsed = LessonSchema.safeParse(data);
  if (!parsed.success) {
    // "titel: unknown field; did you mean title?" already says that title is missing
    const suggested = new Set<string>();
    const schemaErrors: LessonError[] = [];
    const collect: Emit = (path, pos, message) => schemaErrors.push({ file, line: pos.line, col: pos.col, path: pathText(path), message });
    for (const issue of parsed.error.issues) zodIssueErrors(issue, data, loc, collect, suggested);
    errors.push(...schemaErrors.filter((e) => !(suggested.has(e.path) && e.message.includes('missing required field'))));
  }
  crossChecks(data as Record<string, unknown>, loc, emit);

  if (errors.length || !parsed.success) return { ok: false, file, errors: sortErrors(errors) };
  return { ok: true, file, lesson: parsed.data, positions: loc.positions() };
}

function sortErrors(errors: LessonError[]): LessonError[] {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const k = formatLessonError(e);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The lesson's scenario: its variant and config, with the overrides applied. */
export function lessonScenario(lesson: Lesson): Scenario {
  const sc = makeScenario(lesson.variant, lesson.config, configOverrides(lesson.overrides));
  if (isScenarioError(sc)) throw new Error(`lesson ${lesson.id}: ${sc.message}`);
  return titledScenario(sc, lesson.overrides);
}

/** What the engine's bots play for in this lesson: adversaries drive toward the goal outcome, guardians away from it. */
export function lessonBotGoals(lesson: Lesson): BotGoals {
  return { target: lesson.goal.outcome, avoid: [lesson.goal.outcome] };
}

/** The bots for every seat no human takes (`humans`: the roles people play). */
export function lessonBots(lesson: Lesson, humans: readonly RoleId[]): Partial<Record<RoleId, BotKind>> {
  const out: Partial<Record<RoleId, BotKind>> = {};
  for (const r of ['victim', 'reaper', 'allocator'] as const) if (!humans.includes(r)) out[r] = lesson.roles[r].bot;
  return out;
}
