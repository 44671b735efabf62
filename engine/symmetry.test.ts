// The symmetry reduction is checked against the unreduced search: the same outcome set and
// the same shortest length per outcome, the same BFS depth, exactly one reduced state per
// orbit of the unreduced reachable states (and each final orbit at its unreduced shortest
// length), and every trace the reduced search returns replays through step() to the outcome
// it names. Over scenarios with 2–5 allocators, equal and unequal needs, M held, several
// bystanders, across every variant; then over random configs (seeded: REAPLAB_SEED).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIGS, scaledConfig, validateConfig } from './configs.js';
import { fingerprint, unpack } from './encode.js';
import { explore, type ExploreResult } from './explorer.js';
import { actorCount, advance, canStep } from './machine.js';
import { GONE, PackedState } from './packed.js';
import { replay } from './replay.js';
import { canonicalFingerprint, Symmetry, symmetryOf } from './symmetry.js';
import type { Config, ConfigId, OutcomeId, Scenario, VariantId } from './types.js';
import { CONFIG_IDS, OUTCOMES, VARIANT_IDS } from './types.js';

const seed = Number(process.env.REAPLAB_SEED ?? 20180914);

const shortest = (r: ExploreResult): Record<OutcomeId, number | null> =>
  Object.fromEntries(OUTCOMES.map((o) => { const x = r.outcomes[o]; return [o, x.reachable ? x.steps : null]; })) as Record<OutcomeId, number | null>;

const scaled = (variant: VariantId, base: ConfigId, opts: Parameters<typeof scaledConfig>[1], need?: number[]): Scenario => {
  const c = scaledConfig(CONFIGS[base], opts);
  return { variant, config: need ? { ...c, id: `${c.id}n${need.join('-')}`, need } : c };
};

/** Every trace of a result replays through step() to its outcome, at its length and fingerprint. */
function expectTracesReplay(sc: Scenario, r: ExploreResult): void {
  for (const [o, reach] of Object.entries(r.outcomes)) {
    if (!reach.reachable) continue;
    const rep = replay(sc, reach.trace);
    expect(rep.ok, `${sc.variant} × ${sc.config.id}: ${o} trace`).toBe(true);
    if (!rep.ok) continue;
    expect(rep.frames.length).toBe(reach.steps);
    if (o === 'needless_kill') expect(rep.final.needlessKill).toBe(true);
    else expect(rep.final.outcome?.id).toBe(o);
    expect(fingerprint(rep.final)).toBe(reach.fingerprint);
  }
}

/** The reduced search against the unreduced one on one scenario, orbit by orbit. */
function expectEqualToUnreduced(sc: Scenario): { full: ExploreResult; reduced: ExploreResult } {
  const sym = symmetryOf(sc);
  const scratch = new PackedState(sc);
  const canonical = (p: PackedState): string => {
    p.copyTo(scratch.w, 0);
    sym?.canonicalise(scratch);
    return scratch.w.join(',');
  };
  const orbits = new Set<string>();
  const finalOrbits: string[] = [];
  const full = explore(sc, {
    listFinals: true, finalTraceLimit: 0,
    onState: (_i, p) => { const k = canonical(p); orbits.add(k); if (p.outcome) finalOrbits.push(k); },
  });
  const seen: string[] = [];
  const reducedFinals: string[] = [];
  const reduced = explore(sc, {
    symmetry: true, listFinals: true, finalTraceLimit: 0,
    onState: (_i, p) => { const k = p.w.slice(p.at, p.at + p.layout.words).join(','); seen.push(k); if (p.outcome) reducedFinals.push(k); },
  });
  const name = `${sc.variant} × ${sc.config.id}`;
  expect(full.complete && reduced.complete, name).toBe(true);
  expect(shortest(reduced), name).toEqual(shortest(full));
  expect(reduced.depth, name).toBe(full.depth);
  // one reduced state per orbit, every one canonical
  expect(seen.length, name).toBe(orbits.size);
  expect(new Set(seen), name).toEqual(orbits);
  // each final orbit at the shortest length of its unreduced members
  const fullSteps = new Map<string, number>();
  full.finals!.forEach((f, k) => { const o = finalOrbits[k]!; fullSteps.set(o, Math.min(fullSteps.get(o) ?? Infinity, f.steps)); });
  expect(new Map(reduced.finals!.map((f, k) => [reducedFinals[k]!, f.steps])), name).toEqual(fullSteps);
  expect(reduced.symmetry !== undefined, name).toBe(sym !== null);
  if (!sym) expect(reduced, name).toEqual(full);
  // Merged states exist once two interchangeable allocators can differ: any two when M is
  // not held, two besides allocator 1 when it is (with M held from the start allocator 1
  // joins only once satisfied, and no reachable state then differs from another by it).
  else if (!sc.config.mHeld || sym.classes.some((c) => c.filter((k) => k !== 0).length > 1)) expect(reduced.states, name).toBeLessThan(full.states);
  else expect(reduced.states, name).toBe(full.states);
  expectTracesReplay(sc, reduced);
  return { full, reduced };
}

