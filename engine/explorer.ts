// The exhaustive explorer: breadth-first search over every interleaving of a scenario.
// States are deduplicated by their canonical encoding; a state's predecessor is recorded
// only when it is first discovered, so following predecessors from the first state that
// shows an outcome gives a shortest trace to it. Terminal states (success, oops, panic,
// lockup) are not expanded. An explicit budget bounds the search; a search cut short
// says so (`complete: false`) instead of pretending.

import { decodeInto, encodedWidth, encodeInto, fingerprint } from './encode.js';
import { actorCount, actorId, advance, currentStep, isEnabled, stepName } from './machine.js';
import { StateStore } from './state-store.js';
import { initialState, cloneState, copyInto } from './state.js';
import type { Action, OutcomeId, Scenario, State } from './types.js';
import { OUTCOMES } from './types.js';

export type OutcomeReach =
  | { reachable: false }
  | { reachable: true; steps: number; trace: Action[]; fingerprint: string; detail?: string };

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
  /** Bytes held by the state store at the end. */
  storeBytes: number;
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
  /** Called every `progressEvery` expanded states. */
  onProgress?: (p: ExploreProgress) => void;
  progressEvery?: number;
  /** Called once for every transition, with store indices (for graph builders). */
  onEdge?: (from: number, to: number, actor: number) => void;
  /** Called when the search ends, with the store (for graph builders). */
  onDone?: (store: StateStore) => void;
}

const OUTCOME_BYTE = 5;
const CODE_OUTCOME: (OutcomeId | null)[] = [null, 'success', 'lockup', 'oops', 'panic'];

export function explore(scenario: Scenario, opts: ExploreOptions = {}): ExploreResult {
  const maxStates = opts.maxStates ?? 50_000_000;
  const every = opts.progressEvery ?? 1 << 16;
  const width = encodedWidth(scenario);
  const store = new StateStore(width);
  const scratchWords = new Uint32Array(width / 4);
  const scratch = new Uint8Array(scratchWords.buffer);
  const first: Partial<Record<OutcomeId, number>> = {};

  const init = initialState(scenario);
  encodeInto(init, scratch, 0);
  store.add(scratchWords, -1, 255);

  let transitions = 0;
  let finalStates = 0;
  let complete = true;
  let head = 0;
  const depthOf = new DepthTracker();
  const n = actorCount(init);

  const note = (i: number, bytes: Uint8Array, at: number) => {
    const b = bytes[at + OUTCOME_BYTE]!;
    const o = CODE_OUTCOME[b & 127];
    if (o) {
      finalStates += 1;
      if (first[o] === undefined) first[o] = i;
    }
    if (b & 128 && first.needless_kill === undefined) first.needless_kill = i;
  };
  note(0, scratch, 0);

  // Two scratch states, overwritten from the stored bytes: the loop allocates nothing per state.
  const s = initialState(scenario);
  const t = initialState(scenario);
  search: while (head < store.size) {
    const chunk = store.chunkOf(head);
    const off = store.offsetOf(head);
    decodeInto(s, chunk, off);
    depthOf.expand(head);
    if (!s.outcome) {
      for (let a = 0; a < n; a++) {
        if (!isEnabled(s, a)) continue;
        copyInto(t, s);
        advance(t, a, null);
        encodeInto(t, scratch, 0);
        transitions += 1;
        if (store.size >= maxStates && store.find(scratchWords) < 0) {
          complete = false;
          break search;
        }
        const r = store.add(scratchWords, head, a);
        if (r >= 0) {
          depthOf.discovered(r);
          note(r, scratch, 0);
          opts.onEdge?.(head, r, a);
        } else {
          opts.onEdge?.(head, -r - 1, a);
        }
      }
    }
    head += 1;
    if (opts.onProgress && head % every === 0) {
      opts.onProgress({ states: store.size, transitions, depth: depthOf.depth, expanded: head });
    }
  }
  opts.onDone?.(store);

  const outcomes = {} as Record<OutcomeId, OutcomeReach>;
  for (const o of OUTCOMES) {
    const i = first[o];
    if (i === undefined) { outcomes[o] = { reachable: false }; continue; }
    const { trace, state } = traceTo(scenario, store, i);
    const detail = o === 'needless_kill' ? undefined : state.outcome?.detail;
    outcomes[o] = { reachable: true, steps: trace.length, trace, fingerprint: fingerprint(state), ...(detail ? { detail } : {}) };
  }
  return {
    variant: scenario.variant,
    config: scenario.config.id,
    complete,
    states: store.size,
    transitions,
    finalStates,
    depth: depthOf.depth,
    outcomes,
    storeBytes: store.bytes,
  };
}

/** Rebuilds the actions leading to state i by following predecessors, then replaying them. */
export function traceTo(scenario: Scenario, store: StateStore, i: number): { trace: Action[]; state: State } {
  const actors: number[] = [];
  for (let k = i; k > 0; k = store.pred(k)) actors.push(store.actor(k));
  actors.reverse();
  let s = initialState(scenario);
  const trace: Action[] = [];
  for (const a of actors) {
    const st = currentStep(s, a)!;
    trace.push({ actor: actorId(s, a), step: stepName(s, a, st) });
    s = cloneState(s);
    advance(s, a, null);
  }
  return { trace, state: s };
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
