// A notebook as the server holds it while it is open: the document, its presence, the
// connections in it, and the bookkeeping of its update log.

import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { NotebookCredential, NotebookSeat } from '../../protocol/notebook/events.js';
import type { Timer } from '../clock.js';
import type { NotebookRecord } from '../store/port.js';
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
