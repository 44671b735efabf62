// The notebook wire contract, shared by the server (server/notebook/), the browser
// (client/notebook/), the tests and the benchmark. Types and constants only.
//
// Protocol, in one paragraph: notebooks travel over the game's socket.io connection, in
// the namespace `/notebook` (socket.io multiplexes it with the default namespace on one
// WebSocket). A client joins a notebook with `notebook:join` (carrying
// NOTEBOOK_PROTOCOL_VERSION, a display name and, optionally, a credential that proves a
// seat: a room player's token, a class teacher's token or the notebook owner's token);
// the ack says what it may do. Then both sides run the y-protocols sync handshake over
// `notebook:sync`: each `data` is one y-protocols sync message (step 1 = a state vector,
// step 2 = the missing updates, or an update). The server answers a step 1 with a step 2
// and sends its own step 1 after a join. Every step 2 or update a client sends is
// validated (role, lock, size, structure), applied to the server's document and appended
// to the SQLite update log BEFORE the ack `{ok: true}` — an acknowledged edit survives a
// crash — and only then relayed to the other connections. A rejected message changes
// nothing. Presence rides on `notebook:awareness` (y-protocols awareness updates). A
// message larger than NOTEBOOK_FRAME_MAX is split into `part`s (the transport refuses
// frames over 16 KiB); a reassembled message over NOTEBOOK_MESSAGE_MAX is refused.
// See docs/NOTEBOOK.md and the "Notebooks" section of docs/PROTOCOL.md.

import type { Config, ConfigId, VariantId } from '../../engine/types.js';
import type { Mode, ScenarioOverrides } from '../events.js';
import { GATE_ERROR_CODES, WIRE_VERSIONS, type Ack, type ProtocolError } from '../wire.js';

/** The notebook protocol version (protocol/wire.ts says how versions work). */
export const NOTEBOOK_PROTOCOL_VERSION = WIRE_VERSIONS.notebook;

/** The socket.io namespace of notebooks. */
export const NOTEBOOK_NAMESPACE = '/notebook';

/** Largest binary frame a client sends in one event (bytes); larger messages go in parts. */
export const NOTEBOOK_FRAME_MAX = 12 * 1024;
/** Largest sync message (reassembled from its parts) the server accepts (bytes). */
export const NOTEBOOK_MESSAGE_MAX = 1024 * 1024;
/** Largest awareness (presence) update (bytes). */
export const AWARENESS_MAX = 2048;
/** Notebooks one connection may have open at once. */
export const NOTEBOOKS_PER_CONNECTION = 4;
/** Yjs client ids one join may claim (the document's own and those of earlier offline sessions). */
export const CLIENT_CLAIMS_MAX = 16;

/**
 * Notebook ids. `room-<CODE>` is a room's notebook, `class-<CODE>` a class's; anything
 * else (e.g. `nb-k3x9q2`) is a free notebook, created by whoever opens it first.
 */
export const NOTEBOOK_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,47}$/;

export const NOTEBOOK_ERROR_CODES = [
  /** bad_request, payload_too_large (a message over NOTEBOOK_MESSAGE_MAX, a part over NOTEBOOK_FRAME_MAX), rate_limited, protocol_mismatch, internal (protocol/wire.ts). */
  ...GATE_ERROR_CODES,
  /** `room-<CODE>` / `class-<CODE>` for a room or class that does not exist. */
  'unknown_notebook',
  /** This connection has not joined that notebook (notebook:join first). */
  'not_joined',
  /** The credential does not open a seat here (wrong or stale token). */
  'bad_token',
  /** Your seat may read this notebook but not edit it. */
  'read_only',
  /** The host has locked the notebook: nobody edits until they unlock it. */
  'locked',
  /** Only the host may do this. */
  'not_host',
  /** The update does not decode, or touches something the notebook's schema does not allow. */
  'bad_update',
  /** The update builds on document parts the server does not have: the server re-sends its state vector. */
  'missing_dependency',
  /** The update writes under a Yjs client id this connection does not own (claim it in notebook:join). */
  'not_your_client',
  /** Too many notebooks open on this connection. */
  'too_many_notebooks',
  /** No lesson with this id (notebook:play). */
  'unknown_lesson',
  /** The scenario (variant/config/overrides) is not valid (notebook:play). */
  'bad_scenario',
] as const;
export type NotebookErrorCode = (typeof NOTEBOOK_ERROR_CODES)[number];

export type NotebookError = ProtocolError<NotebookErrorCode>;
export type NotebookAck<T> = Ack<T, NotebookErrorCode>;
export type NotebookAckFn<T> = (r: NotebookAck<T>) => void;

// ---------------------------------------------------------------------------------------
// Seats and permissions

export const NOTEBOOK_KINDS = ['free', 'room', 'class'] as const;
export type NotebookKind = (typeof NOTEBOOK_KINDS)[number];

/**
 * A seat in a notebook. host: the room's host, the class teacher or the free notebook's
 * owner. player: a room player with an actor role, a student of the class, or a visitor
 * of a free notebook. spectator: a room spectator, or a visitor of a room/class notebook.
 */
export const NOTEBOOK_SEATS = ['host', 'player', 'spectator'] as const;
export type NotebookSeat = (typeof NOTEBOOK_SEATS)[number];

