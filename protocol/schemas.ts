// zod schemas for every client→server payload. The server parses each incoming payload
// (typed `unknown`) with these before anything else; a client may use them to check a
// form before sending. Objects are strict: unknown keys are rejected. Each schema is
// checked against the matching type in events.ts at compile time.

import { z } from 'zod';
import { CONFIG_BOUNDS, LIMITS } from '../engine/configs.js';
import { CONFIG_IDS, VARIANT_IDS } from '../engine/types.js';
import type {
  BotSetPayload, ClassControlsPayload, ClassCreatePayload, ClassJoinPayload, ClassMovePayload, ClassRoomsPayload, ClassTeacherPayload, ClientToServerEvents, EmptyPayload, GameSyncPayload,
  GameActPayload, GameJumpPayload, GameModePayload, GameVersionPayload, HostHandoverPayload, ProgressGetPayload, RoleClaimPayload,
  RoleHandoverPayload, RoleReleasePayload, RoomCreatePayload, RoomJoinPayload,
} from './events.js';
import { ACTOR_ROLES, BOT_KINDS, GROUPINGS, MODES, ROLES } from './events.js';

/** Longest display name, in characters. */
export const NAME_MAX = 40;
/** Largest payload (JSON characters) a handler accepts; larger ones get payload_too_large. */
export const PAYLOAD_MAX = 4096;

// Control, format (bidi overrides, zero-width), line and paragraph separators; lone
// surrogates (not text: they come back as U+FFFD from any UTF-8 store).
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Length in code points (what a person counts as characters, near enough; UTF-16 counts an emoji twice). */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A display name: trimmed, NFC, 1..40 code points, no control, invisible or lone surrogate characters. Never HTML. */
export const Name = z
  .string()
  .max(200, 'name is too long (at most 40 characters)')
  .refine((s) => !/\p{Cs}/u.test(s), 'name must be text (it holds a lone surrogate)')
  .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'name must not be empty')
      .refine((s) => codePoints(s) <= NAME_MAX, `name is too long (at most ${NAME_MAX} characters)`)
      .refine((s) => !FORBIDDEN_IN_NAME.test(s), 'name must not contain control or invisible characters'),
  );

/** Room and class codes: 6 letters/digits, case-insensitive (sent upper-cased). */
export const Code = z
  .string()
  .max(16)
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{4,8}$/, 'a code is 4 to 8 letters or digits'));

export const Token = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'token is not valid');
export const PlayerId = z.string().regex(/^[A-Za-z0-9_-]{4,32}$/, 'player id is not valid');
export const LessonId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lesson id is not valid');
const Version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Seed = z.number().int().min(0).max(0xffffffff);
const Protocol = z.number().int();

/** An integer inside one of the engine's ranges. */
export const Bounded = ([min, max]: readonly [number, number]) => z.number().int().min(min).max(max);
/** A config counter, bounded as the engine bounds it (engine/configs.ts CONFIG_BOUNDS). */
export const ConfigCounter = (name: keyof typeof CONFIG_BOUNDS) => Bounded(CONFIG_BOUNDS[name]);
/** A page count (one byte of the compact state encoding). */
export const Pages = Bounded([0, LIMITS.pages]);

/** The overrides of a config's single values, each bounded as the engine bounds it (the game's and the explorer cell's). */
export const COUNTER_OVERRIDES = {
  free: ConfigCounter('free').optional(),
  pgtables: ConfigCounter('pgtables').optional(),
  maxAttempts: ConfigCounter('maxAttempts').optional(),
  keepAbove: ConfigCounter('keepAbove').optional(),
  stallLimit: ConfigCounter('stallLimit').optional(),
  deadline: ConfigCounter('deadline').optional(),
  mHeld: z.boolean().optional(),
};

/** A scenario asked for by name: a variant, a reference config and overrides of its counters. */
export const ScenarioRequestSchema = z.strictObject({
  variant: z.enum(VARIANT_IDS),
  config: z.enum(CONFIG_IDS),
  overrides: z.strictObject(COUNTER_OVERRIDES).optional(),
});

export const RoleSchema = z.enum(ROLES);
export const ActorRoleSchema = z.enum(ACTOR_ROLES);
export const ModeSchema = z.enum(MODES);
export const BotKindSchema = z.enum(BOT_KINDS);

export const RoomCreate: z.ZodType<RoomCreatePayload> = z
  .strictObject({
    protocol: Protocol,
    name: Name,
    lesson: LessonId.optional(),
    scenario: ScenarioRequestSchema.optional(),
    mode: ModeSchema.optional(),
    seed: Seed.optional(),
  })
  .refine((p) => (p.lesson === undefined) !== (p.scenario === undefined), 'give exactly one of lesson or scenario');

