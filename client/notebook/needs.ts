// The allocators' needs as a person types them into an explorer cell: pages per allocator,
// in order ("2, 2, 3"), or one number for every allocator there is. Allocators of equal
// need are interchangeable, so a mixed list is how a question asks for several symmetry
// classes (the explorer reduces each one).
import { LIMITS } from '../../engine/index.js';

/** The needs written as the cell shows them. */
export function needsText(need: readonly number[]): string {
  return need.join(', ');
}

/**
 * The needs `text` asks for, with `allocators` allocators when it gives one number; a
 * sentence saying what is wrong otherwise.
 */
export function parseNeeds(text: string, allocators: number): number[] | string {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return 'give the pages each allocator asks for, e.g. "3" or "2, 2, 3"';
  if (parts.length > LIMITS.allocators) return `at most ${LIMITS.allocators} allocators (${parts.length} needs given)`;
  const need: number[] = [];
  for (const p of parts) {
    const n = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.pages) return `"${p}" is not a need: each is a whole number of pages from 1 to ${LIMITS.pages}`;
    need.push(n);
  }
  return need.length === 1 ? Array.from({ length: allocators }, () => need[0]!) : need;
}
