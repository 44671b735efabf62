// The notebook document schema: how a notebook is laid out in one Yjs document. The
// server, the browser, the validator, the export and the tests all read and write cells
// through this module, so the layout is written down once.
//
//   doc.getArray('cells')  Y.Array<Y.Map>   the cells, in order
//   doc.getMap('meta')     Y.Map            'title' → Y.Text
//
// A cell is a Y.Map with `id` (string, for permalinks), `kind`, `created` ({by, at, via})
// and the keys of its kind (CELL_SCHEMA): JSON values, written once when the cell is
// created (an explorer cell's `scenario` may be replaced), and collaborative texts
// (Y.Text), created with the cell so that two people annotating at once never race to
// create them. The CRDT is the only authority: nothing derived (replays, explorer
// results, coverage) is stored in the document.

import * as Y from 'yjs';
import { z } from 'zod';
import { CONFIGS, isConfigId, LIMITS } from '../../engine/configs.js';
import { Bounded, ConfigCounter, COUNTER_OVERRIDES, Pages } from '../schemas.js';
import { CONFIG_IDS, OUTCOMES, VARIANT_IDS } from '../../engine/types.js';
import type { Action, Config, EndingOutcomeId, OutcomeId, Scenario, VariantId } from '../../engine/types.js';
import type { RunTrace, Verdict } from '../events.js';
import type { ExplorerScenario } from './events.js';

export const CELLS = 'cells';
export const META = 'meta';
export const TITLE = 'title';

