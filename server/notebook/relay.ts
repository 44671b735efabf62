// The service's side of the wire: its results (the acks) and how it reaches connections.

import * as encoding from 'lib0/encoding';
import type { NotebookAck, NotebookErrorCode, NotebookMeta, NotebookSeat } from '../../protocol/notebook/events.js';

export type NbResult<T> = NotebookAck<T>;

/** The socket.io room of a notebook: everyone in it gets its relayed updates and presence. */
export const notebookChannel = (id: string) => `nb:${id}`;

export function nbOk<T>(data: T): NbResult<T> {
  return { ok: true, data };
}

export function nbFail<T = never>(code: NotebookErrorCode, message: string): NbResult<T> {
  return { ok: false, error: { code, message } };
}

/** How the service reaches connections (the socket layer implements it). */
export interface NotebookRelay {
  /** A sync message to everyone in the notebook but `except`. */
  sync(id: string, data: Uint8Array, except: string | null): void;
  awareness(id: string, data: Uint8Array, except: string | null): void;
  /** A sync message to one connection. */
  syncTo(socketId: string, id: string, data: Uint8Array): void;
  awarenessTo(socketId: string, id: string, data: Uint8Array): void;
  meta(socketId: string, d: { id: string; meta: NotebookMeta; seat: NotebookSeat; canEdit: boolean }): void;
  reset(socketId: string, d: { id: string; reason: string }): void;
}

/** A y-protocols sync message. */
export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
