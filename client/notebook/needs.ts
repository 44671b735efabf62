// The allocators' needs as a person types them into an explorer cell: pages per allocator,
// in order ("2, 2, 3"), or one number for every allocator there is. Allocators of equal
// need are interchangeable, so a mixed list is how a question asks for several symmetry
// classes (the explorer reduces each one). Only the text is read here: how many needs and
// which values a scenario allows is the engine's rule (validateConfig), checked when the
// question is asked.

/** The needs written as the cell shows them. */
export function needsText(need: readonly number[]): string {
  return need.join(', ');
}

/**
 * The whole numbers `text` lists, given to all `allocators` when it is one number; a
 * sentence saying what is wrong otherwise.
 */
export function parseNeeds(text: string, allocators: number): number[] | string {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return 'give the pages each allocator asks for, e.g. "3" or "2, 2, 3"';
  const bad = parts.find((p) => !/^\d+$/.test(p));
  if (bad !== undefined) return `"${bad}" is not a need: each is a whole number of pages`;
  const need = parts.map(Number);
  return need.length === 1 ? Array.from({ length: allocators }, () => need[0]!) : need;
}