export const CELL_KINDS = ['markdown', 'lesson', 'trace', 'explorer'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** How a cell came to be: typed by an editor, written by the server (lessons, finished runs) or imported from a JSON export. */
export const CELL_VIAS = ['editor', 'server', 'import'] as const;
export interface CellCreated {
  /** A display name, or "reaplab" for the server. */
  by: string;
  /** ISO 8601. */
  at: string;
  via: (typeof CELL_VIAS)[number];
}

/** The keys every cell has. */
export const COMMON_KEYS = ['id', 'kind', 'created'] as const;

/** The keys of each kind: 'json' values and 'text' (Y.Text); `mutable` JSON keys may be replaced after creation. */
export const CELL_SCHEMA: Readonly<Record<CellKind, { keys: Readonly<Record<string, 'json' | 'text'>>; mutable: readonly string[] }>> = {
  markdown: { keys: { text: 'text' }, mutable: [] },
  lesson: { keys: { lesson: 'json', notes: 'text' }, mutable: [] },
  trace: { keys: { trace: 'json', notes: 'text' }, mutable: [] },
  explorer: { keys: { scenario: 'json', notes: 'text' }, mutable: ['scenario'] },
};

// ---------------------------------------------------------------------------------------
// JSON values

/** A lesson as the notebook keeps it: what was taught, frozen when the cell was made. */
export interface LessonRecord extends Omit<LessonLike, 'code_notes'> {
  scenario: Scenario;
  /** The lesson's plain-words notes per step name. */
  codeNotes: Record<string, string>;
}

/** A finished run as the notebook keeps it: immutable, replayable with the engine. */
export interface TraceRecord {
  v: 1;
  /** The server's trace id (GET /api/traces/:id); '' for runs from elsewhere. */
  traceId: string;
  room: string | null;
  classCode: string | null;
  lesson: string | null;
  run: number;
  scenario: Scenario;
  actions: Action[];
  /** Per step: who took it — a player's name or "bot:<kind>". */
  by: string[];
  outcome: EndingOutcomeId;
  detail?: string;
  needlessKill: boolean;
  verdict: Verdict;
  /** Actor → who stepped it. */
  players: Record<string, string[]>;
  startedAt: string;
  finishedAt: string;
}

const Str = (max: number) => z.string().max(max);
const Iso = z.string().max(40);

export const CellCreatedSchema: z.ZodType<CellCreated> = z.strictObject({
  by: Str(80),
  at: Iso,
  via: z.enum(CELL_VIAS),
});

const VmaSchema = z.strictObject({
  kind: z.enum(['anon', 'file', 'shared', 'hugetlb', 'pfnmap']),
  pages: Pages,
  locked: z.boolean(),
  close: z.enum(['none', 'M']),
});

export const ConfigSchema: z.ZodType<Config> = z.strictObject({
  id: Str(80),
  title: Str(300),
  vmas: z.array(VmaSchema).min(1).max(LIMITS.vmas),
  pgtables: ConfigCounter('pgtables'),
  bystanders: z.array(Pages).max(LIMITS.bystanders),
  free: ConfigCounter('free'),
  need: z.array(Bounded([1, LIMITS.pages])).min(1).max(LIMITS.allocators),
  mHeld: z.boolean(),
  arch: z.enum(['x86', 'ppc']),
  maxAttempts: ConfigCounter('maxAttempts'),
  keepAbove: ConfigCounter('keepAbove'),
  stallLimit: ConfigCounter('stallLimit'),
  deadline: ConfigCounter('deadline'),
});

export const ScenarioSchema: z.ZodType<Scenario> = z.strictObject({
  variant: z.enum(VARIANT_IDS),
  config: ConfigSchema,
});

const ActorIdSchema = z.string().regex(/^(victim|reaper|allocator(?:[1-9][0-9]?)?)$/) as z.ZodType<Action['actor']>;
const ActionSchema: z.ZodType<Action> = z.strictObject({ actor: ActorIdSchema, step: Str(64) });
const ENDING = ['success', 'lockup', 'oops', 'panic'] as const satisfies readonly EndingOutcomeId[];

export const TraceRecordSchema: z.ZodType<TraceRecord> = z.strictObject({
  v: z.literal(1),
  traceId: Str(64),
  room: Str(16).nullable(),
  classCode: Str(16).nullable(),
  lesson: Str(64).nullable(),
  run: z.number().int().min(0).max(1e9),
  scenario: ScenarioSchema,
  actions: z.array(ActionSchema).max(5000),
  by: z.array(Str(80)).max(5000),
  outcome: z.enum(ENDING),
  detail: Str(500).optional(),
  needlessKill: z.boolean(),
  verdict: z.enum(['win', 'lose', 'none']),
  players: z.record(Str(20), z.array(Str(80)).max(50)),
  startedAt: Iso,
  finishedAt: Iso,
}).refine((t) => t.by.length === t.actions.length, 'a trace has one `by` per action');

export const LessonRecordSchema: z.ZodType<LessonRecord> = z.strictObject({
  id: Str(64),
  title: Str(300),
  chapter: Str(200),
  date: Str(20),
  goal: z.strictObject({ kind: z.enum(['hunt', 'avoid']), outcome: z.enum(OUTCOMES), text: Str(2000) }),
  story: Str(20_000),
  takeaway: Str(4000),
  mode: z.enum(['race', 'scheduler']),
  scenario: ScenarioSchema,
  sources: z.array(z.strictObject({ kind: Str(20), id: Str(200), title: Str(500), date: Str(20) })).max(50),
  codeNotes: z.record(Str(64), Str(2000)),
});

/** An allocator's need: at least one page, at most what the encoding holds. */
const NeedSchema = z.number({ error: 'an allocator\'s need must be a whole number of pages' })
  .int({ error: 'an allocator\'s need must be a whole number of pages' })
  .min(1, { error: 'an allocator needs at least 1 page' })
  .max(LIMITS.pages, { error: `an allocator needs at most ${LIMITS.pages} pages` });
/** A bystander's RSS. */
const RssSchema = z.number({ error: 'a bystander\'s RSS must be a whole number of pages' })
  .int({ error: 'a bystander\'s RSS must be a whole number of pages' })
  .min(0, { error: 'a bystander\'s RSS cannot be negative' })
  .max(LIMITS.pages, { error: `a bystander holds at most ${LIMITS.pages} pages` });

export const ExplorerScenarioSchema: z.ZodType<ExplorerScenario> = z.strictObject({
  variant: z.enum(VARIANT_IDS),
  config: z.union([z.enum(CONFIG_IDS), ConfigSchema]),
  overrides: z.strictObject({
    ...COUNTER_OVERRIDES,
    need: z.array(NeedSchema)
      .min(1, { error: `a scenario has 1 to ${LIMITS.allocators} allocators` })
      .max(LIMITS.allocators, { error: `a scenario has 1 to ${LIMITS.allocators} allocators` })
      .optional(),
    bystanders: z.array(RssSchema)
      .max(LIMITS.bystanders, { error: `a scenario has at most ${LIMITS.bystanders} bystanders` })
      .optional(),
  }),
});

export const CellIdSchema = z.string().regex(/^[A-Za-z0-9_-]{4,32}$/);
export const CellKindSchema = z.enum(CELL_KINDS);

/** The schema of each JSON key (common and per kind). */
export const JSON_KEY_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  id: CellIdSchema,
  kind: CellKindSchema,
  created: CellCreatedSchema,
  lesson: LessonRecordSchema,
  trace: TraceRecordSchema,
  scenario: ExplorerScenarioSchema,
};

