// A notebook as the server holds it while it is open: the document, its presence, the
// connections in it, and the bookkeeping of its update log.

import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { NotebookCredential, NotebookSeat } from '../../protocol/notebook/events.js';
import type { Timer } from '../clock.js';
import type { NotebookRecord, UpdateRow } from '../store/port.js';
import type { ClientOwners } from './client-ids.js';

export interface Conn {
  socketId: string;
  name: string;
  seat: NotebookSeat;
  /** The credential it joined with: the seat is asked again when the room changes. */
  credential: NotebookCredential | undefined;
  /** Yjs client ids this connection owns: it writes and speaks (presence) only for these. */
  owned: Set<number>;
}

export interface LiveNotebook {
  rec: NotebookRecord;
  doc: Y.Doc;
  awareness: Awareness;
  conns: Map<string, Conn>;
  nextSeq: number;
  sinceCompact: { updates: number; bytes: number };
  /** Bytes of the whole update log on disk. */
  logBytes: number;
  /** A stored row did not apply when it was loaded: the copy is not the whole log. */
  damaged: boolean;
  compacting: boolean;
  unloadTimer: Timer | null;
  /** Updates produced by the transaction being applied (the doc's 'update' events). */
  collect: Uint8Array[] | null;
  /** Runs recorded here: on disk, or queued for the next commit. */
  traces: Set<string>;
  /** Who owns each Yjs client id of the document. */
  owners: ClientOwners;
  dead: boolean;
}

/** Whether Yjs holds structs or deletes it could not integrate yet (it would apply them later, unstored). */
export function pendingIn(doc: Y.Doc): boolean {
  const st = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  return st.pendingStructs !== null || st.pendingDs !== null;
}

/** A notebook's document replayed from its stored log, and the log's bookkeeping; a row that does not apply is skipped (and said). */
export function replayLog(rows: readonly UpdateRow[], origin: string, skipped: (seq: number, e: unknown) => void):
  Pick<LiveNotebook, 'doc' | 'nextSeq' | 'sinceCompact' | 'logBytes' | 'damaged'> {
  const doc = new Y.Doc();
  let damaged = false;
  doc.transact(() => {
    for (const r of rows) {
      try {
        Y.applyUpdate(doc, r.data);
      } catch (e) {
        damaged = true;
        skipped(r.seq, e);
      }
    }
  }, origin);
  return {
    doc,
    nextSeq: rows.length ? rows[rows.length - 1]!.seq + 1 : 0,
    sinceCompact: { updates: Math.max(0, rows.length - 1), bytes: rows.slice(1).reduce((n, r) => n + r.data.byteLength, 0) },
    logBytes: rows.reduce((n, r) => n + r.data.byteLength, 0),
    damaged,
  };
}
