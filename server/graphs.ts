// The state graph of each scenario, built once with the engine's explorer and kept in a
// small LRU: the referee and the bots look states up in it by their encoding. Reference
// scenarios have a few thousand states (milliseconds to build); a custom scenario past
// the budget yields a partial graph and the referee says `known: false`.

import { buildGraph, OUTCOMES, refereeView, type OutcomeId, type Scenario, type State, type StateGraph } from '../engine/index.js';
import type { RefereeInfo } from '../protocol/events.js';

export const GRAPH_BUDGET = 300_000;

export function scenarioKey(s: Scenario): string {
  return JSON.stringify([s.variant, s.config]);
}

export class GraphCache {
  private readonly graphs = new Map<string, StateGraph>();
  builds = 0;

  constructor(private readonly capacity = 64, private readonly budget = GRAPH_BUDGET) {}

  get(scenario: Scenario): StateGraph {
    const key = scenarioKey(scenario);
    let g = this.graphs.get(key);
    if (g) {
      // refresh LRU position
      this.graphs.delete(key);
      this.graphs.set(key, g);
      return g;
    }
    g = buildGraph(scenario, this.budget);
    this.builds++;
    this.graphs.set(key, g);
    if (this.graphs.size > this.capacity) this.graphs.delete(this.graphs.keys().next().value!);
    return g;
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
