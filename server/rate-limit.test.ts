import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { TokenBucket } from './rate-limit.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, setTimeout: () => ({ cancel() {} }), defer: () => {}, advance: (ms) => { t += ms; } };
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the given rate', () => {
    const clock = manualClock();
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, clock);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    clock.advance(499);
    expect(b.take()).toBe(false);
    clock.advance(1);
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    clock.advance(10_000);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });
});
