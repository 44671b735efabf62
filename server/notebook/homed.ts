// The notebook service in cluster mode: a notebook lives at its home's owner
// (server/cluster/homes.ts), so a node that loses or hands over a home lets the home's
// notebooks go from memory, saying nothing to their connections: the new owner loads them
// from the log and the edges join their connections again there.

import { NotebookService } from './service.js';

export class HomedNotebookService extends NotebookService {
  /** Whether a notebook whose id passes `mine` is in memory here. */
  holdsAny(mine: (id: string) => boolean): boolean {
    for (const id of this.live.keys()) if (mine(id)) return true;
    return false;
  }

  /** Lets every notebook whose id passes `mine` go from memory, without a word and without a write. */
  unloadWhere(mine: (id: string) => boolean): void {
    for (const nb of [...this.live.values()]) {
      if (!mine(nb.rec.id)) continue;
      for (const c of nb.conns.values()) this.bySocket.get(c.socketId)?.delete(nb.rec.id);
      this.drop(nb);
    }
  }
}
