// The full state graph of a scenario, for the referee and the bots: every reachable state,
// its successors, and for each outcome the number of steps from each state to the nearest
// state showing it (a reverse breadth-first search). States are looked up by their encoding.
// buildGraphParts gives the same graph as plain data, so that a worker thread can build it
// and hand it over (graphFromParts).

import { encodedWidth, packInto } from './encode.js';
import { asStored, explore, type ExploreResult } from './explorer.js';
import { PackedState } from './packed.js';
import { findInTable, type StateStore, type StateTable } from './state-store.js';
import type { OutcomeId, Scenario, State } from './types.js';
import { OUTCOMES } from './types.js';

export interface StateGraph {
  scenario: Scenario;
  result: ExploreResult;
  size: number;
  /** CSR successor lists: edges of state i are offsets[i] .. offsets[i+1]. */
  offsets: Int32Array;
  targets: Int32Array;
  actors: Uint8Array;
  /** Steps from each state to the nearest state with the outcome; -1 when unreachable. */
  distance: Record<OutcomeId, Int32Array>;
  /** Bytes of the typed arrays the graph holds (memoised safe distances included). */
  readonly bytes: number;
  /** Index of a state in the graph, or -1 when it is not a reachable state of this scenario. */
  indexOf(s: State): number;
  /**
   * Steps from each state to a success that passes through no state showing one of the
   * `avoid` outcomes (-1: none). Memoised per avoid set; what a guardian steers by.
   */
  safeDistance(avoid: readonly OutcomeId[]): Int32Array;
}

/**
 * A graph as plain data (typed arrays and JSON-like records), no closures: what a worker
 * thread builds and hands over (the arrays' buffers can be transferred, not copied).
 */
export interface GraphParts {
  scenario: Scenario;
  result: ExploreResult;
  offsets: Int32Array;
  targets: Int32Array;
  actors: Uint8Array;
  /** Reverse adjacency, for the backward searches. */
  rOffsets: Int32Array;
  rSources: Int32Array;
  /** Each state's outcome code, | 128 when it shows a needless kill. */
  shown: Uint8Array;
  distance: Record<OutcomeId, Int32Array>;
  /** The explorer's lookup table (states by their packed words). */
  table: StateTable;
}

const CODE: (OutcomeId | null)[] = [null, 'success', 'lockup', 'oops', 'panic'];

export function buildGraph(scenario: Scenario, maxStates = 2_000_000): StateGraph {
  return graphFromParts(buildGraphParts(scenario, maxStates));
}

export function buildGraphParts(scenario: Scenario, maxStates = 2_000_000): GraphParts {
  const from: number[] = [];
  const to: number[] = [];
  const act: number[] = [];
  let store: StateStore | null = null;
  const codes: number[] = [];
  const result = explore(scenario, {
    maxStates,
    onState: (i, p) => { codes[i] = p.outcome | (p.needlessKill ? 128 : 0); },
    onEdge: (f, t, a) => { from.push(f); to.push(t); act.push(a); },
    onDone: (st) => { store = st; },
  });
  const st = store as unknown as StateStore;
  const n = st.size;
  const m = from.length;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) offsets[from[e]! + 1]! += 1;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(m);
  const actors = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const k = fill[from[e]!]!++;
    targets[k] = to[e]!;
    actors[k] = act[e]!;
  }
  const rOffsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) rOffsets[to[e]! + 1]! += 1;
  for (let i = 0; i < n; i++) rOffsets[i + 1]! += rOffsets[i]!;
  const rFill = rOffsets.slice(0, n);
  const rSources = new Int32Array(m);
  for (let e = 0; e < m; e++) rSources[rFill[to[e]!]!++] = from[e]!;
  const shown = Uint8Array.from(codes);
  const parts: GraphParts = { scenario, result, offsets, targets, actors, rOffsets, rSources, shown, distance: {} as Record<OutcomeId, Int32Array>, table: st.table() };
  for (const o of OUTCOMES) parts.distance[o] = backward(parts, (i) => shows(shown, i, o), () => false);
  return parts;
}

const shows = (shown: Uint8Array, i: number, o: OutcomeId): boolean => {
  const b = shown[i]!;
  return o === 'needless_kill' ? (b & 128) !== 0 : CODE[b & 127] === o;
};

/** Reverse BFS from the goal states, never entering a blocked state. */
function backward(p: GraphParts, goal: (i: number) => boolean, blocked: (i: number) => boolean): Int32Array {
  const n = p.shown.length;
  const { rOffsets, rSources } = p;
  const d = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (goal(i) && !blocked(i)) { d[i] = 0; queue[tail++] = i; }
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    for (let e = rOffsets[i]!; e < rOffsets[i + 1]!; e++) {
      const q = rSources[e]!;
      if (d[q] === -1 && !blocked(q)) { d[q] = d[i]! + 1; queue[tail++] = q; }
    }
  }
  return d;
}

/** Every typed array of the parts (to transfer their buffers to another thread). */
export function graphArrays(p: GraphParts): ArrayBufferView[] {
  return [p.offsets, p.targets, p.actors, p.rOffsets, p.rSources, p.shown, ...Object.values(p.distance), ...p.table.segments];
}

/** The graph the parts describe (built here or handed over by a worker). */
export function graphFromParts(p: GraphParts): StateGraph {
  const { scenario, shown } = p;
  const safe = new Map<string, Int32Array>();
  const width = encodedWidth(scenario);
  const base = graphArrays(p).reduce((sum, a) => sum + a.byteLength, 0);
  return {
    scenario,
    result: p.result,
    size: shown.length,
    offsets: p.offsets,
    targets: p.targets,
    actors: p.actors,
    distance: p.distance,
    get bytes() {
      let b = base;
      for (const d of safe.values()) b += d.byteLength;
      return b;
    },
    indexOf(s: State): number {
      if (s.scenario.variant !== scenario.variant || encodedWidth(s.scenario) !== width) return -1;
      const packed = new PackedState(scenario);
      try {
        packInto(s, packed);
      } catch (e) {
        if (e instanceof RangeError) return -1; // a value this scenario never reaches
        throw e;
      }
      asStored(packed);
      return findInTable(p.table, packed.w);
    },
    safeDistance(avoid: readonly OutcomeId[]): Int32Array {
      const key = [...avoid].sort().join(',');
      let d = safe.get(key);
      if (!d) {
        d = backward(p, (i) => shows(shown, i, 'success'), (i) => avoid.some((o) => shows(shown, i, o)));
        safe.set(key, d);
      }
      return d;
    },
  };
}

export interface RefereeView {
  /** For each outcome: steps to the nearest state showing it, or null when no interleaving reaches it from here. */
  reachable: Record<OutcomeId, number | null>;
  /** False when the state is not in the graph (the graph was cut short by its budget). */
  known: boolean;
}

/** What is still possible from this state. */
export function refereeView(g: StateGraph, s: State): RefereeView {
  const i = g.indexOf(s);
  const reachable = {} as Record<OutcomeId, number | null>;
  for (const o of OUTCOMES) {
    const d = i < 0 ? -1 : g.distance[o][i]!;
    reachable[o] = d < 0 ? null : d;
  }
  return { reachable, known: i >= 0 };
}

/** The successor index reached when actor a steps from state i, or -1. */
export function successor(g: StateGraph, i: number, a: number): number {
  for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) if (g.actors[e] === a) return g.targets[e]!;
  return -1;
}