// ---------------------------------------------------------------------------------------
// Reading

export type CellView =
  | { kind: 'markdown'; id: string; created: CellCreated; map: Y.Map<unknown>; text: Y.Text }
  | { kind: 'lesson'; id: string; created: CellCreated; map: Y.Map<unknown>; lesson: LessonRecord; notes: Y.Text }
  | { kind: 'trace'; id: string; created: CellCreated; map: Y.Map<unknown>; trace: TraceRecord; notes: Y.Text }
  | { kind: 'explorer'; id: string; created: CellCreated; map: Y.Map<unknown>; scenario: ExplorerScenario; notes: Y.Text };

export function cellsOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(CELLS);
}

export function titleOf(doc: Y.Doc): Y.Text | null {
  const t = doc.getMap(META).get(TITLE);
  return t instanceof Y.Text ? t : null;
}

/** A cell as typed values, or null when the map is not a well-formed cell (an old or damaged one). */
export function readCell(map: unknown): CellView | null {
  if (!(map instanceof Y.Map)) return null;
  const m = map as Y.Map<unknown>;
  const id = m.get('id');
  const kind = m.get('kind');
  const created = m.get('created') as CellCreated | undefined;
  if (typeof id !== 'string' || typeof kind !== 'string' || !created || typeof created !== 'object') return null;
  const text = (k: string) => {
    const t = m.get(k);
    return t instanceof Y.Text ? t : null;
  };
  switch (kind) {
    case 'markdown': {
      const t = text('text');
      return t ? { kind, id, created, map: m, text: t } : null;
    }
    case 'lesson': {
      const lesson = m.get('lesson') as LessonRecord | undefined;
      const notes = text('notes');
      return lesson && notes ? { kind, id, created, map: m, lesson, notes } : null;
    }
    case 'trace': {
      const trace = m.get('trace') as TraceRecord | undefined;
      const notes = text('notes');
      return trace && notes ? { kind, id, created, map: m, trace, notes } : null;
    }
    case 'explorer': {
      const scenario = m.get('scenario') as ExplorerScenario | undefined;
      const notes = text('notes');
      return scenario && notes ? { kind, id, created, map: m, scenario, notes } : null;
    }
    default:
      return null;
  }
}

