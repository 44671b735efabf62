// Runs explorer requests in one shared Web Worker (falling back to the main thread where
// workers are unavailable) and caches reports by scenario, so ten explorer cells on the
// same scenario explore it once.
import type { Scenario } from '../../engine/index.js';
import { workerRequests } from '../lib/worker-requests.js';
import { exploreReport, scenarioKey, type ExplorerReport } from './coverage.js';

export const EXPLORER_BUDGET = 300_000;

const explorer = workerRequests<{ scenario: Scenario; maxStates: number }, ExplorerReport, { report: ExplorerReport }>(
  () => new Worker(new URL('./explorer.worker.ts', import.meta.url), { type: 'module' }),
  (a) => a.report,
  (r) => exploreReport(r.scenario, r.maxStates),
);
const cache = new Map<string, Promise<ExplorerReport | string>>();

/** The explorer's report on a scenario (cached), or a message saying why there is none. */
export function explorerReport(scenario: Scenario): Promise<ExplorerReport | string> {
  const key = scenarioKey(scenario);
  let p = cache.get(key);
  if (p) return p;
  p = explorer.ask({ scenario, maxStates: EXPLORER_BUDGET });
  cache.set(key, p);
  if (cache.size > 32) cache.delete(cache.keys().next().value!);
  return p;
}
