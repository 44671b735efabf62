// Counts in words, for logs and screens alike: "1 page", "3 pages".

/** `n` with its noun, singular for exactly one. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
