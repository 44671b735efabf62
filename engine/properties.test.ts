// Property tests over random interleavings of every reference scenario. Seeded: set
// REAPLAB_SEED to replay a failure; fast-check prints the seed and the shrunk choice list.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, fingerprint } from './encode.js';
import { explore } from './explorer.js';
import { replay } from './replay.js';
import { referenceScenarios } from './scenario.js';
import { initialState, initialTotalPages, totalPages } from './state.js';
import { legalActions, step } from './step.js';
import type { Action, Scenario, State } from './types.js';

const seed = Number(process.env.REAPLAB_SEED ?? 20180910);
const params = { seed, numRuns: 150, verbose: 1 } as const;
const scenarios = referenceScenarios();
const scenarioArb = fc.constantFrom(...scenarios);
const choicesArb = fc.array(fc.nat(), { minLength: 1, maxLength: 80 });

/** Runs the interleaving the choices pick, calling check on every state; a failure names the scenario and the actions so far. */
function walk(sc: Scenario, choices: number[], check: (s: State, actions: Action[]) => void): { state: State; actions: Action[] } {
  const actions: Action[] = [];
  const checked = (s: State) => {
    try {
      check(s, actions);
    } catch (e) {
      const trace = actions.map((a) => `${a.actor}:${a.step}`).join(' ');
      throw new Error(`${sc.variant} × ${sc.config.id} after [${trace}] (REAPLAB_SEED=${seed}): ${(e as Error).message}`);
    }
  };
  return walkChecked(sc, choices, checked, actions);
}

function walkChecked(sc: Scenario, choices: number[], check: (s: State) => void, actions: Action[]): { state: State; actions: Action[] } {
  let s = initialState(sc);
  check(s);
  for (const c of choices) {
    const legal = legalActions(s);
    if (legal.length === 0) break;
    const a = legal[c % legal.length]!;
    const r = step(s, a);
    if (!r.ok) throw new Error(`legal action rejected: ${JSON.stringify(a)}: ${r.error.message}`);
    s = r.state;
    actions.push(a);
    check(s);
  }
  return { state: s, actions };
}

/** Canonical JSON: keys sorted, scenario left out (it is shared by reference). */
function canonical(s: State): string {
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().filter((k) => k !== 'scenario').map((k) => [k, sort((v as Record<string, unknown>)[k])]))
    : v);
  return JSON.stringify(sort(s));
}

describe('along random interleavings', () => {
  it('memory is conserved', () => {
    fc.assert(fc.property(scenarioArb, choicesArb, (sc, choices) => {
      const total = initialTotalPages(sc.config);
      walk(sc, choices, (s) => expect(totalPages(s)).toBe(total));
    }), params);
  });

  it('mmap_sem never has a writer together with readers, and readers match their holders', () => {
    fc.assert(fc.property(scenarioArb, choicesArb, (sc, choices) => {
      walk(sc, choices, (s) => {
        expect(s.sem.writer && s.sem.readers > 0).toBe(false);
        expect(s.sem.readers).toBe(Number(s.reaper.holdsRead) + Number(s.victim.holdsRead));
      });
    }), params);
  });

  it('equal action sequences give equal fingerprints, and encoding round-trips', () => {
    fc.assert(fc.property(scenarioArb, choicesArb, (sc, choices) => {
      const a = walk(sc, choices, (s) => expect(canonical(decode(sc, encode(s)))).toBe(canonical(s)));
      const b = replay(sc, a.actions);
      expect(b.ok).toBe(true);
      if (b.ok) expect(fingerprint(b.final)).toBe(fingerprint(a.state));
    }), params);
  });

  it('two states have equal fingerprints exactly when they are equal', () => {
    fc.assert(fc.property(scenarioArb, choicesArb, choicesArb, (sc, c1, c2) => {
      const seen1: State[] = [];
      const seen2: State[] = [];
      walk(sc, c1, (s) => seen1.push(s));
      walk(sc, c2, (s) => seen2.push(s));
      for (const x of seen1) for (const y of seen2) {
        expect(fingerprint(x) === fingerprint(y)).toBe(canonical(x) === canonical(y));
      }
    }), { ...params, numRuns: 60 });
  });

  it('the engine never mutates the state it is given', () => {
    fc.assert(fc.property(scenarioArb, choicesArb, (sc, choices) => {
      walk(sc, choices, (s) => {
        const before = canonical(s);
        for (const a of legalActions(s)) step(s, a);
        expect(canonical(s)).toBe(before);
      });
    }), { ...params, numRuns: 60 });
  });
});

describe('explorer traces', () => {
  it.each(scenarios.map((sc) => [`${sc.variant} × ${sc.config.id}`, sc] as const))('every trace of %s replays to its outcome', (_name, sc) => {
    const r = explore(sc);
    expect(r.complete).toBe(true);
    for (const [outcome, reach] of Object.entries(r.outcomes)) {
      if (!reach.reachable) continue;
      const rep = replay(sc, reach.trace);
      expect(rep.ok).toBe(true);
      if (!rep.ok) continue;
      expect(rep.frames.length).toBe(reach.steps);
      if (outcome === 'needless_kill') {
        expect(rep.final.needlessKill).toBe(true);
        // shortest: the last step is the one that killed needlessly
        expect(rep.frames.at(-1)!.events).toContainEqual({ type: 'outcome', outcome: 'needless_kill' });
      } else {
        expect(rep.final.outcome?.id).toBe(outcome);
      }
      expect(fingerprint(rep.final)).toBe(reach.fingerprint);
    }
  });
});
