// The reducer: enabledActions(state) lists every actor's next step (with the reason when
// it is blocked); step(state, action) checks the action and returns the next state and
// what happened, or a typed rejection that leaves the state untouched.

import { pack, unpack } from './encode.js';
import type { PackedState } from './packed.js';
import { actorCount, actorId, actorIndex, actorRole, advance, blockedReason, currentStep, stepName } from './machine.js';
import type { Action, ActorChoice, EngineEvent, Rejection, State, StepResult } from './types.js';

export function actorIds(s: State): string[] {
  return Array.from({ length: actorCount(s.scenario) }, (_, a) => actorId(s.scenario, a));
}

/** Every actor that still has a step, enabled or blocked. Actors with no step left are listed as blocked with the reason. */
export function enabledActions(s: State): ActorChoice[] {
  const out: ActorChoice[] = [];
  const p = pack(s);
  const n = actorCount(s.scenario);
  for (let a = 0; a < n; a++) {
    const st = currentStep(p, a);
    const reason = blockedReason(p, a);
    out.push({
      actor: actorId(s.scenario, a),
      role: actorRole(a),
      step: st ? stepName(p, a, st) : '',
      label: st ? st.label : '',
      enabled: reason === null,
      ...(reason === null ? {} : { reason }),
      lines: st ? st.lines : [],
    });
  }
  return out;
}


/** Validates an untrusted action against the state (shape, actor, step name, enabled). */
export function checkAction(s: State, action: unknown): Rejection | { actor: number } {
  return checkPacked(s, action);
}

/** checkAction, also returning the packed state its checks read (step() advances that one). */
function checkPacked(s: State, action: unknown): Rejection | { actor: number; packed: PackedState } {
  if (typeof action !== 'object' || action === null || Array.isArray(action)) {
    return { code: 'malformed', message: 'an action is an object {actor, step}' };
  }
  const { actor, step } = action as Record<string, unknown>;
  if (typeof actor !== 'string' || typeof step !== 'string') {
    return { code: 'malformed', message: 'an action needs a string actor and a string step' };
  }
  const a = actorIndex(s.scenario, actor);
  if (a < 0) return { code: 'unknown_actor', message: `unknown actor "${actor.slice(0, 40)}": this scenario has ${actorIds(s).join(', ')}` };
  if (s.outcome) return { code: 'run_over', message: `the run has ended (${s.outcome.id}); restart to play again` };
  const p = pack(s);
  const st = currentStep(p, a);
  const name = st ? stepName(p, a, st) : '';
  if (name !== step) {
    return { code: 'wrong_step', message: st ? `${actor}'s next step is ${name}, not ${step.slice(0, 40)}` : `${actor} has no step: ${blockedReason(p, a)}` };
  }
  const reason = blockedReason(p, a);
  if (reason !== null) return { code: 'not_enabled', message: `${actor} is blocked: ${reason}` };
  return { actor: a, packed: p };
}

export function step(s: State, action: unknown): StepResult {
  const checked = checkPacked(s, action);
  if ('code' in checked) return { ok: false, error: checked };
  const p = checked.packed; // the checks read it and change nothing: the step starts from it
  const a = checked.actor;
  const id = actorId(s.scenario, a);
  const name = (action as Action).step;
  const events: EngineEvent[] = [];
  const wasNeedless = s.needlessKill;
  advance(p, a, (text) => events.push({ type: 'log', actor: id, step: name, text }));
  const next = unpack(p);
  if (next.needlessKill && !wasNeedless) events.push({ type: 'outcome', outcome: 'needless_kill' });
  if (next.outcome) events.push({ type: 'outcome', outcome: next.outcome.id, ...(next.outcome.detail ? { detail: next.outcome.detail } : {}) });
  return { ok: true, state: next, events };
}

/** The enabled actions as plain {actor, step} intents. */
export function legalActions(s: State): Action[] {
  return enabledActions(s).filter((c) => c.enabled).map((c) => ({ actor: c.actor, step: c.step }));
}

