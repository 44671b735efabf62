import { describe, expect, it } from 'vitest';
import { hashWords, StateStore } from './state-store.js';

/** Distinct 3-word states from a seed (deterministic). */
function states(n: number): Int32Array {
  const v = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    v[3 * i] = i;
    v[3 * i + 1] = Math.imul(i, 0x9e3779b1) >>> 0;
    v[3 * i + 2] = 0xffffffff - i;
  }
  return v;
}

describe('StateStore', () => {
  it('hashes to int32 values of both signs', () => {
    const v = states(64);
    const hs = Array.from({ length: 64 }, (_, i) => hashWords(v, 3 * i, 3));
    expect(hs.every((h) => Number.isInteger(h) && h === (h | 0))).toBe(true);
    expect(hs.some((h) => h < 0)).toBe(true);
    expect(hs.some((h) => h > 0)).toBe(true);
  });

  it('keeps every state once, in discovery order, through prefetches and the table doubling', () => {
    const n = 20_000;
    const v = states(n);
    const store = new StateStore(3);
    const hashes = new Int32Array(16);
    for (let at = 0; at < n; at += 16) {
      const m = Math.min(16, n - at);
      for (let j = 0; j < m; j++) hashes[j] = store.hashOf(v, 3 * (at + j));
      store.prefetch(hashes, m);
      for (let j = 0; j < m; j++) expect(store.add(v, 3 * (at + j), hashes[j]!, at + j - 1, j % 7)).toBe(at + j);
    }
    expect(store.size).toBe(n);
    // Every state again: found at its index, and adding it reports the existing index.
    for (let i = 0; i < n; i += 97) {
      expect(store.find(v, 3 * i)).toBe(i);
      expect(store.add(v, 3 * i, store.hashOf(v, 3 * i), 0, 0)).toBe(-1 - i);
      expect(store.pred(i)).toBe(i - 1);
      expect(store.actor(i)).toBe((i % 16) % 7);
    }
    expect(store.size).toBe(n);
    const absent = new Int32Array([1, 2, 3]);
    expect(store.find(absent)).toBe(-1);
  });
});
