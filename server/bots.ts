// Bots: when a bot plays a seat (the rules say), which step it takes (the engine's bot,
// seeded by the run's seed and the step number, so a replayed room plays the same), and
// when (a timer per room on the injected clock). The step itself takes the room
// service's one path, like a human's: `play` is that path.

import { enabledActions, nextBotMove, type Action } from '../engine/index.js';
import type { BotKind } from '../protocol/events.js';
import { botActors, botsMayPlay } from '../protocol/rules.js';
import type { Clock, Timer } from './clock.js';
import type { GraphCache } from './graphs.js';
import { seedFrom } from './ids.js';
import { botGoals } from './lessons.js';
import { tableOf, type LiveRoom } from './live-room.js';

export interface BotsOptions {
  clock: Clock;
  graphs: GraphCache;
  /** Delay before a bot steps (ms). 0 in tests. */
  delayMs: number;
  /**
   * The bot's turn came: the room service takes, in the room's queue, the step `next()`
   * chooses then (null: none) through its one path.
   */
  play: (room: LiveRoom, next: () => { action: Action; bot: BotKind } | null) => void;
}

/** Actor → bot kind for every actor whose role has a bot and no player. */
export function activeBots(room: LiveRoom): Partial<Record<string, BotKind>> {
  return botActors(tableOf(room), enabledActions(room.state));
}

/** The step the bots take next in this room, or null (no bot may play, or none has a step). */
export function botMove(room: LiveRoom, graphs: GraphCache): { action: Action; bot: BotKind } | null {
  if (!botsMayPlay(tableOf(room), room.state.outcome !== null)) return null;
  const bots = activeBots(room);
  if (Object.keys(bots).length === 0) return null;
  const turn = nextBotMove(graphs.get(room.rec.scenario), room.state, bots, botGoals(room.lesson), seedFrom(room.rec.runSeed, room.actions.length));
  return turn.action ? { action: turn.action, bot: bots[turn.action.actor]! } : null;
}

export class Bots {
  private readonly timers = new Map<LiveRoom, Timer>();

  constructor(private readonly o: BotsOptions) {}

  /** Looks again after any change: a bot that may play steps after the delay (one timer per room). */
  schedule(room: LiveRoom): void {
    this.cancel(room);
    if (!botsMayPlay(tableOf(room), room.state.outcome !== null)) return;
    this.timers.set(room, this.o.clock.setTimeout(() => {
      this.timers.delete(room);
      this.o.play(room, () => botMove(room, this.o.graphs));
    }, this.o.delayMs));
  }

  cancel(room: LiveRoom): void {
    this.timers.get(room)?.cancel();
    this.timers.delete(room);
  }

  /** Whether a bot is about to step in this room. */
  pending(room: LiveRoom): boolean {
    return this.timers.has(room);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
