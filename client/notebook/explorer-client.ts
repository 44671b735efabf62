// Runs explorer requests in one shared Web Worker (falling back to the main thread where
// workers are unavailable) and caches reports by scenario, so ten explorer cells on the
// same scenario explore it once.
import type { Scenario } from '../../engine/index.js';
import { exploreReport, scenarioKey, type ExplorerReport } from './coverage.js';
import type { ExplorerAnswer } from './explorer.worker.js';

export const EXPLORER_BUDGET = 300_000;

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, (a: ExplorerAnswer) => void>();
const cache = new Map<string, Promise<ExplorerReport | string>>();

function getWorker(): Worker | null {
  if (worker) return worker;
  if (typeof Worker === 'undefined') return null;
  try {
    worker = new Worker(new URL('./explorer.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ExplorerAnswer>) => {
      const f = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      f?.(e.data);
    };
    worker.onerror = () => {
      for (const f of waiting.values()) f({ id: 0, ok: false, message: 'the explorer stopped unexpectedly; reload the page' });
      waiting.clear();
      worker = null;
    };
    return worker;
  } catch {
    return null;
  }
}

/** The explorer's report on a scenario (cached), or a message saying why there is none. */
export function explorerReport(scenario: Scenario): Promise<ExplorerReport | string> {
  const key = scenarioKey(scenario);
  let p = cache.get(key);
  if (p) return p;
  const w = getWorker();
  if (!w) {
    p = new Promise((resolve) => setTimeout(() => {
      try { resolve(exploreReport(scenario, EXPLORER_BUDGET)); } catch (e) { resolve(e instanceof Error ? e.message : String(e)); }
    }, 0));
  } else {
    const id = next++;
    p = new Promise((resolve) => {
      waiting.set(id, (a) => resolve(a.ok ? a.report : a.message));
      w.postMessage({ id, scenario, maxStates: EXPLORER_BUDGET });
    });
  }
  cache.set(key, p);
  if (cache.size > 32) cache.delete(cache.keys().next().value!);
  return p;
}
