// The game a solo learner actually plays when they hold one seat and bots hold the others:
// the learner may press any enabled step of their own actors at any time, and every other
// actor moves only as its bot decides (decideBotMove, the function the server's bots run),
// with each possible random roll as a branch. A breadth-first search over this product
// answers "can the learner win here, and how fast?", optionally requiring the winning run
// to pass through given steps (the ones a lesson's hints name).

import { botMoveChoices, type BotGoals, type BotKind } from './bots.js';
import type { StateGraph } from './graph.js';
import { initialState } from './state.js';
import { enabledActions, step } from './step.js';
import type { Action, ActorRole, OutcomeId, State } from './types.js';

/** A step a run must pass through: an actor role and a step name, optionally on one VMA. */
export interface StepRef {
  role: ActorRole;
  /** The step's name as traces spell it, without the `:<vma>` suffix. */
  step: string;
  /** Only this VMA's instance of a per-VMA step (otherwise any). */
  vma?: number;
}

export interface SoloGoal {
  /** The outcome the learner must bring about. */
  reach: OutcomeId;
  /** Outcomes the run must never show on its way. */
  avoid: readonly OutcomeId[];
}

export interface SoloGameOptions {
  /** The bot of every seat the learner does not hold. A role with no bot is the learner's. */
  bots: Readonly<Partial<Record<ActorRole, BotKind>>>;
  /** What the bots play for (adversaries toward `target`, guardians away from `avoid`). */
  botGoals: BotGoals;
  goal: SoloGoal;
  /** Steps the winning run must pass through (all of them, in any order). */
  through?: readonly StepRef[];
  /** Stop after this many (state, steps-seen) nodes. Default 2 million. */
  maxNodes?: number;
}

export interface SoloRun {
  steps: number;
  trace: Action[];
}

export interface SoloGameResult {
  /** Every node of the product was expanded (false: the budget ran out first). */
  complete: boolean;
  /** Distinct engine states the solo game can visit. */
  states: number;
  /** A shortest winning run, or null when the learner cannot win. */
  shortest: SoloRun | null;
  /** A shortest winning run through every `through` step, or null when there is none. */
  shortestThrough: SoloRun | null;
}

const roleOf = (actor: string): ActorRole => (actor === 'victim' ? 'victim' : actor === 'reaper' ? 'reaper' : 'allocator');

/** Whether an action is an instance of the step ref. */
export function matchesStep(a: Action, ref: StepRef): boolean {
  if (roleOf(a.actor) !== ref.role) return false;
  const m = /^(.*?)(?::(\d+))?$/.exec(a.step)!;
  if (m[1] !== ref.step) return false;
  return ref.vma === undefined || Number(m[2]) === ref.vma;
}

const shows = (s: State, o: OutcomeId): boolean => (o === 'needless_kill' ? s.needlessKill : s.outcome?.id === o);

/** The moves of the solo game from a state: the learner's enabled steps and every move a bot may make. */
export function soloMoves(g: StateGraph, s: State, bots: Readonly<Partial<Record<ActorRole, BotKind>>>, botGoals: BotGoals): Action[] {
  if (s.outcome) return [];
  const byActor: Partial<Record<string, BotKind>> = {};
  const moves: Action[] = [];
  for (const c of enabledActions(s)) {
    const kind = bots[c.role];
    if (kind) byActor[c.actor] = kind;
    else if (c.enabled) moves.push({ actor: c.actor, step: c.step });
  }
  for (const a of botMoveChoices(g, s, byActor, botGoals).actions) if (!moves.some((m) => m.actor === a.actor)) moves.push(a);
  return moves;
}

/** Explores the solo game of the graph's scenario from its initial state. */
export function exploreSoloGame(g: StateGraph, opts: SoloGameOptions): SoloGameResult {
  const through = opts.through ?? [];
  if (through.length > 16) throw new Error('exploreSoloGame: at most 16 required steps');
  const full = (1 << through.length) - 1;
  const maxNodes = opts.maxNodes ?? 2_000_000;
  const { goal } = opts;

  interface Node { state: State; mask: number; parent: number; action: Action | null; depth: number }
  const nodes: Node[] = [];
  // Every state of the solo game is a reachable state of the scenario, so the graph's index names it.
  const seen = new Set<number>();
  const statesSeen = new Set<number>();
  const add = (state: State, mask: number, parent: number, action: Action | null, depth: number): void => {
    const i = g.indexOf(state);
    if (i < 0) throw new Error('solo game: a state is missing from the state graph (was the graph cut short by its budget?)');
    const key = i * (full + 1) + mask;
    if (seen.has(key)) return;
    seen.add(key);
    statesSeen.add(i);
    nodes.push({ state, mask, parent, action, depth });
  };
  const runTo = (i: number): SoloRun => {
    const trace: Action[] = [];
    for (let k = i; nodes[k]!.action; k = nodes[k]!.parent) trace.push(nodes[k]!.action!);
    trace.reverse();
    return { steps: trace.length, trace };
  };

  add(initialState(g.scenario), 0, -1, null, 0);
  let shortest: SoloRun | null = null;
  let shortestThrough: SoloRun | null = null;
  let complete = true;
  for (let head = 0; head < nodes.length; head++) {
    const n = nodes[head]!;
    if (goal.avoid.some((o) => shows(n.state, o))) continue;
    if (shows(n.state, goal.reach)) {
      shortest ??= runTo(head);
      if (n.mask === full) {
        shortestThrough = runTo(head);
        break;
      }
      continue; // the run is won here, whatever comes after
    }
    if (nodes.length >= maxNodes) {
      complete = false;
      break;
    }
    for (const a of soloMoves(g, n.state, opts.bots, opts.botGoals)) {
      const r = step(n.state, a);
      if (!r.ok) throw new Error(`solo game: the engine rejected its own move ${a.actor}:${a.step}: ${r.error.message}`);
      let mask = n.mask;
      through.forEach((ref, k) => { if (matchesStep(a, ref)) mask |= 1 << k; });
      add(r.state, mask, head, a, n.depth + 1);
    }
  }
  return { complete, states: statesSeen.size, shortest, shortestThrough };
}
