// Host succession: the host's powers pass on when the host leaves, or has been away for
// the grace period while someone else is here (the rules decide who, protocol/rules.ts
// hostSuccession); this module keeps the one timer per room that looks again when a
// grace period ends.

import { hostSuccession } from '../protocol/rules.js';
import type { Clock, Timer } from './clock.js';
import { tableOf, type LiveRoom } from './live-room.js';

export interface HostTimersOptions {
  clock: Clock;
  /** How long an away host keeps the powers while someone else is here (ms). */
  graceMs: number;
  /** The grace ended: look again (and pass the host on if the rules say so). */
  expired: (room: LiveRoom) => void;
}

export class HostTimers {
  private readonly timers = new Map<LiveRoom, Timer>();

  constructor(private readonly o: HostTimersOptions) {}

  /**
   * The player who takes the host's powers now, or null. When the host is away but not
   * for long yet, looks again when the grace ends (if `rewatch` and someone is here).
   */
  next(room: LiveRoom, rewatch: boolean): string | null {
    const next = hostSuccession(tableOf(room), this.o.clock.now(), this.o.graceMs);
    if (next.kind === 'wait') {
      if (rewatch && !this.timers.has(room) && room.players.some((p) => p.socketId !== null)) this.watch(room, next.ms);
      return null;
    }
    return next.kind === 'passes' ? next.to.id : null;
  }

  /** Looks again in `ms` (default: the grace period): the host is away. */
  watch(room: LiveRoom, ms = this.o.graceMs): void {
    this.cancel(room);
    this.timers.set(room, this.o.clock.setTimeout(() => {
      this.timers.delete(room);
      this.o.expired(room);
    }, ms));
  }

  cancel(room: LiveRoom): void {
    this.timers.get(room)?.cancel();
    this.timers.delete(room);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
