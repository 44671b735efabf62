// Merging a notebook's update log for compaction: small logs inline (microseconds), large
// ones in a worker thread (merge-worker.mjs) so the event loop keeps serving edits.

import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

export interface Merger {
  merge(updates: Uint8Array[]): Promise<Uint8Array>;
  stop(): Promise<void>;
}

/** Logs below `inlineBelow` bytes merge on the calling thread. */
export function createMerger(inlineBelow = 256 * 1024): Merger {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }>();
  const start = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./merge-worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: { id: number; merged?: Uint8Array; error?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.merged) p.resolve(m.merged);
      else p.reject(new Error(m.error ?? 'merge failed'));
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
    merge(updates) {
      const bytes = updates.reduce((n, u) => n + u.byteLength, 0);
      if (bytes < inlineBelow) {
        try {
          return Promise.resolve(Y.mergeUpdates(updates));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        start().postMessage({ id, updates });
      });
    },
    async stop() {
      const w = worker;
      worker = null;
      for (const p of waiting.values()) p.reject(new Error('merger stopped'));
      waiting.clear();
      if (w) await w.terminate();
    },
  };
}