/** Every well-formed cell, in order. */
export function readCells(doc: Y.Doc): CellView[] {
  const out: CellView[] = [];
  for (const m of cellsOf(doc).toArray()) {
    const c = readCell(m);
    if (c) out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Writing

export type CellSpec =
  | { kind: 'markdown'; text?: string }
  | { kind: 'lesson'; lesson: LessonRecord; notes?: string }
  | { kind: 'trace'; trace: TraceRecord; notes?: string }
  | { kind: 'explorer'; scenario: ExplorerScenario; notes?: string };

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A fresh cell id (10 characters; 50 bits). */
export function newCellId(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += ID_ALPHABET[b % ID_ALPHABET.length];
  return s;
}

/** Builds the Y.Map of a new cell (not yet in a document). */
export function buildCell(spec: CellSpec, created: CellCreated, id = newCellId()): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('kind', spec.kind);
  m.set('created', created);
  const text = (s: string | undefined) => {
    const t = new Y.Text();
    if (s) t.insert(0, s);
    return t;
  };
  switch (spec.kind) {
    case 'markdown':
      m.set('text', text(spec.text));
      break;
    case 'lesson':
      m.set('lesson', spec.lesson);
      m.set('notes', text(spec.notes));
      break;
    case 'trace':
      m.set('trace', spec.trace);
      m.set('notes', text(spec.notes));
      break;
    case 'explorer':
      m.set('scenario', spec.scenario);
      m.set('notes', text(spec.notes));
      break;
  }
  return m;
}

/** Inserts cells at `index` (default: the end) in one transaction; returns their ids. */
export function insertCells(doc: Y.Doc, specs: readonly { spec: CellSpec; created: CellCreated; id?: string }[], index?: number, origin: unknown = null): string[] {
  const cells = cellsOf(doc);
  const maps = specs.map((s) => buildCell(s.spec, s.created, s.id));
  doc.transact(() => cells.insert(index ?? cells.length, maps), origin);
  return maps.map((m) => m.get('id') as string);
}

export function insertCell(doc: Y.Doc, spec: CellSpec, created: CellCreated, index?: number, origin: unknown = null): string {
  return insertCells(doc, [{ spec, created }], index, origin)[0]!;
}

/** Sets the notebook's title (creating the Y.Text on first use). */
export function setTitle(doc: Y.Doc, title: string, origin: unknown = null): void {
  doc.transact(() => {
    const meta = doc.getMap(META);
    let t = meta.get(TITLE);
    if (!(t instanceof Y.Text)) {
      t = new Y.Text();
      meta.set(TITLE, t);
    }
    const text = t as Y.Text;
    text.delete(0, text.length);
    text.insert(0, title);
  }, origin);
}

/** Index of the cell with this id, or -1. */
export function cellIndex(doc: Y.Doc, id: string): number {
  const arr = cellsOf(doc).toArray();
  for (let i = 0; i < arr.length; i++) if (arr[i]!.get('id') === id) return i;
  return -1;
}

/** A finished run (the game server's RunTrace) as a trace record. */
export function traceRecordFromRun(t: RunTrace): TraceRecord {
  return {
    v: 1,
    traceId: t.id,
    room: t.room,
    classCode: t.classCode,
    lesson: t.lesson,
    run: t.run,
    scenario: t.scenario,
    actions: t.actions.map((a) => ({ actor: a.actor, step: a.step })),
    by: t.actions.map((a) => (a.by.kind === 'human' ? a.by.name : `bot:${a.by.bot}`)),
    outcome: t.outcome,
    ...(t.detail ? { detail: t.detail } : {}),
    needlessKill: t.needlessKill,
    verdict: t.verdict,
    players: t.players,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

/** The fields of a lesson the notebook keeps (structurally a lessons/schema.ts Lesson). */
export interface LessonLike {
  id: string;
  title: string;
  chapter: string;
  date: string;
  goal: { kind: 'hunt' | 'avoid'; outcome: OutcomeId; text: string };
  story: string;
  takeaway: string;
  mode: 'race' | 'scheduler';
  sources: { kind: string; id: string; title: string; date: string }[];
  code_notes?: Record<string, string> | undefined;
}

export function lessonRecord(l: LessonLike, scenario: Scenario): LessonRecord {
  return {
    id: l.id,
    title: l.title,
    chapter: l.chapter,
    date: l.date,
    goal: { kind: l.goal.kind, outcome: l.goal.outcome, text: l.goal.text },
    story: l.story,
    takeaway: l.takeaway,
    mode: l.mode,
    scenario,
    sources: l.sources.map((s) => ({ kind: s.kind, id: s.id, title: s.title, date: s.date })),
    codeNotes: { ...(l.code_notes ?? {}) },
  };
}

/** The config keys an explorer question may override (ExplorerScenarioSchema's `overrides`). */
const OVERRIDABLE = ['free', 'pgtables', 'maxAttempts', 'keepAbove', 'stallLimit', 'deadline', 'mHeld', 'need', 'bystanders'] as const satisfies readonly (keyof ExplorerScenario['overrides'])[];

/**
 * The explorer question for a scenario as it is: a reference config is named by its id; a
 * scaled one (scaledConfig: its id is the base's and `+…`) that differs from its base only in
 * overridable values — the counters, the allocators' needs, the bystanders — by the base's id
 * with those overrides; any other config is kept whole.
 */
export function explorerScenarioOf(s: Scenario): ExplorerScenario {
  const variant = s.variant as VariantId;
  const id = s.config.id;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (isConfigId(id) && same(CONFIGS[id], s.config)) return { variant, config: id, overrides: {} };
  const baseId = /^([a-z0-9-]+)\+/.exec(id)?.[1] ?? '';
  if (!isConfigId(baseId)) return { variant, config: s.config, overrides: {} };
  const base = CONFIGS[baseId];
  const overridable = new Set<string>(OVERRIDABLE);
  const fixed = (Object.keys(base) as (keyof Config)[]).filter((k) => k !== 'id' && k !== 'title' && !overridable.has(k));
  if (!fixed.every((k) => same(base[k], s.config[k]))) return { variant, config: s.config, overrides: {} };
  const overrides: Record<string, unknown> = {};
  for (const k of OVERRIDABLE) if (!same(base[k], s.config[k])) overrides[k] = s.config[k];
  return { variant, config: baseId, overrides: overrides as ExplorerScenario['overrides'] };
}
