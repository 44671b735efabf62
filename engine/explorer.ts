// The exhaustive explorer: breadth-first search over every interleaving of a scenario.
// It steps packed states (packed.ts) with the same semantics as step() (machine.ts), with
// no State objects on the hot path: a successor is the expanded state's words, copied and
// stepped in place. States are deduplicated by those words; a state's predecessor is recorded
// only when it is first discovered, so following predecessors from the first state that
// shows an outcome gives a shortest trace to it. Terminal states (success, oops, panic,
// lockup) are not expanded. An explicit budget bounds the search; a search cut short
// says so (`complete: false`) instead of pretending.
//
// The lockup check runs only on states seen for the first time: a successor is looked up
// with its outcome as applyStep left it, and settleLockup marks it on discovery. A lockup
// is a function of the rest of the state, so keying the store on the words before that
// check changes no count, order or trace; it spares the check on the four successors in
// five that are already stored. So the store (and a graph's table) holds a locked-up
// state with its outcome still OUTCOME_NONE: a lookup from outside puts its state in that
// form first (asStored); the callbacks and the results see the outcome set.
//
// With `symmetry: true` it searches one state per orbit under the permutations of
// interchangeable allocators (symmetry.ts): each successor is put in canonical form before
// the lookup. Outcomes and shortest lengths are those of the unreduced search; traces are
// rebuilt as real runs of the unreduced machine (traceTo maps each canonical step back to a
// concrete actor). The unreduced search does not change.

import { fingerprintOf, packInto, unpack } from './encode.js';
import { actorCount, actorId, advance, applyStep, canStep, currentStep, enabledStep, settleLockup, stepName } from './machine.js';
import { OUTCOME_LOCKUP, OUTCOME_NONE, PackedState } from './packed.js';
import { StateStore } from './state-store.js';
import { initialState } from './state.js';
import { symmetryOf, type Symmetry } from './symmetry.js';
import type { Action, ActorId, EndingOutcomeId, OutcomeId, Scenario } from './types.js';
import { OUTCOMES } from './types.js';

export type OutcomeReach =
  | { reachable: false }
  | { reachable: true; steps: number; trace: Action[]; fingerprint: string; detail?: string };

/** A distinct state where a run ends, with the length of (and, within the trace limit, one of) its shortest runs. */
export interface FinalState {
  fingerprint: string;
  outcome: EndingOutcomeId;
  needlessKill: boolean;
  steps: number;
  trace?: Action[];
}

export interface ExploreResult {
  variant: string;
  config: string;
  complete: boolean;
  states: number;
  transitions: number;
  /** Distinct states where a run ends. */
  finalStates: number;
  /** Length of the longest shortest path (the BFS depth). */
  depth: number;
  outcomes: Record<OutcomeId, OutcomeReach>;
  /** The most bytes the state store held at once (table, predecessors, actors, the queue's frontier). */
  storeBytes: number;
  /** Every final state, in discovery order, when `listFinals` was asked for. */
  finals?: FinalState[];
  /**
   * Present when the search was reduced by symmetry: the classes of interchangeable
   * allocators. Then states, transitions, finalStates and finals count orbits, and a final
   * state's fingerprint is its canonical form's (canonicalFingerprint).
   */
  symmetry?: ActorId[][];
}

export interface ExploreProgress {
  states: number;
  transitions: number;
  depth: number;
  expanded: number;
}

export interface ExploreOptions {
  /** Stop (and report complete: false) once this many states are stored. Default 50 million. */
  maxStates?: number;
  /**
   * States the store's table is sized for up front (default 4,096: it starts small and
   * doubles as it fills). A search whose size is known, as in a benchmark's later rounds,
   * skips the doublings this way; the result is the same.
   */
  expectedStates?: number;
  /** Called every `progressEvery` expanded states. */
  onProgress?: (p: ExploreProgress) => void;
  progressEvery?: number;
  /** List every final state in the result (`finals`), each with a shortest trace while there are at most `finalTraceLimit` (600). */
  listFinals?: boolean;
  finalTraceLimit?: number;
  /** Called once for every state, on discovery, with its index (for graph builders). */
  onState?: (i: number, s: PackedState) => void;
  /** Called once for every transition, with store indices (for graph builders). */
  onEdge?: (from: number, to: number, actor: number) => void;
  /** Called when the search ends, with the store (for graph builders). */
  onDone?: (store: StateStore) => void;
  /**
   * Search one state per orbit of interchangeable allocators (symmetry.ts); ignored when the
   * scenario has none. The callbacks above then see canonical states: the quotient graph.
   */
  symmetry?: boolean;
}

