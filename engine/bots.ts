// Bots that play actors nobody claimed. Each turn a bot either steps its actor or waits;
// the state graph tells the smart ones what a step leads to.
//   lazy      steps only when nobody else can move
//   random    steps with probability 1/2 (seeded; the seed is returned for the caller to keep)
//   adversary steps when its step lies on a shortest path to the target outcome
//   guardian  steps when its step lies on a shortest path to a success that avoids the
//             bad outcomes
// When no human-controlled actor can move, some bot must step, or the run would stall.

import { successor, type StateGraph } from './graph.js';
import { actorIndex } from './machine.js';
import { nextRandom } from './prng.js';
import { enabledActions } from './step.js';
import type { Action, ActorChoice, OutcomeId, State } from './types.js';

export const BOT_KINDS = ['lazy', 'random', 'adversary', 'guardian'] as const;
export type BotKind = (typeof BOT_KINDS)[number];

export interface BotGoals {
  /** The outcome an adversary drives toward. */
  target: OutcomeId;
  /** The outcomes a guardian keeps away from. */
  avoid: OutcomeId[];
}

export interface BotTurn {
  action: Action | null;
  seed: number;
}

const INF = Number.MAX_SAFE_INTEGER;

function distanceAfter(g: StateGraph, s: State, c: ActorChoice, outcomes: OutcomeId[]): { before: number; after: number } {
  const i = g.indexOf(s);
  if (i < 0) return { before: INF, after: INF };
  const j = successor(g, i, actorIndex(s.scenario, c.actor));
  const nearest = (k: number) => {
    let best = INF;
    for (const o of outcomes) {
      const d = k < 0 ? -1 : g.distance[o][k]!;
      if (d >= 0 && d < best) best = d;
    }
    return best;
  };
  return { before: nearest(i), after: nearest(j) };
}

function safeAfter(g: StateGraph, s: State, c: ActorChoice, avoid: OutcomeId[]): { before: number; after: number } {
  const i = g.indexOf(s);
  if (i < 0) return { before: INF, after: INF };
  const j = successor(g, i, actorIndex(s.scenario, c.actor));
  const d = g.safeDistance(avoid);
  const at = (k: number) => (k < 0 || d[k]! < 0 ? INF : d[k]!);
  return { before: at(i), after: at(j) };
}

/**
 * One bot decision, with the random draws supplied by the caller: `draw()` returns a value in
 * [0, 1) each time a random bot rolls. nextBotMove feeds it from the seeded PRNG;
 * botMoveChoices feeds it every representative sequence to list all possible decisions.
 */
export function decideBotMove(g: StateGraph, s: State, bots: Readonly<Partial<Record<string, BotKind>>>, goals: BotGoals, draw: () => number): Action | null {
  const choices = enabledActions(s).filter((c) => c.enabled);
  const mine = choices.filter((c) => bots[c.actor] !== undefined);
  if (mine.length === 0) return null;
  const humansCanMove = choices.some((c) => bots[c.actor] === undefined);
  const act = (c: ActorChoice): Action => ({ actor: c.actor, step: c.step });

  const scored: { c: ActorChoice; score: number }[] = [];
  for (const c of mine) {
    const kind = bots[c.actor]!;
    switch (kind) {
      case 'lazy':
        scored.push({ c, score: 0 });
        break;
      case 'random': {
        const value = draw();
        if (value < 0.5 && humansCanMove) return act(c);
        scored.push({ c, score: value });
        break;
      }
      case 'adversary': {
        const { before, after } = distanceAfter(g, s, c, [goals.target]);
        if (after !== INF && after < before && humansCanMove) return act(c);
        scored.push({ c, score: after === INF ? -INF : -after });
        break;
      }
      case 'guardian': {
        const { before, after } = safeAfter(g, s, c, goals.avoid);
        if (after !== INF && after < before && humansCanMove) return act(c);
        scored.push({ c, score: after === INF ? -INF : -after });
        break;
      }
    }
  }
  if (humansCanMove) return null;
  // Nobody else can move: the best-scoring bot must step.
  let best = scored[0]!;
  for (const x of scored) if (x.score > best.score) best = x;
  return act(best.c);
}

/** The next move any bot wants to make now, or null when every bot waits. */
export function nextBotMove(g: StateGraph, s: State, bots: Readonly<Partial<Record<string, BotKind>>>, goals: BotGoals, seed: number): BotTurn {
  let rng = seed;
  const action = decideBotMove(g, s, bots, goals, () => {
    const r = nextRandom(rng);
    rng = r.seed;
    return r.value;
  });
  return { action, seed: rng };
}

export interface BotChoices {
  /** Every move the bots may make here, one per actor, whatever the random bots roll. */
  actions: Action[];
  /** Whether some roll makes every bot wait. */
  mayWait: boolean;
}

/**
 * Every decision decideBotMove can make in this state, over all random rolls. A random bot's
 * roll matters only through "below 1/2?" and through its order among the other scores, so
 * k = max(2, number of random bots) distinct values (one below 1/2, one above) stand for
 * every roll: each random draw branches over them.
 */
export function botMoveChoices(g: StateGraph, s: State, bots: Readonly<Partial<Record<string, BotKind>>>, goals: BotGoals): BotChoices {
  const randoms = enabledActions(s).filter((c) => c.enabled && bots[c.actor] === 'random').length;
  const k = Math.max(2, randoms);
  const values = Array.from({ length: k }, (_, i) => (i + 0.5) / k);
  const actions: Action[] = [];
  let mayWait = false;
  // Odometer over draw sequences: `picks[d]` is the value index of the d-th draw.
  const picks: number[] = [];
  for (;;) {
    let d = 0;
    const action = decideBotMove(g, s, bots, goals, () => {
      if (d === picks.length) picks.push(0);
      return values[picks[d++]!]!;
    });
    picks.length = d;
    if (action === null) mayWait = true;
    else if (!actions.some((a) => a.actor === action.actor)) actions.push(action);
    // next sequence: bump the last draw that has values left, drop the ones after it
    let i = picks.length - 1;
    while (i >= 0 && picks[i] === k - 1) i--;
    if (i < 0) break;
    picks[i]! += 1;
    picks.length = i + 1;
  }
  return { actions, mayWait };
}
