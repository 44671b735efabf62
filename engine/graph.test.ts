import { describe, expect, it } from 'vitest';
import { nextBotMove, type BotKind } from './bots.js';
import { buildGraph, refereeView } from './graph.js';
import { initialState } from './state.js';
import { step } from './step.js';
import { KILL_VICTIM, play, scenario } from './testing.js';
import type { State } from './types.js';

describe('state graph and referee', () => {
  const sc = scenario('rfc-split-pgtables', 'driver-close');
  const g = buildGraph(sc);

  it('knows every reachable state and the distance to each outcome', () => {
    expect(g.size).toBe(g.result.states);
    const view = refereeView(g, initialState(sc));
    expect(view.known).toBe(true);
    expect(view.reachable).toEqual({ success: g.result.outcomes.success.reachable ? g.result.outcomes.success.steps : null, needless_kill: null, lockup: 18, oops: null, panic: null });
  });

  it('says when an outcome is no longer reachable', () => {
    // once the victim has called remove_vma on the driver VMA... it cannot: M is held. After the
    // victim frees page tables the allocator can still succeed only if the reaper did not hand over.
    const s = play(sc, [...KILL_VICTIM, 'victim:mmput', 'victim:unmap:0', 'victim:unmap:1', 'victim:down_write', 'victim:unlink_all', 'victim:mmap_null', 'victim:up_write', 'victim:free_pgtables', 'victim:remove_vma:0']).state;
    const view = refereeView(g, s);
    expect(view.reachable.success).toBeNull();
    expect(view.reachable.lockup).toBe(7); // R0 R1 R2 R4 R6, A1 A2
  });
});

describe('bots', () => {
  function runBots(bots: Record<string, BotKind>, target: 'lockup' | 'success', avoid: ('lockup' | 'oops' | 'needless_kill')[], seed = 7): State {
    const sc = scenario('rfc-split-pgtables', 'driver-close');
    const g = buildGraph(sc);
    let s = initialState(sc);
    let rng = seed;
    for (let k = 0; k < 200 && !s.outcome; k++) {
      const t = nextBotMove(g, s, bots, { target, avoid }, rng);
      rng = t.seed;
      if (!t.action) throw new Error('all bots waited with nobody else to move');
      const r = step(s, t.action);
      if (!r.ok) throw new Error(r.error.message);
      s = r.state;
    }
    return s;
  }

  it('adversaries reach the target outcome by a shortest path', () => {
    const s = runBots({ victim: 'adversary', reaper: 'adversary', allocator: 'adversary' }, 'lockup', []);
    expect(s.outcome?.id).toBe('lockup');
  });

  it('guardians avoid the lockup when they can', () => {
    const s = runBots({ victim: 'guardian', reaper: 'guardian', allocator: 'guardian' }, 'success', ['lockup']);
    expect(s.outcome?.id).toBe('success');
  });

  it('finds a locked-up state that step() reached, and shows it as the lockup', () => {
    const s = runBots({ victim: 'adversary', reaper: 'adversary', allocator: 'adversary' }, 'lockup', []);
    expect(s.outcome?.id).toBe('lockup');
    const view = refereeView(buildGraph(s.scenario), s);
    expect(view.known).toBe(true);
    expect(view.reachable.lockup).toBe(0);
    expect(view.reachable.success).toBeNull();
  });

  it('random bots are reproducible from their seed', () => {
    const a = runBots({ victim: 'random', reaper: 'random', allocator: 'random' }, 'success', [], 42);
    const b = runBots({ victim: 'random', reaper: 'random', allocator: 'random' }, 'success', [], 42);
    expect(a).toEqual(b);
  });

  it('a lazy bot waits while a human can move, and steps when nobody else can', () => {
    const sc = scenario('v4.19', 'pgtable-heavy');
    const g = buildGraph(sc);
    const s0 = initialState(sc);
    expect(nextBotMove(g, s0, { victim: 'lazy', reaper: 'lazy' }, { target: 'oops', avoid: [] }, 1).action).toBeNull();
    const waiting = play(sc, [...KILL_VICTIM, 'allocator:A1', 'allocator:A2']).state; // the human allocator is blocked in A3
    const t = nextBotMove(g, waiting, { victim: 'lazy', reaper: 'lazy' }, { target: 'oops', avoid: [] }, 1);
    expect(t.action).toEqual({ actor: 'victim', step: 'mmput' });
  });
});