/** Puts a state in the form the explorer stores it in (a lockup not yet marked), for a lookup in its table. */
export function asStored(p: PackedState): void {
  if (p.outcome === OUTCOME_LOCKUP) p.outcome = OUTCOME_NONE;
}

/** States expanded together (see explore). */
const BATCH = 16;
const CODE_OUTCOME: (OutcomeId | null)[] = [null, 'success', 'lockup', 'oops', 'panic'];

export function explore(scenario: Scenario, opts: ExploreOptions = {}): ExploreResult {
  const maxStates = opts.maxStates ?? 50_000_000;
  const every = opts.progressEvery ?? 1 << 16;
  // A batch of states is expanded at once: their successors are computed side by side
  // first, then hashed (each hash reads the table where its state would go), then added in
  // order. The reads overlap their cache misses, and the order of discovery — hence every
  // index, predecessor and shortest trace — is exactly that of expanding one at a time.
  const n = actorCount(scenario);
  const s = new PackedState(scenario);
  const words = s.layout.words;
  const cur = s.w;
  const t = new PackedState(scenario, new Int32Array(BATCH * n * words));
  const next = t.w;
  const movers = new Uint8Array(BATCH * n);
  const hashes = new Int32Array(BATCH * n);
  /** Successors of the batch's k-th state: succEnd[k - 1] .. succEnd[k]. */
  const succEnd = new Int32Array(BATCH);
  const store = new StateStore(words, Math.min(opts.expectedStates ?? 4096, maxStates));
  const first: Partial<Record<OutcomeId, number>> = {};
  const sym = opts.symmetry ? symmetryOf(scenario) : null;

  packInto(initialState(scenario), s);
  sym?.canonicalise(s);
  store.add(cur, 0, store.hashOf(cur, 0), -1, 255);

  let transitions = 0;
  let finalStates = 0;
  let complete = true;
  let head = 0;
  const depthOf = new DepthTracker();

  const finals: FinalState[] = [];
  const finalAt: number[] = [];
  const note = (i: number, p: PackedState, depth: number) => {
    const o = CODE_OUTCOME[p.outcome];
    if (o) {
      finalStates += 1;
      if (first[o] === undefined) first[o] = i;
      if (opts.listFinals) {
        finals.push({ fingerprint: fingerprintOf(p), outcome: o as EndingOutcomeId, needlessKill: p.needlessKill, steps: depth });
        finalAt.push(i);
      }
    }
    if (first.needless_kill === undefined && p.needlessKill) first.needless_kill = i;
    opts.onState?.(i, p);
  };
  note(0, s, 0);

  search: while (head < store.size) {
    const start = head;
    const end = Math.min(store.size, start + BATCH);
    store.release(start);
    let m = 0;
    for (let e = start; e < end; e++) {
      store.load(e, cur);
      if (s.outcome === OUTCOME_NONE) {
        for (let a = 0; a < n; a++) {
          const st = enabledStep(s, a);
          if (st === null) continue;
          const at = m * words;
          for (let k = 0; k < words; k++) next[at + k] = cur[k]!;
          t.at = at;
          applyStep(t, a, null, st); // t is a copy of s: the same step
          if (sym !== null) sym.canonicalise(t);
          movers[m++] = a;
        }
      }
      succEnd[e - start] = m;
    }
    for (let j = 0; j < m; j++) hashes[j] = store.hashOf(next, j * words);
    store.prefetch(hashes, m);
    let j = 0;
    for (; head < end; head++) {
      depthOf.expand(head);
      for (const last = succEnd[head - start]!; j < last; j++) {
        const at = j * words;
        const a = movers[j]!;
        transitions += 1;
        if (store.size >= maxStates && store.find(next, at) < 0) {
          complete = false;
          break search;
        }
        const r = store.add(next, at, hashes[j]!, head, a);
        if (r >= 0) {
          depthOf.discovered(r);
          t.at = at;
          settleLockup(t, a);
          note(r, t, depthOf.depth + 1);
          opts.onEdge?.(head, r, a);
        } else {
          opts.onEdge?.(head, -r - 1, a);
        }
      }
      if (opts.onProgress && (head + 1) % every === 0) {
        opts.onProgress({ states: store.size, transitions, depth: depthOf.depth, expanded: head + 1 });
      }
    }
  }
  opts.onDone?.(store);

  const outcomes = {} as Record<OutcomeId, OutcomeReach>;
  for (const o of OUTCOMES) {
    const i = first[o];
    if (i === undefined) { outcomes[o] = { reachable: false }; continue; }
    const { trace, state } = traceTo(scenario, store, i, sym);
    const detail = o === 'needless_kill' ? undefined : unpack(state).outcome?.detail;
    outcomes[o] = { reachable: true, steps: trace.length, trace, fingerprint: fingerprintOf(state), ...(detail ? { detail } : {}) };
  }
  if (finals.length <= (opts.finalTraceLimit ?? 600)) finals.forEach((f, k) => { f.trace = traceTo(scenario, store, finalAt[k]!, sym).trace; });
  return {
    variant: scenario.variant,
    config: scenario.config.id,
    complete,
    states: store.size,
    transitions,
    finalStates,
    depth: depthOf.depth,
    outcomes,
    storeBytes: store.peakBytes,
    ...(opts.listFinals ? { finals } : {}),
    ...(sym ? { symmetry: sym.actors(scenario) } : {}),
  };
}

