// Helpers for the engine's tests: run a list of "actor:step" strings through step().

import { CONFIGS } from './configs.js';
import { initialState } from './state.js';
import { step } from './step.js';
import type { ConfigId, EngineEvent, Scenario, State, VariantId } from './types.js';

export function scenario(variant: VariantId, config: ConfigId): Scenario {
  return { variant, config: CONFIGS[config] };
}

/** Runs the steps; throws with the engine's message when one is rejected. */
export function play(sc: Scenario, steps: string[], from: State = initialState(sc)): { state: State; events: EngineEvent[] } {
  let s = from;
  const events: EngineEvent[] = [];
  for (const item of steps) {
    const [actor, ...rest] = item.split(':');
    const r = step(s, { actor, step: rest.join(':') });
    if (!r.ok) throw new Error(`${item}: ${r.error.code}: ${r.error.message}`);
    s = r.state;
    events.push(...r.events);
  }
  return { state: s, events };
}

/** The allocator's first two steps: fail, then kill the victim. */
export const KILL_VICTIM = ['allocator:A1', 'allocator:A2'];
