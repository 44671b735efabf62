import { describe, expect, it } from 'vitest';
import { nextRandom, randomStream } from './prng.js';

describe('the seeded generator', () => {
  it('as a stream gives the values nextRandom gives, chained from the same seed', () => {
    const stream = randomStream(20261203);
    let seed = 20261203;
    for (let i = 0; i < 50; i++) {
      const r = nextRandom(seed);
      seed = r.seed;
      const v = stream();
      expect(v).toBe(r.value);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('repeats from its seed and differs between seeds', () => {
    const take = (s: number) => { const f = randomStream(s); return Array.from({ length: 8 }, f); };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });
});