/** What the host decides. */
export interface NotebookPolicy {
  /** Whether spectators may edit (players always may, unless locked). */
  spectators: 'read' | 'edit';
  /** The seat of someone who opens the link without a credential. */
  visitors: 'player' | 'spectator';
  /** Locked: read-only for everyone, the host included, until the host unlocks it. */
  locked: boolean;
}

export interface NotebookMeta {
  id: string;
  kind: NotebookKind;
  /** The room or class code of room-/class- notebooks. */
  ref: string | null;
  policy: NotebookPolicy;
  /** ISO 8601. */
  createdAt: string;
}

/** A credential: proves a seat. Kept by the browser; never shown to others. */
export type NotebookCredential =
  | { kind: 'room'; room: string; token: string }
  | { kind: 'teacher'; token: string }
  | { kind: 'owner'; token: string };

// ---------------------------------------------------------------------------------------
// Payloads

export interface NotebookJoinPayload {
  protocol: number;
  id: string;
  /** Display name shown to the others (1..40 chars). */
  name: string;
  credential?: NotebookCredential;
  /**
   * Who writes: a secret editor key this browser keeps, and the Yjs client ids it writes
   * under (the document's clientID first, then those of earlier sessions with unsent
   * edits). An id is the key's once claimed: the first claim of an id the notebook has
   * never seen wins; an id with structs is only ever its owner's.
   */
  editor?: { key: string; clients: number[] };
}

export interface NotebookJoinedData {
  meta: NotebookMeta;
  seat: NotebookSeat;
  canEdit: boolean;
  /** The claimed client ids this connection may write under (the others are someone else's). */
  clients: number[];
  /** Set when this join created a free notebook: keep it (localStorage) to be its host later. */
  ownerToken?: string;
}

/** A part of a message larger than NOTEBOOK_FRAME_MAX. */
export interface MessagePart {
  /** Chosen by the sender, the same for every part of one message. */
  key: number;
  index: number;
  count: number;
}

export interface NotebookSyncPayload {
  id: string;
  /** One y-protocols sync message (or one part of it). */
  data: Uint8Array;
  part?: MessagePart;
}

export interface NotebookAwarenessPayload {
  id: string;
  /** One y-protocols awareness update. */
  data: Uint8Array;
}

export interface NotebookIdPayload {
  id: string;
}

export interface NotebookPolicyPayload {
  id: string;
  spectators?: NotebookPolicy['spectators'];
  visitors?: NotebookPolicy['visitors'];
  locked?: boolean;
}

/** Opens a room whose finished runs land in this notebook too (the study group's "play a run"). */
export interface NotebookPlayPayload {
  id: string;
  /** Exactly one of lesson / scenario. */
  lesson?: string;
  scenario?: { variant: VariantId; config: ConfigId; overrides?: ScenarioOverrides };
  mode?: Mode;
}

export interface NotebookPlayData {
  code: string;
  /** The room seat's reconnect token: store it where the game looks (sessionStorage reaplab.token.<CODE>). */
  token: string;
}

/** What a sync ack carries: nothing, or — for a part — how many bytes have arrived. */
export type NotebookSyncAck = { received?: number };

// ---------------------------------------------------------------------------------------
// Events

export interface NotebookClientEvents {
  'notebook:join': (p: NotebookJoinPayload, ack: NotebookAckFn<NotebookJoinedData>) => void;
  'notebook:leave': (p: NotebookIdPayload, ack: NotebookAckFn<Record<string, never>>) => void;
  'notebook:sync': (p: NotebookSyncPayload, ack: NotebookAckFn<NotebookSyncAck>) => void;
  'notebook:awareness': (p: NotebookAwarenessPayload, ack: NotebookAckFn<Record<string, never>>) => void;
  'notebook:policy': (p: NotebookPolicyPayload, ack: NotebookAckFn<NotebookMeta>) => void;
  'notebook:play': (p: NotebookPlayPayload, ack: NotebookAckFn<NotebookPlayData>) => void;
}

export interface NotebookServerEvents {
  /** One y-protocols sync message for notebook `id` (step 1, step 2 or an update). */
  'notebook:sync': (d: { id: string; data: Uint8Array }) => void;
  'notebook:awareness': (d: { id: string; data: Uint8Array }) => void;
  /** The policy changed: your seat's permissions with it. */
  'notebook:meta': (d: { id: string; meta: NotebookMeta; seat: NotebookSeat; canEdit: boolean }) => void;
  /** The server dropped its copy of the notebook (a storage failure): join again to resync. */
  'notebook:reset': (d: { id: string; reason: string }) => void;
}

export interface NotebookSocketData {
  name: string | null;
}

/** The explorer cell's question: a scenario, as a variant, a base config and overrides. */
export interface ExplorerScenario {
  variant: VariantId;
  /** A reference config id, or a whole config (a lesson's own). */
  config: ConfigId | Config;
  /**
   * Values replacing the base config's: its counters, and the actors of a scaled scenario —
   * `need` (one entry per allocator, 1 to 8 of them) and `bystanders` (their RSS, 0 to 8).
   * A question that changes the actors is the explorer's alone: the game plays the scalar ones.
   */
  overrides: Partial<Pick<Config, 'free' | 'pgtables' | 'maxAttempts' | 'keepAbove' | 'stallLimit' | 'deadline' | 'mHeld' | 'need' | 'bystanders'>>;
}