export const RoomJoin: z.ZodType<RoomJoinPayload> = z.strictObject({
  protocol: Protocol,
  code: Code,
  name: Name,
  token: Token.optional(),
});

export const Empty: z.ZodType<EmptyPayload> = z.strictObject({}) as unknown as z.ZodType<EmptyPayload>;

export const RoleClaim: z.ZodType<RoleClaimPayload> = z.strictObject({ role: RoleSchema });
export const RoleRelease: z.ZodType<RoleReleasePayload> = z.strictObject({ playerId: PlayerId.optional() });
export const RoleHandover: z.ZodType<RoleHandoverPayload> = z.strictObject({ to: PlayerId, role: ActorRoleSchema.optional() });
export const HostHandover: z.ZodType<HostHandoverPayload> = z.strictObject({ to: PlayerId });

export const GameAct: z.ZodType<GameActPayload> = z.strictObject({
  actor: z.string().regex(/^(victim|reaper|allocator(?:[1-9][0-9]?)?)$/, 'actor is victim, reaper, allocator or allocatorN') as z.ZodType<GameActPayload['actor']>,
  step: z.string().min(1).max(64),
  version: Version,
});
export const GameVersion: z.ZodType<GameVersionPayload> = z.strictObject({ version: Version });
export const GameJump: z.ZodType<GameJumpPayload> = z.strictObject({ version: Version, to: z.number().int().min(0).max(100_000) });
export const GameSync: z.ZodType<GameSyncPayload> = z.strictObject({ code: Code });
export const GameMode: z.ZodType<GameModePayload> = z.strictObject({ mode: ModeSchema });
export const BotSet: z.ZodType<BotSetPayload> = z.strictObject({
  role: ActorRoleSchema,
  kind: BotKindSchema.nullable(),
  seed: Seed.optional(),
});
export const ProgressGet: z.ZodType<ProgressGetPayload> = z.strictObject({ name: Name });

export const ClassCreate: z.ZodType<ClassCreatePayload> = z.strictObject({
  protocol: Protocol,
  name: Name,
  lesson: LessonId,
  grouping: z.enum(GROUPINGS),
  mode: ModeSchema.optional(),
});
export const ClassJoin: z.ZodType<ClassJoinPayload> = z.strictObject({
  protocol: Protocol,
  code: Code,
  name: Name,
  room: z.union([z.literal('new'), Code]).optional(),
});
export const ClassTeacher: z.ZodType<ClassTeacherPayload> = z.strictObject({ code: Code, teacherToken: Token });
export const ClassControlsSet: z.ZodType<ClassControlsPayload> = z.strictObject({
  code: Code, teacherToken: Token, paused: z.boolean().optional(), studentsControl: z.boolean().optional(),
});
export const ClassRooms: z.ZodType<ClassRoomsPayload> = z.strictObject({ code: Code, teacherToken: Token, room: Code.optional() });
export const ClassMove: z.ZodType<ClassMovePayload> = z.strictObject({
  code: Code, teacherToken: Token, from: Code, player: PlayerId, to: Code, role: RoleSchema,
});

/** The schema of each client→server event's payload. */
export const PAYLOAD_SCHEMAS = {
  'room:create': RoomCreate,
  'room:join': RoomJoin,
  'room:leave': Empty,
  'room:away': Empty,
  'role:claim': RoleClaim,
  'role:release': RoleRelease,
  'role:handover': RoleHandover,
  'host:handover': HostHandover,
  'game:act': GameAct,
  'game:undo': GameVersion,
  'game:restart': GameVersion,
  'game:jump': GameJump,
  'game:sync': GameSync,
  'game:mode': GameMode,
  'bot:set': BotSet,
  'progress:get': ProgressGet,
  'class:create': ClassCreate,
  'class:join': ClassJoin,
  'class:watch': ClassTeacher,
  'class:stop': ClassTeacher,
  'class:rekey': ClassTeacher,
  'class:delete': ClassTeacher,
  'class:controls': ClassControlsSet,
  'class:restart': ClassRooms,
  'class:rotate': ClassRooms,
  'class:move': ClassMove,
} as const satisfies { [E in keyof ClientToServerEvents]: z.ZodType<Parameters<ClientToServerEvents[E]>[0]> };

export type ClientEventName = keyof typeof PAYLOAD_SCHEMAS;
export const CLIENT_EVENTS = Object.keys(PAYLOAD_SCHEMAS) as ClientEventName[];

/** A zod error as one readable line: "name: name must not be empty". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
