// The explorer cell's final states (the engine explorer's `listFinals`) are checked against
// a naive breadth-first search of our own over the public step()/legalActions(), on every
// reference scenario (the same final states, each at the same shortest length; every
// outcome state the engine names is among them), and coverage counts exactly what
// recorded runs reached. On a scaled question the report is reduced by symmetry and says
// so: the same outcomes and shortest lengths as the full search, its final states those of
// the full search up to swapping allocators, its traces real runs.

import { describe, expect, it } from 'vitest';
import {
  canonicalFingerprint, CONFIGS, explore, fingerprint, initialState, legalActions, makeScenario, referenceScenarios, replay, step, type Scenario, type State,
} from '../../engine/index.js';
import type { TraceRecord } from '../../protocol/notebook/doc.js';
import { coverage, exploreReport, finalStates, isPlayable, resolveScenario, scenarioKey, symmetryLine } from './coverage.js';

const record = (scenario: Scenario, actions: TraceRecord['actions'], room: string): TraceRecord => {
  const r = replay(scenario, actions);
  if (!r.ok || !r.outcome) throw new Error('not a finished run');
  return {
    v: 1, traceId: '', room, classCode: null, lesson: null, run: 1, scenario, actions, by: actions.map(() => 'Ada'),
    outcome: r.outcome.id, needlessKill: r.needlessKill, verdict: 'none', players: {}, startedAt: '', finishedAt: '',
  };
};

/** Final states by fingerprint → shortest steps, by a naive BFS over State objects. */
function naiveFinals(sc: Scenario): Map<string, number> {
  const seen = new Set<string>([fingerprint(initialState(sc))]);
  const finals = new Map<string, number>();
  let frontier: State[] = [initialState(sc)];
  for (let depth = 0; frontier.length; depth++) {
    const next: State[] = [];
    for (const s of frontier) {
      if (s.outcome) { finals.set(fingerprint(s), depth); continue; }
      for (const a of legalActions(s)) {
        const r = step(s, a);
        if (!r.ok) throw new Error(r.error.message);
        const f = fingerprint(r.state);
        if (!seen.has(f)) { seen.add(f); next.push(r.state); }
      }
    }
    frontier = next;
  }
  return finals;
}

