// The one rule for following a game over the wire: how a game:step delta becomes the next
// GameView (applyGameStep), and when a client must instead ask the server for the whole view
// (GameFollower). The server, the browser client, the headless player, the test helpers and
// the load generator all use this module, so they cannot disagree on what a delta means.
//
// A delta applies only to the view it was made from: same room, same run, version − 1. The
// client runs the step with the engine the server used (engine step(): deterministic and
// pure), so state, choices and actions need not travel; code, version, run, the step, its
// events, the referee (from the server's state graph) and the result do.

import { enabledActions, step } from '../engine/index.js';
import type { GameStep, GameView } from './events.js';

/**
 * The GameView after the delta, or null when it does not follow `view` (no view, another
 * room or run, a version gap) or the engine refuses the step here: then the client must not
 * guess and asks for the whole view (game:sync).
 */
export function applyGameStep(view: GameView | null, d: GameStep): GameView | null {
  if (!view || view.code !== d.code || view.run !== d.run || d.version !== view.version + 1 || view.result !== null) return null;
  const r = step(view.state, { actor: d.step.actor, step: d.step.step });
  if (!r.ok) return null;
  return {
    code: d.code,
    version: d.version,
    run: d.run,
    state: r.state,
    choices: enabledActions(r.state),
    actions: [...view.actions, d.step],
    events: d.events,
    referee: d.referee,
    result: d.result,
  };
}

/** Whether a delta is one the view already holds (a late duplicate, or a step a resync already brought). */
export function isBehind(view: GameView | null, d: GameStep): boolean {
  return view !== null && view.code === d.code && d.version <= view.version;
}

export interface FollowerOptions {
  /** Asks the server for the whole view of `code` (game:sync); null when it could not (the client then waits for the next broadcast). */
  sync: (code: string) => Promise<GameView | null>;
  /** Called with every new view and the one it replaces. */
  changed: (view: GameView, previous: GameView | null) => void;
  /** The room being followed (deltas of other rooms are ignored); null: whichever the view is. */
  code?: () => string | null;
}

/** At most this many deltas are held while a join or a sync is on its way (later ones are dropped: the next delta then resyncs). */
const HELD_MAX = 64;

/**
 * Follows one room's game from full views (join ack, game:state, game:sync) and game:step
 * deltas. A delta that follows the view is applied; one the view already holds is dropped;
 * any other (a gap, another run, no view yet) starts one game:sync. While a sync or a join
 * (joining .. joined) is on its way, deltas are held, then applied on top of the view that
 * came if they follow it: a step accepted just after a join can reach the client before the
 * join's answer.
 */
export class GameFollower {
  view: GameView | null = null;
  /** Resyncs asked for (figures for tests and benchmarks). */
  syncs = 0;
  private syncing = false;
  private awaitingJoin = false;
  private held: GameStep[] = [];

  constructor(private readonly o: FollowerOptions) {}

  /** A whole view: taken unless it is an older one of the same room. */
  full(g: GameView): void {
    const prev = this.view;
    if (prev && prev.code === g.code && g.version < prev.version) return;
    this.view = g;
    this.o.changed(g, prev);
  }

  /** A join (or create) is on its way: deltas are held until its answer (joined). */
  joining(): void {
    this.awaitingJoin = true;
  }

  /**
   * A join's answer: the room as it is now, which replaces whatever view was held (whatever
   * its version), then the deltas held meanwhile. `changed` is not called for the join's view
   * itself (the caller shows it with the rest of the join), only for the deltas applied on it.
   */
  joined(g: GameView): void {
    this.view = g;
    this.awaitingJoin = false;
    this.release();
  }

  /** Forgets the view (the client left the room). */
  reset(): void {
    this.view = null;
    this.awaitingJoin = false;
    this.held = [];
  }

  step(d: GameStep): void {
    const code = this.o.code?.() ?? null;
    if (code !== null && d.code !== code) return;
    if (this.syncing || this.awaitingJoin) {
      if (this.held.length < HELD_MAX) this.held.push(d);
      return;
    }
    if (isBehind(this.view, d)) return;
    const next = applyGameStep(this.view, d);
    if (next) {
      const prev = this.view;
      this.view = next;
      this.o.changed(next, prev);
      return;
    }
    void this.resync(d.code);
  }

  private async resync(code: string): Promise<void> {
    this.syncing = true;
    this.syncs++;
    let g: GameView | null = null;
    try {
      g = await this.o.sync(code);
    } catch {
      g = null;
    }
    this.syncing = false;
    if (g) this.full(g);
    this.release();
  }

  /** Applies what was held (a join or a sync came): dropped if the view holds it, applied if it follows. */
  private release(): void {
    if (this.syncing || this.awaitingJoin) return;
    const held = this.held;
    this.held = [];
    for (const d of held) this.step(d);
  }
}
