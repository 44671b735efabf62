// A seeded PRNG whose whole state is one 32-bit integer (mulberry32), so the state can
// live in a room or a bot's record and replays stay reproducible.

export function nextRandom(seed: number): { value: number; seed: number } {
  const next = (seed + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { value, seed: next };
}

/** The same generator as a stream of values in [0, 1), for code that holds the seed itself (tests, benchmarks). */
export function randomStream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    const r = nextRandom(s);
    s = r.seed;
    return r.value;
  };
}
