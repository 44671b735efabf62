// Token buckets by key (an address, a kind of creation and an address): `burst` at once,
// refilled at `perMinute`. A bucket that has refilled completely is the same as none, so
// the sweep drops those: memory follows the addresses active in the last few minutes.

import type { Clock } from '../clock.js';

export interface Allowance {
  burst: number;
  perMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt: number;

  constructor(private readonly allowance: Allowance, private readonly clock: Clock) {
    this.sweptAt = clock.now();
  }

  /** Takes one token for `key`; false (and nothing taken) when its bucket is empty. */
  take(key: string): boolean {
    const now = this.clock.now();
    this.sweep(now);
    const b = this.refilled(this.buckets.get(key) ?? { tokens: this.allowance.burst, at: now }, now);
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }

  /** Milliseconds until `key` has a token again (0: it has one). */
  waitMs(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = this.refilled({ ...b }, this.clock.now()).tokens;
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60_000) / this.allowance.perMinute);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(b: Bucket, now: number): Bucket {
    if (now > b.at) {
      b.tokens = Math.min(this.allowance.burst, b.tokens + ((now - b.at) / 60_000) * this.allowance.perMinute);
      b.at = now;
    }
    return b;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, b] of this.buckets) if (this.refilled(b, now).tokens >= this.allowance.burst) this.buckets.delete(key);
  }
}
