// zod schemas for every notebook client→server payload. The server parses each incoming
// payload (typed `unknown`) with these first; objects are strict. Binary `data` must be
// bytes (socket.io delivers a Buffer on the server) and is bounded here, before any
// decoding: a part by NOTEBOOK_FRAME_MAX, an awareness update by AWARENESS_MAX.

import { z } from 'zod';
import { MODES } from '../events.js';
import { Code, LessonId, Name, ScenarioRequestSchema, Token } from '../schemas.js';
import type {
  NotebookAwarenessPayload, NotebookClientEvents, NotebookCredential, NotebookIdPayload, NotebookJoinPayload,
  NotebookPlayPayload, NotebookPolicyPayload, NotebookSyncPayload,
} from './events.js';
import { AWARENESS_MAX, CLIENT_CLAIMS_MAX, NOTEBOOK_FRAME_MAX, NOTEBOOK_ID_RE, NOTEBOOK_MESSAGE_MAX } from './events.js';

export const NotebookId = z.string().max(64).regex(NOTEBOOK_ID_RE, 'a notebook id is 3 to 48 letters, digits, - or _');

const Bytes = (max: number, what: string) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, `${what} must be binary`).refine((v) => v.byteLength <= max, `${what} is larger than ${max} bytes`);

export const CredentialSchema: z.ZodType<NotebookCredential> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('room'), room: Code, token: Token }),
  z.strictObject({ kind: z.literal('teacher'), token: Token }),
  z.strictObject({ kind: z.literal('owner'), token: Token }),
]);

export const NotebookJoin: z.ZodType<NotebookJoinPayload> = z.strictObject({
  protocol: z.number().int(),
  id: NotebookId,
  name: Name,
  credential: CredentialSchema.optional(),
  editor: z.strictObject({
    key: Token,
    clients: z.array(z.number().int().min(0).max(0xffffffff)).min(1).max(CLIENT_CLAIMS_MAX),
  }).optional(),
});

export const NotebookLeave: z.ZodType<NotebookIdPayload> = z.strictObject({ id: NotebookId });

const MAX_PARTS = Math.ceil(NOTEBOOK_MESSAGE_MAX / NOTEBOOK_FRAME_MAX);

export const NotebookSync: z.ZodType<NotebookSyncPayload> = z.strictObject({
  id: NotebookId,
  data: Bytes(NOTEBOOK_FRAME_MAX, 'data'),
  part: z.strictObject({
    key: z.number().int().min(0).max(0xffffffff),
    index: z.number().int().min(0),
    count: z.number().int().min(2).max(MAX_PARTS, `the message is larger than ${NOTEBOOK_MESSAGE_MAX} bytes (at most ${MAX_PARTS} parts)`),
  }).refine((p) => p.index < p.count, 'part.index must be below part.count').optional(),
});

export const NotebookAwareness: z.ZodType<NotebookAwarenessPayload> = z.strictObject({
  id: NotebookId,
  data: Bytes(AWARENESS_MAX, 'data'),
});

export const NotebookPolicySchema: z.ZodType<NotebookPolicyPayload> = z.strictObject({
  id: NotebookId,
  spectators: z.enum(['read', 'edit']).optional(),
  visitors: z.enum(['player', 'spectator']).optional(),
  locked: z.boolean().optional(),
});

export const NotebookPlay: z.ZodType<NotebookPlayPayload> = z.strictObject({
  id: NotebookId,
  lesson: LessonId.optional(),
  scenario: ScenarioRequestSchema.optional(),
  mode: z.enum(MODES).optional(),
}).refine((p) => (p.lesson === undefined) !== (p.scenario === undefined), 'give exactly one of lesson or scenario');

export const NOTEBOOK_PAYLOAD_SCHEMAS = {
  'notebook:join': NotebookJoin,
  'notebook:leave': NotebookLeave,
  'notebook:sync': NotebookSync,
  'notebook:awareness': NotebookAwareness,
  'notebook:policy': NotebookPolicySchema,
  'notebook:play': NotebookPlay,
} as const satisfies { [E in keyof NotebookClientEvents]: z.ZodType<Parameters<NotebookClientEvents[E]>[0]> };

export type NotebookEventName = keyof typeof NOTEBOOK_PAYLOAD_SCHEMAS;
