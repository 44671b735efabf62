// Where state graphs are built: a worker thread (graph-worker.mjs) that runs the engine's
// explorer, so that a large custom scenario (tens of milliseconds, megabytes) never holds up
// the event loop. One worker, one build at a time; requests queue in order.

import { Worker } from 'node:worker_threads';
import { buildGraphParts, type GraphParts, type Scenario } from '../engine/index.js';

export interface GraphBuilder {
  build(scenario: Scenario, maxStates: number): Promise<GraphParts>;
  stop(): Promise<void>;
}

export function workerGraphBuilder(): GraphBuilder {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (p: GraphParts) => void; reject: (e: Error) => void }>();
  const start = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./graph-worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: { id?: number; parts?: GraphParts; error?: string }) => {
      if (m.id === undefined) return;
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.parts) p.resolve(m.parts);
      else p.reject(new Error(m.error ?? 'the graph build failed'));
    });
    const lost = (e: Error) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
      worker = null;
    };
    w.on('error', lost);
    w.on('exit', (code) => { if (worker === w) lost(new Error(`the graph worker exited (${code})`)); });
    worker = w;
    return w;
  };
  return {
    build(scenario, maxStates) {
      const w = start();
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, scenario, maxStates });
      });
    },
    async stop() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** Builds on the calling thread (tests that count builds, tools without workers). */
export const inlineGraphBuilder: GraphBuilder = {
  build: (scenario, maxStates) => Promise.resolve(buildGraphParts(scenario, maxStates)),
  stop: () => Promise.resolve(),
};
