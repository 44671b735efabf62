// Group commit of room steps: the steps stored in one turn of the event loop, of every
// room, share one transaction (SQLite: one WAL write instead of one per step). A step's
// promise resolves only once the commit that holds it has returned, so the room changes
// its memory, broadcasts and acknowledges after its step is on disk, as with a
// transaction of its own. When a commit fails, the transaction rolled back: every step in
// it is refused (its promise rejects with the store's error) and none of them is stored.
// A room has at most one step here at a time: its queue awaits the commit before it runs
// the room's next operation, so one room's rows are always written in order.

import type { Clock } from './clock.js';
import type { StepBatchStore, StepWrite } from './store/port.js';

interface Waiting {
  write: StepWrite;
  stored: () => void;
  refused: (e: unknown) => void;
}

export class StepCommitter {
  private waiting: Waiting[] = [];
  /** Commits so far and the steps they held (metrics: steps per commit). */
  readonly stats = { commits: 0, steps: 0 };

  constructor(private readonly store: StepBatchStore, private readonly clock: Clock) {}

  /** Queues the step for this turn's commit; resolves once it is stored, rejects when that commit failed. */
  append(write: StepWrite): Promise<void> {
    return new Promise((stored, refused) => {
      if (this.waiting.length === 0) this.clock.defer(() => this.commit());
      this.waiting.push({ write, stored, refused });
    });
  }

  /** Stores every step queued so far in one transaction and answers each. */
  commit(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      this.store.appendActions(batch.map((w) => w.write));
    } catch (e) {
      for (const w of batch) w.refused(e);
      return;
    }
    this.stats.commits++;
    this.stats.steps += batch.length;
    for (const w of batch) w.stored();
  }
}
