// The lesson format: one YAML file per lesson, checked by this schema at load time.
// A lesson names a scenario (variant × config, with optional overrides), the roles and
// bots, the goal, the texts the player reads, the sources, and what the explorer must
// find. docs/LESSONS.md explains every field for teachers. Field names are the YAML
// keys, unchanged: the server and the client consume the parsed object as it is.
//
// The schema checks shapes and types. Rules that span fields (a hunt goal must be
// expected reachable, override values the engine accepts, code notes that name real
// steps, ...) live in parse.ts, which points every error at a line and column.

import { z } from 'zod';
import { BOT_KINDS, CONFIG_IDS, OUTCOMES, VARIANT_IDS } from '../engine/index.js';

export const LESSON_MODES = ['scheduler', 'race'] as const;
export const ROLE_IDS = ['victim', 'reaper', 'allocator'] as const;
export const SOLO_SEATS = ['scheduler', ...ROLE_IDS] as const;
export const GOAL_KINDS = ['hunt', 'avoid'] as const;
export const SIDES = ['hunt', 'avoid'] as const;
export const SOURCE_KINDS = ['commit', 'message', 'thread', 'doc'] as const;
export const VMA_KINDS = ['anon', 'file', 'shared', 'hugetlb', 'pfnmap'] as const;

/** Lesson ids: lower-case words joined by dashes ("v419-mlock-kill"). */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Dates: a year, a month or a day ("2018", "2018-09", "2018-09-14"). */
export const DATE_RE = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/;

const text = z.string().trim().min(1);

/** YAML reads `date: 2018` as a number; accept it as the string it means. */
const dateField = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v),
  z.string().regex(DATE_RE, { message: 'a date is YYYY, YYYY-MM or YYYY-MM-DD, like 2018-09-14' }),
);

const outcome = z.enum(OUTCOMES);

/** One VMA of an overridden config. `locked` and `close` may be left out. */
export const VmaOverrideSchema = z.strictObject({
  kind: z.enum(VMA_KINDS),
  pages: z.number(),
  locked: z.boolean().default(false),
  close: z.enum(['none', 'M']).default('none'),
});

/**
 * Config values a lesson may change. Only types are checked here; ranges and totals are
 * the engine's validateConfig, which parse.ts runs on the merged config.
 */
export const OverridesSchema = z.strictObject({
  maxAttempts: z.number().optional(),
  keepAbove: z.number().optional(),
  stallLimit: z.number().optional(),
  deadline: z.number().optional(),
  free: z.number().optional(),
  need: z.array(z.number()).optional(),
  pgtables: z.number().optional(),
  bystanders: z.array(z.number()).optional(),
  vmas: z.array(VmaOverrideSchema).optional(),
  arch: z.enum(['x86', 'ppc']).optional(),
  mHeld: z.boolean().optional(),
});

/** One actor's seat: what the player does, what their team wants, and the bot that plays it when nobody does. */
export const RoleSchema = z.strictObject({
  does: text,
  wants: text,
  /** Whose side the seat is on: `hunt` plays for the goal outcome, `avoid` against it. */
  side: z.enum(SIDES),
  bot: z.enum(BOT_KINDS),
});

export const RolesSchema = z.strictObject({
  /** What a solo learner controls: every actor (`scheduler`) or one of them. */
  solo: z.enum(SOLO_SEATS),
  victim: RoleSchema,
  reaper: RoleSchema,
  allocator: RoleSchema,
});

export const GoalSchema = z.strictObject({
  kind: z.enum(GOAL_KINDS),
  outcome,
  text,
});

export const SourceSchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS),
  id: text,
  title: text,
  date: dateField,
  note: text.optional(),
});

export const ExpectSchema = z.strictObject({
  reachable: z.array(outcome).default([]),
  unreachable: z.array(outcome).default([]),
  /** Steps of the explorer's shortest trace to an outcome (every step counts, the last one too). */
  shortest: z.partialRecord(outcome, z.number().int().min(1)).optional(),
});

export const LessonSchema = z.strictObject({
  id: z.string().regex(SLUG_RE, { message: 'an id is lower-case letters and digits joined by dashes, like "v419-mlock-kill"' }),
  order: z.number().int().min(1),
  title: text,
  chapter: text,
  date: dateField,
  variant: z.enum(VARIANT_IDS),
  config: z.enum(CONFIG_IDS),
  overrides: OverridesSchema.optional(),
  mode: z.enum(LESSON_MODES),
  roles: RolesSchema,
  goal: GoalSchema,
  story: text,
  win: text,
  lose: text,
  takeaway: text,
  /** What this machine leaves out or shrinks compared with the kernel (oom_lock, retry counts, delays, ...), in a few sentences. */
  simplifies: text,
  hints: z.array(text).min(2),
  code_notes: z.record(z.string(), text).optional(),
  sources: z.array(SourceSchema).min(1),
  expect: ExpectSchema,
});

export type Lesson = z.output<typeof LessonSchema>;
export type LessonRole = z.output<typeof RoleSchema>;
export type LessonGoal = z.output<typeof GoalSchema>;
export type LessonSource = z.output<typeof SourceSchema>;
export type LessonOverrides = z.output<typeof OverridesSchema>;
export type LessonExpect = z.output<typeof ExpectSchema>;
export type LessonMode = (typeof LESSON_MODES)[number];
export type RoleId = (typeof ROLE_IDS)[number];
export type SoloSeat = (typeof SOLO_SEATS)[number];

/** Fields of the mapping at a path of the lesson, or null when the path is not a mapping (for "did you mean"). */
export function fieldsAt(path: readonly (string | number)[]): string[] | null {
  let s: z.ZodType = LessonSchema;
  const unwrap = (t: z.ZodType): z.ZodType => {
    for (;;) {
      const def = (t as unknown as { def: { type: string; innerType?: z.ZodType; out?: z.ZodType } }).def;
      if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) t = def.innerType;
      else if (def.type === 'pipe' && def.out) t = def.out;
      else return t;
    }
  };
  s = unwrap(s);
  for (const k of path) {
    const def = (s as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType } }).def;
    if (def.type === 'object' && typeof k === 'string' && def.shape?.[k]) s = unwrap(def.shape[k]);
    else if (def.type === 'array' && typeof k === 'number' && def.element) s = unwrap(def.element);
    else if (def.type === 'record' && def.valueType) s = unwrap(def.valueType);
    else return null;
  }
  const def = (s as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; keyType?: z.ZodType } }).def;
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type === 'record' && def.keyType) {
    const k = (def.keyType as unknown as { def: { type: string; entries?: Record<string, string> } }).def;
    if (k.type === 'enum' && k.entries) return Object.values(k.entries);
  }
  return null;
}
