// applyGameStep takes a delta only on top of the view it was made from, and GameFollower
// resyncs instead of guessing (server/step-delta.test.ts checks the deltas against the
// server's whole views over many runs).

import { describe, expect, it } from 'vitest';
import { enabledActions, initialState, makeScenario, step, type Scenario } from '../engine/index.js';
import type { GameStep, GameView } from './events.js';
import { applyGameStep, GameFollower } from './game-step.js';

const scenario = makeScenario('rfc-v1', 'pgtable-heavy', {}) as Scenario;
const referee = { known: false, reachable: { success: null, lockup: null, oops: null, panic: null, needless_kill: null }, nearest: null } as GameView['referee'];

function view0(code = 'ABCDEF', run = 1, version = 0): GameView {
  const state = initialState(scenario);
  return { code, version, run, state, choices: enabledActions(state), actions: [], events: [], referee, result: null };
}

/** The delta of the view's first enabled step, as a server would send it. */
function deltaOf(g: GameView): GameStep {
  const c = g.choices.find((x) => x.enabled)!;
  const r = step(g.state, { actor: c.actor, step: c.step });
  if (!r.ok) throw new Error(r.error.message);
  return { code: g.code, version: g.version + 1, run: g.run, step: { actor: c.actor, step: c.step, by: { kind: 'bot', bot: 'lazy' } }, events: r.events, referee, result: null };
}

describe('applyGameStep', () => {
  it('applies a delta to the view it follows: the engine gives the state and choices, the step is appended', () => {
    const g = view0();
    const d = deltaOf(g);
    const next = applyGameStep(g, d)!;
    const r = step(g.state, { actor: d.step.actor, step: d.step.step });
    if (!r.ok) throw new Error('refused');
    expect(next).toEqual({ ...g, version: 1, state: r.state, choices: enabledActions(r.state), actions: [d.step], events: d.events });
    expect(g.actions).toEqual([]);
  });

  it('refuses a delta with no view, of another room or run, across a version gap, or that the engine refuses', () => {
    const g = view0();
    const d = deltaOf(g);
    expect(applyGameStep(null, d)).toBeNull();
    expect(applyGameStep(view0('OTHER1'), d)).toBeNull();
    expect(applyGameStep(view0('ABCDEF', 2), d)).toBeNull();
    expect(applyGameStep(g, { ...d, version: 2 })).toBeNull();
    expect(applyGameStep(g, { ...d, version: 0 })).toBeNull();
    expect(applyGameStep(g, { ...d, step: { ...d.step, step: 'no-such-step' } })).toBeNull();
  });
});

describe('GameFollower', () => {
  it('applies deltas that follow, drops ones it holds, and resyncs once on a gap, holding what comes meanwhile', async () => {
    const g0 = view0();
    const g1 = applyGameStep(g0, deltaOf(g0))!;
    const g2 = applyGameStep(g1, deltaOf(g1))!;
    const g3 = applyGameStep(g2, deltaOf(g2))!;
    let answer!: (g: GameView) => void;
    const asked: string[] = [];
    const seen: number[] = [];
    const f = new GameFollower({
      sync: (code) => { asked.push(code); return new Promise((r) => { answer = r; }); },
      changed: (g) => seen.push(g.version),
    });
    f.step(deltaOf(g0));
    expect(asked).toEqual(['ABCDEF']); // no view yet: resync
    answer(g0);
    await Promise.resolve();
    await Promise.resolve();
    expect(f.view).toEqual(g0);
    f.step(deltaOf(g0));
    expect(f.view).toEqual(g1);
    f.step(deltaOf(g0)); // a duplicate
    expect(f.view).toEqual(g1);
    f.step(deltaOf(g2)); // a gap: v3 on v1
    expect(asked).toHaveLength(2);
    f.step(deltaOf(g3)); // held while syncing
    answer(g3);
    await new Promise((r) => setTimeout(r, 0));
    expect(f.view!.version).toBe(4);
    expect(f.syncs).toBe(2);
    expect(seen).toEqual([0, 1, 3, 4]);
    f.full(g2); // an older whole view is a late duplicate
    expect(f.view!.version).toBe(4);
  });

  it('holds the deltas that come while a join is on its way, then applies them on the join\'s view', () => {
    const g0 = view0();
    const g1 = applyGameStep(g0, deltaOf(g0))!;
    const g2 = applyGameStep(g1, deltaOf(g1))!;
    const asked: string[] = [];
    const seen: number[] = [];
    const f = new GameFollower({
      sync: (code) => { asked.push(code); return new Promise(() => {}); },
      changed: (g) => seen.push(g.version),
    });
    f.joining();
    f.step(deltaOf(g0)); // v1: the join's view will hold it already
    f.step(deltaOf(g1)); // v2: follows the join's view
    expect(f.view).toBeNull();
    f.joined(g1);
    expect(f.view).toEqual(g2);
    expect(seen).toEqual([2]); // the join's view itself is the caller's to show
    expect(asked).toEqual([]); // nothing was a gap
    f.joined(g0); // a join's view replaces the one held, whatever its version
    expect(f.view).toEqual(g0);
  });
});
