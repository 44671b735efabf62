// What the game's and the notebook's wire contracts share: the answer to every request
// (Ack), the codes the gate in front of both may answer with, and how versions work.
//
// Versions: the game (default namespace) and the notebooks (/notebook) change at their own
// pace, so each has its own number in WIRE_VERSIONS; a build of the client speaks exactly
// that pair and the server accepts exactly its own. The requests that open a session
// (room:create, room:join, class:create, class:join, notebook:join) carry their
// namespace's number, and a mismatch is answered with `protocol_mismatch`, saying which
// side is older (error.protocol). `server:hello` tells a client both numbers on connect.

/** Bumped on every incompatible change of an event name, payload or reply shape (or, for notebooks, the document schema). */
export const WIRE_VERSIONS = { game: 3, notebook: 2 } as const;
export type WireNamespace = keyof typeof WIRE_VERSIONS;

/** The codes the gate answers with before a request reaches its handler (and `internal`, when a handler fails). */
export const GATE_ERROR_CODES = [
  /** The payload failed validation (shape, types, lengths); the message names the field. */
  'bad_request',
  /** The payload is larger than the per-event limit (the transport closes on far larger ones). */
  'payload_too_large',
  /** Too many requests on this connection, or creations from this connection or address; wait (the message says how long). */
  'rate_limited',
  /** The server is building other scenarios or holds as many as its memory allows: nothing changed, try again shortly. */
  'busy',
  /** The client speaks another protocol version; error.protocol says which side is older. */
  'protocol_mismatch',
  /**
   * The server cannot make this durable right now (its database is unreachable, or in
   * cluster mode the node owning the room does not answer); nothing was acknowledged. The
   * server recovers by itself when the service returns: retry in a few seconds.
   */
  'unavailable',
  /** A bug or a storage failure on the server; nothing changed. */
  'internal',
] as const;
export type GateErrorCode = (typeof GATE_ERROR_CODES)[number];

/** Both sides' versions, with a protocol_mismatch. */
export interface VersionMismatch {
  namespace: WireNamespace;
  server: number;
  /** What the client sent (null: no number). */
  client: number | null;
  /** The side to update: the client (reload the page) or the server. */
  older: 'client' | 'server';
}

export interface ProtocolError<Code extends string> {
  code: Code;
  /** Human-readable, says what to do next. */
  message: string;
  /** With stale_version: the current game version. */
  version?: number;
  /** With protocol_mismatch. */
  protocol?: VersionMismatch;
}

/** The one answer shape of every request, game or notebook. */
export type Ack<T, Code extends string> = { ok: true; data: T } | { ok: false; error: ProtocolError<Code> };

/** Null when the client speaks this server's version; else both versions and which side is older. */
export function versionMismatch(namespace: WireNamespace, client: unknown): VersionMismatch | null {
  const server = WIRE_VERSIONS[namespace];
  if (client === server) return null;
  const sent = typeof client === 'number' && Number.isInteger(client) ? client : null;
  return { namespace, server, client: sent, older: sent !== null && sent > server ? 'server' : 'client' };
}

export function mismatchMessage(m: VersionMismatch): string {
  const what = m.namespace === 'game' ? 'game protocol' : 'notebook protocol';
  const client = m.client === null ? 'no version' : `${what} ${m.client}`;
  return m.older === 'client'
    ? `this page is older than the server (it speaks ${client}, the server ${what} ${m.server}): reload the page`
    : `the server is older than this page (it speaks ${what} ${m.server}, the page ${m.client}): the server is being updated; try again in a few minutes`;
}
