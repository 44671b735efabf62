// Warnings about refused messages, aggregated: the first of each kind is written at once,
// the repeats are counted and written as one line per interval. A client that sends 30,000
// bad messages costs a few log lines, not megabytes, and the first of them is still seen.

import type { Clock, Timer } from './clock.js';
import type { Log, LogFields } from './log.js';

export class WarnSummary {
  private readonly repeats = new Map<string, { msg: string; fields: LogFields; count: number }>();
  private timer: Timer | null = null;

  constructor(private readonly log: Log, private readonly clock: Clock, private readonly intervalMs = 10_000) {}

  /** A warning of kind `key`: written now if it is the first of its kind in this interval, else counted. */
  warn(key: string, msg: string, fields: LogFields): void {
    const seen = this.repeats.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    this.log.warn(msg, fields);
    this.repeats.set(key, { msg, fields, count: 0 });
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Writes one line per kind that repeated, and starts a new interval. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    for (const { msg, fields, count } of this.repeats.values()) {
      if (count > 0) this.log.warn(`${msg} (repeated)`, { ...fields, repeated: count, intervalMs: this.intervalMs });
    }
    this.repeats.clear();
  }

  stop(): void {
    this.flush();
  }
}
