// Replay: re-run a recorded list of actions through step(). The server uses it to rebuild
// a room from its stored actions (and for undo / jump-to-step); the notebook uses it to
// show a trace step by step. A trace that no longer fits the scenario is reported with the
// first illegal action, never silently cut.

import { initialState } from './state.js';
import { step } from './step.js';
import type { Action, EngineEvent, Outcome, Rejection, Scenario, State } from './types.js';

export interface ReplayFrame {
  action: Action;
  state: State;
  events: EngineEvent[];
}

export type ReplayResult =
  | { ok: true; final: State; outcome: Outcome | null; needlessKill: boolean; frames: ReplayFrame[] }
  | { ok: false; index: number; action: unknown; error: Rejection; frames: ReplayFrame[] };

export function replay(scenario: Scenario, actions: readonly unknown[]): ReplayResult {
  let s = initialState(scenario);
  const frames: ReplayFrame[] = [];
  for (let i = 0; i < actions.length; i++) {
    const r = step(s, actions[i]);
    if (!r.ok) return { ok: false, index: i, action: actions[i], error: r.error, frames };
    s = r.state;
    frames.push({ action: actions[i] as Action, state: s, events: r.events });
  }
  return { ok: true, final: s, outcome: s.outcome, needlessKill: s.needlessKill, frames };
}

/** The state after the first n actions of a trace known to be legal (undo, jump-to-step). */
export function stateAt(scenario: Scenario, actions: readonly Action[], n: number): State {
  const r = replay(scenario, actions.slice(0, n));
  if (!r.ok) throw new Error(`stateAt: action ${r.index} is illegal: ${r.error.message}`);
  return r.final;
}
