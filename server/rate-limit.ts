// A token bucket per connection: `burst` requests at once, refilled at `perSecond`.
// Time comes from the injected clock, so tests decide when tokens come back.

import type { Clock } from './clock.js';

export interface RateLimit {
  burst: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(private readonly limit: RateLimit, private readonly clock: Clock) {
    this.tokens = limit.burst;
    this.at = clock.now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.clock.now();
    if (now > this.at) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.perSecond);
      this.at = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
