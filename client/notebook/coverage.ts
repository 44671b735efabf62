// The explorer cell's computations, pure and engine-only (they run in a Web Worker in the
// browser and directly in tests):
//  - exploreReport: the engine's explore() for the outcome table and the shortest trace to
//    each outcome, plus every distinct final state (a state where a run ends), named by the
//    engine's fingerprint() (explore's `listFinals`). A scenario with interchangeable
//    allocators (equal need) is searched one state per orbit (symmetry.ts): the outcomes and
//    shortest lengths are those of the full search, the traces real runs, and the states
//    and final states are counted as orbits, a final state named by canonicalFingerprint();
//    a scenario without (every lesson's: one allocator) is searched as it is;
//  - coverage: which outcomes and which final states the notebook's recorded runs of the
//    same scenario have reached, against all that exist; per room for a class.

import {
  canonicalFingerprint, explore, fingerprint, isScenarioError, makeScenario, replay,
  type ActorId, type Config, type EndingOutcomeId, type ExploreResult, type FinalState, type OutcomeId, type Scenario,
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
  /** Distinct final states; under symmetry, one per orbit. */
  finals: FinalState[];
  /**
   * Present when the search was reduced by symmetry: the classes of interchangeable
   * allocators. Then `states` and `finals` count orbits.
   */
  symmetry?: ActorId[][];
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

/** The explorer's answer on a scenario; `symmetry: false` searches every state even where allocators are interchangeable. */
export function exploreReport(scenario: Scenario, maxStates = 300_000, now: () => number = () => Date.now(), symmetry = true): ExplorerReport {
  const t0 = now();
  const r = explore(scenario, { maxStates, listFinals: true, finalTraceLimit: TRACE_LIMIT, symmetry });
  return {
    key: scenarioKey(scenario),
    scenario,
    complete: r.complete,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    outcomes: r.outcomes,
    finals: [...r.finals!].sort(byOutcomeThenLength),
    ...(r.symmetry ? { symmetry: r.symmetry } : {}),
    ms: now() - t0,
  };
}

/** "Allocators 1–6" for a class of consecutive allocators, else the names listed. */
function allocatorsNamed(c: readonly ActorId[]): string {
  const ks = c.map((a) => Number(/^allocator(\d+)$/.exec(a)?.[1] ?? NaN));
  const run = ks.every((k, i) => Number.isInteger(k) && (i === 0 || k === ks[i - 1]! + 1));
  return run && ks.length > 2 ? `Allocators ${ks[0]}–${ks[ks.length - 1]}` : c.map((a) => a.replace(/^allocator/, 'Allocator ')).join(', ');
}

/** The cell's symmetry line: what the reduced search merged, in the engine's own counts; '' when it searched every state. */
export function symmetryLine(r: Pick<ExplorerReport, 'symmetry' | 'states' | 'finals'>): string {
  if (!r.symmetry) return '';
  const classes = r.symmetry.map(allocatorsNamed).join('; ');
  return `Reduced by symmetry: ${r.states.toLocaleString('en')} states (one per orbit) and ${r.finals.length.toLocaleString('en')} final states up to swapping interchangeable allocators (${classes}: equal need).`;
}

/** Scaled questions (other allocators or bystanders) are the explorer's alone: the game's rooms take only the scalar overrides. */
export function isPlayable(q: ExplorerScenario): boolean {
  return typeof q.config === 'string' && q.overrides.need === undefined && q.overrides.bystanders === undefined;
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
    const print = report.symmetry ? canonicalFingerprint(r.final) : fingerprint(r.final);
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