/**
 * Rebuilds the actions leading to state i by following predecessors, then replaying them.
 * Under symmetry the recorded actors move canonical states; the replay steps a concrete
 * state beside the canonical one and, at each step, takes the actor whose move from the
 * concrete state has the recorded canonical successor (the recorded actor itself when it
 * fits): one exists because the concrete state is in the canonical one's orbit.
 */
function traceTo(scenario: Scenario, store: StateStore, i: number, sym: Symmetry | null): { trace: Action[]; state: PackedState } {
  const actors: number[] = [];
  for (let k = i; k > 0; k = store.pred(k)) actors.push(store.actor(k));
  actors.reverse();
  const s = new PackedState(scenario);
  packInto(initialState(scenario), s);
  const canon = sym ? new PackedState(scenario) : null;
  const probe = sym ? new PackedState(scenario) : null;
  if (canon) { s.copyTo(canon.w, 0); sym!.canonicalise(canon); }
  const trace: Action[] = [];
  for (let a of actors) {
    if (canon && probe) {
      advance(canon, a, null);
      sym!.canonicalise(canon);
      a = concreteMover(s, a, canon, probe, sym!);
    }
    const st = currentStep(s, a)!;
    trace.push({ actor: actorId(scenario, a), step: stepName(s, a, st) });
    advance(s, a, null);
  }
  return { trace, state: s };
}

/** The actor whose step from s has canonical form `target`, trying `hint` first. */
function concreteMover(s: PackedState, hint: number, target: PackedState, probe: PackedState, sym: Symmetry): number {
  const n = actorCount(s.scenario);
  const words = s.layout.words;
  for (let k = 0; k < n; k++) {
    const b = k === 0 ? hint : k <= hint ? k - 1 : k;
    if (!canStep(s, b)) continue;
    s.copyTo(probe.w, 0);
    advance(probe, b, null);
    sym.canonicalise(probe);
    let w = 0;
    while (w < words && probe.w[w] === target.w[w]) w++;
    if (w === words) return b;
  }
  throw new Error('symmetry: no step of the concrete state reaches the canonical successor (the reduction would be unsound)');
}

/** BFS depth bookkeeping: the level of the state being expanded, without storing per-state depths. */
class DepthTracker {
  depth = 0;
  private levelEnd = 0; // last index of the current level
  private nextLevelEnd = 0;

  expand(i: number): void {
    if (i > this.levelEnd) {
      this.depth += 1;
      this.levelEnd = this.nextLevelEnd;
    }
  }

  discovered(i: number): void {
    this.nextLevelEnd = i;
  }
}
