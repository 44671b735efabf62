// The state graph of each scenario, for the referee and the bots, which look states up in
// it by their encoding. Reference scenarios have a few thousand states (milliseconds to
// build); a custom scenario may have hundreds of thousands (tens of ms, megabytes), and a
// scenario past the state budget yields a partial graph (the referee says `known: false`).
//
// New scenarios are built off the event loop (`prepare`, in a worker: ./graph-builder.ts)
// before a room opens on them. The cache is bounded by the bytes its graphs hold, not by
// their number: least recently used graphs go first, but a graph used within `hotMs` is
// never dropped to make room — when hot graphs fill the budget, or builds are already
// queued, `prepare` answers `busy` and the caller says "try again". `get` stays synchronous
// for rooms whose graph is cached; a room loaded from the store whose graph was dropped
// builds it inline (rare: such rooms were idle past hotMs).

import { buildGraph, graphFromParts, OUTCOMES, refereeView, type OutcomeId, type Scenario, type State, type StateGraph } from '../engine/index.js';
import type { RefereeInfo } from '../protocol/events.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { inlineGraphBuilder, type GraphBuilder } from './graph-builder.js';

export const GRAPH_BUDGET = 300_000;

export function scenarioKey(s: Scenario): string {
  let key = keys.get(s);
  if (key === undefined) keys.set(s, (key = JSON.stringify([s.variant, s.config])));
  return key;
}
// A room asks for its scenario's graph on every step: the key of a scenario object is made once.
// Nothing changes a scenario once it is made (engine/scenario.ts), so a cached key stays true.
const keys = new WeakMap<Scenario, string>();

export interface GraphCacheOptions {
  clock?: Clock;
  /** Bytes all cached graphs may hold together (default 256 MiB). */
  budgetBytes?: number;
  /** States per graph before it is cut short (default GRAPH_BUDGET). */
  maxStates?: number;
  /** Builds queued or running at once before `prepare` answers busy (default 2). */
  maxPending?: number;
  /** A graph used this recently is not dropped to make room (ms, default 10 min). */
  hotMs?: number;
  /** Where prepare() builds (default: on this thread; the app passes the worker). */
  builder?: GraphBuilder;
}

export type Prepared = { ok: true } | { ok: false; reason: 'queue' | 'memory' };

interface Entry {
  graph: StateGraph;
  usedAt: number;
}

export class GraphCache {
  private readonly graphs = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Prepared>>();
  private readonly clock: Clock;
  private readonly budgetBytes: number;
  private readonly maxStates: number;
  private readonly maxPending: number;
  private readonly hotMs: number;
  private readonly builder: GraphBuilder;
  /** Counters for tests, benchmarks and /metrics. */
  readonly stats = { builds: 0, inlineBuilds: 0, evicted: 0, busy: 0 };

  constructor(o: GraphCacheOptions = {}) {
    this.clock = o.clock ?? systemClock;
    this.budgetBytes = o.budgetBytes ?? 256 * 1024 * 1024;
    this.maxStates = o.maxStates ?? GRAPH_BUDGET;
    this.maxPending = o.maxPending ?? 2;
    this.hotMs = o.hotMs ?? 10 * 60_000;
    this.builder = o.builder ?? inlineGraphBuilder;
  }

  /** Bytes the cached graphs hold now. */
  get bytes(): number {
    let b = 0;
    for (const e of this.graphs.values()) b += e.graph.bytes;
    return b;
  }

  get size(): number {
    return this.graphs.size;
  }

  has(scenario: Scenario): boolean {
    return this.graphs.has(scenarioKey(scenario));
  }

  /** The scenario's graph: cached (most rooms), else built here and now. */
  get(scenario: Scenario): StateGraph {
    const key = scenarioKey(scenario);
    const hit = this.touch(key);
    if (hit) return hit;
    const g = buildGraph(scenario, this.maxStates);
    this.stats.builds++;
    this.stats.inlineBuilds++;
    this.graphs.set(key, { graph: g, usedAt: this.clock.now() });
    this.shrink(key);
    return g;
  }

  /**
   * Makes sure the scenario's graph is cached, building it off the event loop: ok, or busy
   * (builds already queued, or the graphs in use fill the memory budget) — nothing changed.
   */
  prepare(scenario: Scenario): Promise<Prepared> {
    const key = scenarioKey(scenario);
    if (this.touch(key)) return Promise.resolve({ ok: true });
    const running = this.pending.get(key);
    if (running) return running;
    if (this.pending.size >= this.maxPending) return Promise.resolve(this.refuse('queue'));
    if (this.hotBytes() >= this.budgetBytes) return Promise.resolve(this.refuse('memory'));
    const p = this.builder.build(scenario, this.maxStates).then((parts): Prepared => {
      this.stats.builds++;
      this.graphs.set(key, { graph: graphFromParts(parts), usedAt: this.clock.now() });
      this.shrink(key);
      return this.graphs.has(key) ? { ok: true } : this.refuse('memory');
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  stop(): Promise<void> {
    return this.builder.stop();
  }

  private touch(key: string): StateGraph | null {
    const e = this.graphs.get(key);
    if (!e) return null;
    // Map order is the LRU order: move to the end.
    this.graphs.delete(key);
    e.usedAt = this.clock.now();
    this.graphs.set(key, e);
    return e.graph;
  }

  private hotBytes(): number {
    const since = this.clock.now() - this.hotMs;
    let b = 0;
    for (const e of this.graphs.values()) if (e.usedAt >= since) b += e.graph.bytes;
    return b;
  }

  /** Drops least recently used graphs that are not hot until the budget holds; `fresh` goes last. */
  private shrink(fresh: string): void {
    let bytes = this.bytes;
    if (bytes <= this.budgetBytes) return;
    const since = this.clock.now() - this.hotMs;
    for (const [key, e] of this.graphs) {
      if (bytes <= this.budgetBytes) return;
      if (key === fresh || e.usedAt >= since) continue;
      this.graphs.delete(key);
      this.stats.evicted++;
      bytes -= e.graph.bytes;
    }
    // Only hot graphs are left: a graph built for prepare() does not fit and is let go again.
    // (One built by get() stays: a room that is live needs it.)
    if (bytes > this.budgetBytes && this.pending.has(fresh)) {
      this.graphs.delete(fresh);
      this.stats.evicted++;
    }
  }

  private refuse(reason: 'queue' | 'memory'): Prepared {
    this.stats.busy++;
    return { ok: false, reason };
  }
}

/** The referee's report for a state: what is still reachable, and the nearest outcome not yet shown. */
export function referee(g: StateGraph, s: State): RefereeInfo {
  const v = refereeView(g, s);
  let nearest: RefereeInfo['nearest'] = null;
  for (const o of OUTCOMES) {
    const d = v.reachable[o];
    if (d !== null && d > 0 && (nearest === null || d < nearest.steps)) nearest = { outcome: o, steps: d };
  }
  return { known: v.known, reachable: v.reachable, nearest };
}

/** Outcomes reachable from the initial state of the graph's scenario. */
export function reachableOutcomes(g: StateGraph): OutcomeId[] {
  return OUTCOMES.filter((o) => g.result.outcomes[o].reachable);
}