describe('explorer cell computations', () => {
  it('lists the same final states at the same shortest lengths as a naive search, on all reference scenarios', () => {
    for (const s of referenceScenarios()) {
      const engine = explore(s);
      const ours = finalStates(s);
      expect(ours.complete).toBe(true);
      expect(ours.finals.length, `${s.variant} × ${s.config.id}`).toBe(engine.finalStates);
      expect(new Map(ours.finals.map((f) => [f.fingerprint, f.steps])), `${s.variant} × ${s.config.id}`).toEqual(naiveFinals(s));
      const prints = new Set(ours.finals.map((f) => f.fingerprint));
      expect(prints.size).toBe(ours.finals.length);
      for (const o of ['success', 'oops', 'lockup', 'panic'] as const) {
        const r = engine.outcomes[o];
        if (r.reachable) expect(prints.has(r.fingerprint), `${s.variant} × ${s.config.id} ${o}`).toBe(true);
      }
    }
  });

  it('the shortest run to each final state replays to it', () => {
    const s = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
    for (const f of finalStates(s).finals) {
      const r = replay(s, f.trace!);
      expect(r.ok && r.outcome?.id).toBe(f.outcome);
    }
  });

  it('answers "what if the reaper retried only once?" as a different scenario', () => {
    const base = resolveScenario({ variant: 'v4.19', config: 'mlocked', overrides: {} }) as Scenario;
    const once = resolveScenario({ variant: 'v4.19', config: 'mlocked', overrides: { maxAttempts: 1 } }) as Scenario;
    expect(once.config.maxAttempts).toBe(1);
    expect(scenarioKey(base)).not.toBe(scenarioKey(once));
    expect(scenarioKey(base)).toBe(scenarioKey({ variant: 'v4.19', config: { ...CONFIGS.mlocked, id: 'renamed', title: 'x' } }));
    expect(resolveScenario({ variant: 'v4.19', config: 'mlocked', overrides: { free: 250 } })).toMatch(/must not exceed/);
  });

  it('coverage counts the outcomes and distinct final states recorded runs reached, per room', () => {
    const s = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
    const report = exploreReport(s);
    const oops = report.outcomes.oops;
    const success = report.outcomes.success;
    if (!oops.reachable || !success.reachable) throw new Error('expected oops and success');
    const other = makeScenario('v4.19', 'mlocked') as Scenario;
    const otherRun = explore(other).outcomes.success;
    if (!otherRun.reachable) throw new Error('expected success');
    const runs = [record(s, oops.trace, 'AAAA'), record(s, oops.trace, 'BBBB'), record(s, success.trace, 'BBBB'), record(other, otherRun.trace, 'CCCC')];
    const c = coverage(report, runs);
    expect(c.runs).toBe(4);
    expect(c.matching).toBe(3);
    expect(c.finals.found).toBe(2);
    expect(c.finals.total).toBe(report.finals.length);
    expect(c.finals.byOutcome.oops.found).toBe(1);
    expect(c.outcomes.find((o) => o.id === 'oops')).toEqual({ id: 'oops', reachable: true, shortest: oops.steps, runs: 2 });
    expect(c.byRoom).toEqual([
      { room: 'AAAA', runs: 1, outcomes: ['oops'], finals: 1 },
      { room: 'BBBB', runs: 2, outcomes: ['success', 'needless_kill', 'oops'], finals: 2 }, // this shortest success passes a needless kill
    ]);
  });

  describe('a scaled question (four interchangeable allocators, two bystanders)', () => {
    const q = { variant: 'v4.19', config: 'pgtable-heavy', overrides: { need: [3, 3, 3, 3], bystanders: [4, 4], maxAttempts: 4 } } as const;
    const s = resolveScenario({ ...q, overrides: { ...q.overrides, need: [...q.overrides.need], bystanders: [...q.overrides.bystanders] } }) as Scenario;
    const reduced = exploreReport(s);
    const full = exploreReport(s, 1_000_000, undefined, false);

    it('is reduced by symmetry, with the outcomes and shortest lengths of the full search', () => {
      expect(reduced.symmetry).toEqual([['allocator1', 'allocator2', 'allocator3', 'allocator4']]);
      expect(full.symmetry).toBeUndefined();
      expect(reduced.complete && full.complete).toBe(true);
      const shortest = (r: typeof full) => Object.entries(r.outcomes).map(([o, x]) => [o, x.reachable ? x.steps : null]);
      expect(shortest(reduced)).toEqual(shortest(full));
      expect(reduced.depth).toBe(full.depth);
      expect(reduced.states * 4).toBeLessThan(full.states);
    });

    it('lists one final state per orbit of the full search\'s final states', () => {
      const all = explore(s, { listFinals: true, finalTraceLimit: Infinity }).finals!;
      const finalOf = (trace: TraceRecord['actions']) => { const r = replay(s, trace); if (!r.ok) throw new Error(r.error.message); return r.final; };
      const orbits = new Set(all.map((f) => canonicalFingerprint(finalOf(f.trace!))));
      expect(all.length).toBe(full.finals.length);
      expect(reduced.finals.length).toBeLessThan(all.length);
      expect(new Set(reduced.finals.map((f) => f.fingerprint))).toEqual(orbits);
      expect(reduced.finals.length).toBe(orbits.size);
    });

    it('returns real runs: each outcome\'s trace replays to it', () => {
      for (const [o, reach] of Object.entries(reduced.outcomes)) {
        if (!reach.reachable) continue;
        const r = replay(s, reach.trace);
        if (!r.ok) throw new Error(`${o}: ${r.error.message}`);
        if (o === 'needless_kill') expect(r.needlessKill).toBe(true);
        else expect(r.outcome?.id).toBe(o);
      }
    });

    it('coverage finds a recorded run\'s final state among the orbits, however its allocators were numbered', () => {
      // A final state whose run, with allocators 1 and 4 swapped, ends in another state of the same orbit.
      const swap = (a: string) => (a === 'allocator1' ? 'allocator4' : a === 'allocator4' ? 'allocator1' : a);
      const pair = reduced.finals.map((f) => {
        const swapped = f.trace!.map((a) => ({ ...a, actor: swap(a.actor) as typeof a.actor }));
        const r = replay(s, swapped);
        const own = replay(s, f.trace!);
        return { f, swapped, differs: r.ok && own.ok && fingerprint(r.final) !== fingerprint(own.final) };
      }).find((x) => x.differs);
      if (!pair) throw new Error('expected a final state that is not symmetric in allocators 1 and 4');
      const c = coverage(reduced, [record(s, pair.f.trace!, 'AAAA'), record(s, pair.swapped, 'BBBB')]);
      expect(c.matching).toBe(2);
      expect(c.found).toEqual([pair.f.fingerprint]);
      expect(c.finals.found).toBe(1);
      expect(c.finals.total).toBe(reduced.finals.length);
    });

    it('says so in one line, in the engine\'s counts, and is not offered to the game', () => {
      expect(symmetryLine(reduced)).toBe(`Reduced by symmetry: ${reduced.states.toLocaleString('en')} states (one per orbit) and ${reduced.finals.length} final states up to swapping interchangeable allocators (Allocators 1–4: equal need).`);
      expect(symmetryLine(full)).toBe('');
      expect(isPlayable({ variant: 'v4.19', config: 'pgtable-heavy', overrides: { ...q.overrides, need: [...q.overrides.need], bystanders: [...q.overrides.bystanders] } })).toBe(false);
      expect(isPlayable({ variant: 'v4.19', config: 'pgtable-heavy', overrides: { bystanders: [4, 4] } })).toBe(false);
      expect(isPlayable({ variant: 'v4.19', config: 'pgtable-heavy', overrides: { maxAttempts: 1 } })).toBe(true);
    });
  });

  it('searches a lesson\'s scenario (one allocator) as it is: no symmetry line', () => {
    const r = exploreReport(makeScenario('rfc-v1', 'pgtable-heavy') as Scenario);
    expect(r.symmetry).toBeUndefined();
    expect(r.states).toBe(explore(makeScenario('rfc-v1', 'pgtable-heavy') as Scenario).states);
  });
});
