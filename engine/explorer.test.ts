import { describe, expect, it } from 'vitest';
import { scaledConfig, CONFIGS } from './configs.js';
import { explore } from './explorer.js';
import { initialState } from './state.js';
import { legalActions, step } from './step.js';
import { fingerprint } from './encode.js';
import { scenario } from './testing.js';
import type { Scenario, State } from './types.js';

/** An independent, naive breadth-first search over State objects keyed by fingerprint. */
function naiveShortest(sc: Scenario): { states: number; shortest: Record<string, number> } {
  const seen = new Map<string, number>();
  let frontier: State[] = [initialState(sc)];
  seen.set(fingerprint(frontier[0]!), 0);
  const shortest: Record<string, number> = {};
  for (let depth = 0; frontier.length; depth++) {
    const next: State[] = [];
    for (const s of frontier) {
      if (s.needlessKill && shortest.needless_kill === undefined) shortest.needless_kill = depth;
      if (s.outcome) {
        shortest[s.outcome.id] ??= depth;
        continue;
      }
      for (const a of legalActions(s)) {
        const r = step(s, a);
        if (!r.ok) throw new Error(r.error.message);
        const f = fingerprint(r.state);
        if (!seen.has(f)) { seen.set(f, depth + 1); next.push(r.state); }
      }
    }
    frontier = next;
  }
  return { states: seen.size, shortest };
}

describe('explore', () => {
  it.each([
    ['v4.14', 'mlocked'], ['v4.19', 'pgtable-heavy'], ['rfc-v1', 'hugetlb-ppc'], ['rfc-split-pgtables', 'driver-close'],
    ['tetsuo-timeout', 'mlocked'], ['rientjes-timeout', 'no-escape'], ['upstream-6.x', 'hugetlb-ppc'],
  ] as const)('%s × %s agrees with a naive search on state count and shortest lengths', (v, c) => {
    const sc = scenario(v, c);
    const r = explore(sc);
    const naive = naiveShortest(sc);
    expect(r.complete).toBe(true);
    expect(r.states).toBe(naive.states);
    const found = Object.fromEntries(Object.entries(r.outcomes).filter(([, x]) => x.reachable).map(([k, x]) => [k, x.reachable ? x.steps : -1]));
    expect(found).toEqual(naive.shortest);
  });

  it('reports an incomplete search honestly when the budget runs out', () => {
    const sc = scenario('tetsuo-timeout', 'mlocked');
    const full = explore(sc);
    const cut = explore(sc, { maxStates: 200 });
    expect(cut.complete).toBe(false);
    expect(cut.states).toBe(200);
    expect(full.complete).toBe(true);
    expect(full.states).toBeGreaterThan(200);
  });

  it('finds the same states, edges, outcomes and traces with its table sized up front; the doubling search counts both tables in its peak', () => {
    const sc = { variant: 'v4.19' as const, config: scaledConfig(CONFIGS['pgtable-heavy'], { allocators: 3, bystanders: 2 }) };
    const edges = (expectedStates?: number) => {
      const out: number[] = [];
      const r = explore(sc, { listFinals: true, onEdge: (from, to, a) => out.push(from, to, a), ...(expectedStates ? { expectedStates } : {}) });
      return { r, out };
    };
    const growing = edges();
    expect(growing.r.states).toBeGreaterThan(12_000); // doubles twice from the default 4,096
    const sized = edges(growing.r.states);
    expect(sized.out).toEqual(growing.out);
    expect({ ...sized.r, storeBytes: 0 }).toEqual({ ...growing.r, storeBytes: 0 });
    expect(growing.r.storeBytes).toBeGreaterThan(sized.r.storeBytes);
  });

  it('follows the step-counting rule: rfc-v1 oopses after 9 steps on pgtable-heavy', () => {
    const r = explore(scenario('rfc-v1', 'pgtable-heavy'));
    expect(r.outcomes.oops).toMatchObject({ reachable: true, steps: 9 });
    if (r.outcomes.oops.reachable) {
      expect(r.outcomes.oops.trace.map((a) => `${a.actor}:${a.step}`)).toEqual([
        'allocator:A1', 'allocator:A2', 'victim:mmput', 'victim:unmap:0', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgd_range',
      ]);
    }
  });

  it('handles several allocators and bystanders (the scaling extension)', () => {
    const cfg = scaledConfig(CONFIGS['pgtable-heavy'], { allocators: 2, bystanders: 2 });
    const r = explore({ variant: 'v4.19', config: cfg });
    expect(r.complete).toBe(true);
    expect(r.states).toBeGreaterThan(explore(scenario('v4.19', 'pgtable-heavy')).states);
    expect(r.outcomes.success.reachable).toBe(true);
    if (r.outcomes.success.reachable) {
      const actors = new Set(r.outcomes.success.trace.map((a) => a.actor));
      expect(actors.has('allocator1') && actors.has('allocator2')).toBe(true);
    }
  });
});
