// Which Yjs client ids a connection may write under. Each id of a notebook belongs to the
// editor key that first claimed it (stored beside the log, so it holds across restarts):
// an id the document has never seen goes to its first claimant; an id with structs, or the
// server's own, is never anyone else's. Without this, an editor could write under another
// person's id — ahead of their clock, or over their unsent edits — and Yjs would silently
// drop or delete what that person writes next.

import * as Y from 'yjs';
import { hashToken } from '../ids.js';
import type { AnyNotebookStore } from '../store/port.js';

export class ClientOwners {
  /** The owners as stored, for the notebook's document as loaded. */
  static async load(store: AnyNotebookStore, notebook: string, doc: Y.Doc): Promise<ClientOwners> {
    return new ClientOwners(store, notebook, doc, await store.clients(notebook));
  }

  private constructor(private readonly store: AnyNotebookStore, private readonly notebook: string, private readonly doc: Y.Doc, private readonly owners: Map<number, string>) {
    // The server writes (lessons, recorded runs) under its own id: never one somebody owns.
    while (this.owners.has(doc.clientID) || Y.getState(doc.store, doc.clientID) > 0) doc.clientID = Math.floor(Math.random() * 0x100000000) >>> 0;
  }

  /** The ids of `clients` the key owns after this claim (new ones recorded before this returns). */
  async claim(key: string, clients: readonly number[]): Promise<Set<number>> {
    const hash = hashToken(key);
    const owned = new Set<number>();
    for (const c of clients) {
      const owner = this.owners.get(c);
      if (owner === hash) owned.add(c);
      else if (owner === undefined && c !== this.doc.clientID && Y.getState(this.doc.store, c) === 0) {
        await this.store.claimClient(this.notebook, c, hash);
        this.owners.set(c, hash);
        owned.add(c);
      }
    }
    return owned;
  }
}
