// The explorer cell's Web Worker: explores a scenario off the main thread, so typing and
// replays stay smooth while it runs. One request, one answer; the engine is pure.
import type { Scenario } from '../../engine/index.js';
import { exploreReport, type ExplorerReport } from './coverage.js';

export interface ExplorerRequest { id: number; scenario: Scenario; maxStates: number }
export type ExplorerAnswer = { id: number; ok: true; report: ExplorerReport } | { id: number; ok: false; message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<ExplorerRequest>) => void) | null; postMessage(m: ExplorerAnswer): void };

scope.onmessage = (e) => {
  const { id, scenario, maxStates } = e.data;
  try {
    scope.postMessage({ id, ok: true, report: exploreReport(scenario, maxStates) });
  } catch (err) {
    scope.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
