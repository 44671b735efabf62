// Compaction writes a notebook's log as one update that holds its document as it is — the
// encoded state (Y.encodeStateAsUpdate) of the server's own copy, whose garbage collector
// has already dropped deleted text — instead of merging the rows, which keeps every deleted
// character. A small notebook's live copy is encoded on the spot (microseconds); a large
// one is rebuilt from its rows in a worker thread (compact-worker.mjs), so the event loop
// keeps serving edits.

import { Worker } from 'node:worker_threads';

export interface Compactor {
  /** The document the updates make, as one update (off the event loop). */
  rebuild(updates: Uint8Array[]): Promise<Uint8Array>;
  stop(): Promise<void>;
}

export function createCompactor(): Compactor {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }>();
  const start = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./compact-worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: { id: number; merged?: Uint8Array; error?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.merged) p.resolve(m.merged);
      else p.reject(new Error(m.error ?? 'compaction failed'));
    });
    w.on('error', (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
      worker = null;
    });
    worker = w;
    return w;
  };
  return {
    rebuild(updates) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        start().postMessage({ id, updates });
      });
    },
    async stop() {
      const w = worker;
      worker = null;
      for (const p of waiting.values()) p.reject(new Error('compactor stopped'));
      waiting.clear();
      if (w) await w.terminate();
    },
  };
}
