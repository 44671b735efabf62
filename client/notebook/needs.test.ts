import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../engine/index.js';
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

  it('refuses what no allocator can ask for, saying why', () => {
    expect(parseNeeds('', 2)).toMatch(/pages each allocator/);
    expect(parseNeeds('2, x', 2)).toBe(`"x" is not a need: each is a whole number of pages from 1 to ${LIMITS.pages}`);
    expect(parseNeeds('0', 2)).toMatch(/"0" is not a need/);
    expect(parseNeeds('2.5', 2)).toMatch(/"2.5" is not a need/);
    expect(parseNeeds(`${LIMITS.pages + 1}`, 2)).toMatch(/is not a need/);
    expect(parseNeeds(Array.from({ length: LIMITS.allocators + 1 }, () => '1').join(','), 2)).toMatch(new RegExp(`at most ${LIMITS.allocators} allocators`));
  });
});
