import { describe, expect, it } from 'vitest';
import { CONFIGS, LIMITS, validateConfig } from '../../engine/index.js';
import { needsText, parseNeeds } from './needs.js';

describe('parseNeeds', () => {
  it('gives one number to every allocator', () => {
    expect(parseNeeds('4', 3)).toEqual([4, 4, 4]);
    expect(parseNeeds(' 2 ', 1)).toEqual([2]);
  });

  it('takes a list in order, whatever the separators, and its length is the allocators', () => {
    expect(parseNeeds('2, 2, 3', 6)).toEqual([2, 2, 3]);
    expect(parseNeeds('1 5;1', 1)).toEqual([1, 5, 1]);
  });

  it('reads back what needsText writes', () => {
    expect(parseNeeds(needsText([3, 1, 3, 2]), 4)).toEqual([3, 1, 3, 2]);
  });

  it('refuses text that is not whole numbers, saying why', () => {
    expect(parseNeeds('', 2)).toMatch(/pages each allocator/);
    expect(parseNeeds('2, x', 2)).toBe('"x" is not a need: each is a whole number of pages');
    expect(parseNeeds('2.5', 2)).toMatch(/"2.5" is not a need/);
    expect(parseNeeds('-1', 2)).toMatch(/"-1" is not a need/);
  });

  // The ranges are the engine's: a parsed list goes through the same check as any question.
  it('leaves the ranges to the engine, which refuses a need of 0 or too many allocators', () => {
    const config = (need: number[]) => validateConfig({ ...CONFIGS['pgtable-heavy'], need });
    expect(config(parseNeeds('0', 2) as number[])).toContain(`need[0] must be an integer from 1 to ${LIMITS.pages}`);
    expect(config(parseNeeds(Array.from({ length: LIMITS.allocators + 1 }, () => '1').join(','), 2) as number[])).toContain(`need must list 1 to ${LIMITS.allocators} allocations`);
    expect(config(parseNeeds('2, 2, 3', 1) as number[])).toEqual([]);
  });
});