/** Orbits (under sym) of reachable states whose members differ in outcome or in their sets of successor orbits. */
function mismatchedOrbits(sc: Scenario, sym: Symmetry): number {
  const words: Int32Array[] = [];
  explore(sc, { onState: (_i, p) => { words.push(p.w.slice(p.at, p.at + p.layout.words)); } });
  const probe = new PackedState(sc);
  const canon = (w: Int32Array): string => { probe.w.set(w); sym.canonicalise(probe); return probe.w.join(','); };
  const signature = new Map<string, string>();
  const bad = new Set<string>();
  const s = new PackedState(sc);
  for (const w of words) {
    s.w.set(w);
    const succ: string[] = [String(s.outcome)];
    if (s.outcome === 0) {
      for (let a = 0; a < actorCount(sc); a++) {
        if (!canStep(s, a)) continue;
        probe.w.set(w);
        advance(probe, a, null);
        sym.canonicalise(probe);
        succ.push(probe.w.join(','));
      }
    }
    const sig = [...new Set(succ)].sort().join(' ');
    const key = canon(w);
    const had = signature.get(key);
    if (had === undefined) signature.set(key, sig);
    else if (had !== sig) bad.add(key);
  }
  return bad.size;
}

describe('which allocators are interchangeable', () => {
  it('allocators with equal need form a class; one of its own need is left alone; none at all with one allocator', () => {
    const at = (need: number[], mHeld = false) => symmetryOf({ variant: 'v4.19', config: { ...CONFIGS['pgtable-heavy'], need, mHeld } });
    expect(at([3])).toBeNull();
    expect(at([3, 2])).toBeNull();
    expect(at([3, 3, 2])?.classes).toEqual([[0, 1]]);
    expect(at([2, 3, 2, 3, 1])?.classes).toEqual([[0, 2], [1, 3]]);
    expect(at([3, 3, 3], true)?.actors({ variant: 'v4.19', config: { ...CONFIGS['pgtable-heavy'], need: [3, 3, 3] } }))
      .toEqual([['allocator1', 'allocator2', 'allocator3']]);
  });

  it('allocator 1 stays in place while it holds M, and joins its class once M is free', () => {
    const sc: Scenario = { variant: 'v4.19', config: { ...CONFIGS['driver-close'], need: [5, 5, 5] } };
    const sym = symmetryOf(sc)!;
    const p = new PackedState(sc);
    const set = (pcs: number[], sat: boolean[], m: boolean) => {
      pcs.forEach((pc, k) => { p.setAllocatorPc(k, pc); p.setSatisfied(k, sat[k]!); });
      p.mHeld = m;
    };
    const get = () => [0, 1, 2].map((k) => `${p.allocatorPc(k)}${p.satisfied(k) ? 's' : ''}`);
    set([2, 1, 0], [false, false, false], true);
    sym.canonicalise(p);
    expect(get()).toEqual(['2', '0', '1']);
    set([2, 1, 0], [false, true, false], false);
    sym.canonicalise(p);
    expect(get()).toEqual(['0', '1s', '2']);
  });

  it('is a bisimulation: states of one orbit have the same successor orbits — and ignoring M would not be', () => {
    const sc: Scenario = { variant: 'v4.14', config: { ...CONFIGS['driver-close'], need: [5, 5] } };
    expect(mismatchedOrbits(sc, symmetryOf(sc)!)).toBe(0);
    for (const other of [scaled('rfc-final', 'mlocked', { allocators: 3, bystanders: 2 }), scaled('tetsuo-timeout', 'driver-close', { allocators: 3 }, [5, 5, 2])]) {
      expect(mismatchedOrbits(other, symmetryOf(other)!), other.config.id).toBe(0);
    }
    // A reduction that swapped allocator 1 while it holds M (as if M were never held) merges
    // states that are not equivalent: the check catches it.
    expect(mismatchedOrbits(sc, new Symmetry([[0, 1]], false))).toBeGreaterThan(0);
  });

  it('bystanders are never interchangeable in reachable states: the gone ones are always a prefix', () => {
    for (const variant of ['v4.19', 'rfc-final', 'upstream-6.x'] as const) {
      const sc = scaled(variant, 'no-escape', { allocators: 2, bystanders: 4 });
      let checked = 0;
      explore(sc, {
        onState: (_i, p) => {
          let t = 1;
          while (t < p.tasks && p.task(t) === GONE) t++;
          for (; t < p.tasks; t++) expect(p.task(t), `${variant}: W${t} gone after an alive bystander`).not.toBe(GONE);
          checked++;
        },
      });
      expect(checked).toBeGreaterThan(100);
    }
  });

  it('canonicalFingerprint names a state up to swapping interchangeable allocators, and no further', () => {
    const sc = scaled('v4.19', 'pgtable-heavy', { allocators: 3 }, [3, 3, 2]);
    const r = explore(sc);
    expect(r.outcomes.panic.reachable).toBe(true);
    if (!r.outcomes.panic.reachable) return;
    const rep = replay(sc, r.outcomes.panic.trace);
    if (!rep.ok) throw new Error('panic trace does not replay');
    for (const f of rep.frames) {
      const s = f.state;
      const swapped = { ...s, allocators: [s.allocators[1]!, s.allocators[0]!, s.allocators[2]!] };
      expect(canonicalFingerprint(swapped)).toBe(canonicalFingerprint(s));
      const other = { ...s, allocators: [s.allocators[2]!, s.allocators[1]!, s.allocators[0]!] };
      const differs = JSON.stringify(s.allocators[0]) !== JSON.stringify(s.allocators[2]);
      expect(canonicalFingerprint(other) === canonicalFingerprint(s)).toBe(!differs);
    }
    expect(unpack(new PackedState(sc)).allocators).toHaveLength(3);
  });
});

