// The explorer cell's computations, pure and engine-only (they run in a Web Worker in the
// browser and directly in tests):
//  - exploreReport: the engine's explore() for the outcome table and the shortest trace to
//    each outcome, plus every distinct final state (a state where a run ends), named by the
//    engine's fingerprint() (explore's `listFinals`);
//  - coverage: which outcomes and which final states the notebook's recorded runs of the
//    same scenario have reached, against all that exist; per room for a class.

import {
  explore, fingerprint, isScenarioError, makeScenario, replay,
  type Config, type EndingOutcomeId, type ExploreResult, type FinalState, type OutcomeId, type Scenario,
} from '../../engine/index.js';
import { OUTCOMES } from '../../engine/index.js';
import type { TraceRecord } from '../../protocol/notebook/doc.js';
import type { ExplorerScenario } from '../../protocol/notebook/events.js';

export const ENDINGS = ['success', 'oops', 'lockup', 'panic'] as const satisfies readonly EndingOutcomeId[];

export type { FinalState };

export interface ExplorerReport {
  key: string;
  scenario: Scenario;
  complete: boolean;
  states: number;
  transitions: number;
  depth: number;
  outcomes: ExploreResult['outcomes'];
  finals: FinalState[];
  ms: number;
}

/** The scenario an explorer cell asks about, or what is wrong with it. */
export function resolveScenario(q: ExplorerScenario): Scenario | string {
  const sc = makeScenario(q.variant, q.config, q.overrides as Partial<Config>);
  return isScenarioError(sc) ? sc.message : sc;
}

/** Scenario identity for matching runs: the variant and the config's values (not its id or title). */
export function scenarioKey(s: Scenario): string {
  const { id: _id, title: _title, ...values } = s.config;
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([s.variant, sorted]);
}

const TRACE_LIMIT = 600;

const byOutcomeThenLength = (a: FinalState, b: FinalState) =>
  ENDINGS.indexOf(a.outcome) - ENDINGS.indexOf(b.outcome) || a.steps - b.steps || a.fingerprint.localeCompare(b.fingerprint);

/** Every distinct final state, each with a shortest run to it (while there are at most TRACE_LIMIT). */
export function finalStates(scenario: Scenario, maxStates = 300_000): { finals: FinalState[]; complete: boolean; states: number } {
  const r = explore(scenario, { maxStates, listFinals: true, finalTraceLimit: TRACE_LIMIT });
  return { finals: [...r.finals!].sort(byOutcomeThenLength), complete: r.complete, states: r.states };
}

export function exploreReport(scenario: Scenario, maxStates = 300_000, now: () => number = () => Date.now()): ExplorerReport {
  const t0 = now();
  const r = explore(scenario, { maxStates, listFinals: true, finalTraceLimit: TRACE_LIMIT });
  return {
    key: scenarioKey(scenario),
    scenario,
    complete: r.complete,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    outcomes: r.outcomes,
    finals: [...r.finals!].sort(byOutcomeThenLength),
    ms: now() - t0,
  };
}

export interface OutcomeCoverage {
  id: OutcomeId;
  reachable: boolean;
  shortest: number | null;
  /** Recorded runs of this scenario that showed it. */
  runs: number;
}

export interface RoomCoverage {
  room: string;
  runs: number;
  outcomes: OutcomeId[];
  finals: number;
}

export interface CoverageReport {
  /** Runs in the notebook, and those of this scenario. */
  runs: number;
  matching: number;
  outcomes: OutcomeCoverage[];
  finals: { total: number; found: number; byOutcome: Record<EndingOutcomeId, { total: number; found: number }> };
  /** Fingerprints of the final states reached by recorded runs. */
  found: string[];
  byRoom: RoomCoverage[];
}

/** What the recorded runs have found of what the explorer says exists. */
export function coverage(report: ExplorerReport, traces: readonly TraceRecord[]): CoverageReport {
  const matching = traces.filter((t) => scenarioKey(t.scenario) === report.key);
  const finalsByPrint = new Map(report.finals.map((f) => [f.fingerprint, f]));
  const found = new Set<string>();
  const runsBy = new Map<OutcomeId, number>();
  const rooms = new Map<string, { runs: number; outcomes: Set<OutcomeId>; finals: Set<string> }>();
  for (const t of matching) {
    const r = replay(t.scenario, t.actions);
    if (!r.ok || !r.outcome) continue;
    const shown: OutcomeId[] = [r.outcome.id];
    if (r.needlessKill) shown.push('needless_kill');
    for (const o of shown) runsBy.set(o, (runsBy.get(o) ?? 0) + 1);
    const print = fingerprint(r.final);
    if (finalsByPrint.has(print)) found.add(print);
    const key = t.room ?? '—';
    const room = rooms.get(key) ?? { runs: 0, outcomes: new Set<OutcomeId>(), finals: new Set<string>() };
    room.runs++;
    for (const o of shown) room.outcomes.add(o);
    room.finals.add(print);
    rooms.set(key, room);
  }
  const byOutcome = Object.fromEntries(ENDINGS.map((o) => [o, { total: 0, found: 0 }])) as Record<EndingOutcomeId, { total: number; found: number }>;
  for (const f of report.finals) {
    byOutcome[f.outcome].total++;
    if (found.has(f.fingerprint)) byOutcome[f.outcome].found++;
  }
  return {
    runs: traces.length,
    matching: matching.length,
    outcomes: OUTCOMES.map((id) => {
      const o = report.outcomes[id];
      return { id, reachable: o.reachable, shortest: o.reachable ? o.steps : null, runs: runsBy.get(id) ?? 0 };
    }),
    finals: { total: report.finals.length, found: found.size, byOutcome },
    found: [...found],
    byRoom: [...rooms.entries()].map(([room, r]) => ({ room, runs: r.runs, outcomes: OUTCOMES.filter((o) => r.outcomes.has(o)), finals: r.finals.size })).sort((a, b) => a.room.localeCompare(b.room)),
  };
}
