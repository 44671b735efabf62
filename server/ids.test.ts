import { describe, expect, it } from 'vitest';
import { codeLength, CODES_PER_LIVE, uniqueCode } from './ids.js';

describe('room codes', () => {
  it('grow with the live rooms so that one guess hits one with a chance of at most 1 in 10 million', () => {
    for (const live of [0, 1, 88, 89, 1000, 2751, 2752, 50_000]) {
      const n = codeLength(live);
      expect(n).toBeGreaterThanOrEqual(6);
      expect(n).toBeLessThanOrEqual(8);
      if (n < 8) expect(31 ** n).toBeGreaterThanOrEqual(CODES_PER_LIVE * live);
      if (n > 6) expect(31 ** (n - 1)).toBeLessThan(CODES_PER_LIVE * live);
    }
    expect([0, 88, 89, 2751, 2752].map(codeLength)).toEqual([6, 6, 7, 7, 8]);
    expect(uniqueCode(() => false, 1000)).toMatch(/^[A-HJKMNP-Z2-9]{7}$/);
  });
});