describe('the reduced search equals the unreduced one', () => {
  const cases: [string, Scenario][] = [];
  for (const variant of VARIANT_IDS) {
    for (const base of CONFIG_IDS) cases.push([`${variant} × ${base}, 3 allocators, 2 bystanders`, scaled(variant, base, { allocators: 3, bystanders: 2 })]);
    cases.push([`${variant} × mlocked, needs 3,2,3,2`, scaled(variant, 'mlocked', { allocators: 4 }, [3, 2, 3, 2])]);
  }
  for (const variant of ['v4.14', 'v4.19', 'rfc-final', 'tetsuo-timeout', 'rientjes-timeout', 'upstream-6.x'] as const) {
    cases.push([`${variant} × pgtable-heavy, 2 allocators`, scaled(variant, 'pgtable-heavy', { allocators: 2 })]);
    cases.push([`${variant} × driver-close, 4 allocators (allocator 1 holds M)`, scaled(variant, 'driver-close', { allocators: 4, bystanders: 2 })]);
    cases.push([`${variant} × pgtable-heavy, 5 allocators, 3 bystanders`, scaled(variant, 'pgtable-heavy', { allocators: 5, bystanders: 3 })]);
    cases.push([`${variant} × no-escape, needs 4,4,1 and 4 bystanders`, scaled(variant, 'no-escape', { allocators: 3, bystanders: 4 }, [4, 4, 1])]);
  }
  cases.push(['v4.19 × pgtable-heavy, unequal needs only (no reduction)', scaled('v4.19', 'pgtable-heavy', { allocators: 3 }, [1, 2, 3])]);

  it.each(cases)('%s', (_name, sc) => {
    expectEqualToUnreduced(sc);
  });

  it('on random configs (seeded)', () => {
    const variantArb = fc.constantFrom(...VARIANT_IDS);
    const configArb = fc.record({
      base: fc.constantFrom(...CONFIG_IDS),
      need: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      bystanders: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
      mHeld: fc.boolean(),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
      free: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(fc.property(variantArb, configArb, (variant, o) => {
      const base = CONFIGS[o.base];
      const config: Config = { ...base, id: `random-${o.base}`, need: o.need, bystanders: o.bystanders, mHeld: o.mHeld, maxAttempts: o.maxAttempts, free: o.free };
      expect(validateConfig(config)).toEqual([]);
      expectEqualToUnreduced({ variant, config });
    }), { seed, numRuns: 60, verbose: 1 });
  });
});
