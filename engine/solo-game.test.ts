import { describe, expect, it } from 'vitest';
import { botMoveChoices, nextBotMove, type BotGoals, type BotKind } from './bots.js';
import { buildGraph } from './graph.js';
import { exploreSoloGame, matchesStep, soloMoves } from './solo-game.js';
import { initialState } from './state.js';
import { step } from './step.js';
import { KILL_VICTIM, play, scenario } from './testing.js';
import type { Action, State } from './types.js';

const key = (a: Action | null) => (a ? `${a.actor}:${a.step}` : 'wait');

describe('botMoveChoices lists exactly what the seeded bots can do', () => {
  const sc = scenario('rfc-final', 'pgtable-heavy');
  const g = buildGraph(sc);
  const goals: BotGoals = { target: 'needless_kill', avoid: ['needless_kill'] };
  // a few states along a run: before the kill, while the allocator can move, while it waits
  const states: State[] = [
    initialState(sc),
    play(sc, [...KILL_VICTIM]).state,
    play(sc, [...KILL_VICTIM, 'allocator:A1', 'allocator:A2']).state,
    play(sc, [...KILL_VICTIM, 'victim:mmput', 'reaper:R0']).state,
  ];
  const seatings: Record<string, BotKind>[] = [
    { victim: 'random', reaper: 'random' },
    { victim: 'lazy', reaper: 'random' },
    { victim: 'guardian', reaper: 'random' },
    { victim: 'random', reaper: 'random', allocator: 'adversary' },
    { victim: 'lazy', reaper: 'lazy' },
  ];

  it.each(seatings.map((b) => [JSON.stringify(b), b] as const))('%s', (_name, bots) => {
    for (const s of states) {
      const listed = botMoveChoices(g, s, bots, goals);
      const expected = new Set([...listed.actions.map(key), ...(listed.mayWait ? ['wait'] : [])]);
      const seen = new Set<string>();
      for (let seed = 1; seed <= 400; seed++) seen.add(key(nextBotMove(g, s, bots, goals, seed * 2654435761 >>> 0).action));
      // every seeded decision is listed, and every listed decision happens for some seed
      expect([...seen].sort()).toEqual([...expected].sort());
    }
  });
});

describe('the solo game', () => {
  it('with every seat human, it is the explorer: the same shortest lengths', () => {
    for (const [v, c, o] of [['v4.19', 'mlocked', 'needless_kill'], ['rfc-split-pgtables', 'driver-close', 'lockup'], ['v4.14', 'mlocked', 'oops']] as const) {
      const g = buildGraph(scenario(v, c));
      const r = exploreSoloGame(g, { bots: {}, botGoals: { target: o, avoid: [o] }, goal: { reach: o, avoid: [] } });
      const ex = g.result.outcomes[o];
      expect(ex.reachable).toBe(true);
      expect(r.shortest?.steps).toBe(ex.reachable ? ex.steps : -1);
      expect(r.complete).toBe(true);
    }
  });

  it('every run it returns is a run the engine accepts, and bots only make moves their policy allows', () => {
    const g = buildGraph(scenario('rfc-final', 'pgtable-heavy'));
    const bots = { victim: 'lazy', reaper: 'random' } as const;
    const botGoals: BotGoals = { target: 'needless_kill', avoid: ['needless_kill'] };
    const r = exploreSoloGame(g, { bots, botGoals, goal: { reach: 'needless_kill', avoid: [] } });
    expect(r.shortest).not.toBeNull();
    let s = initialState(g.scenario);
    for (const a of r.shortest!.trace) {
      expect(soloMoves(g, s, bots, botGoals).map(key)).toContain(key(a));
      const next = step(s, a);
      if (!next.ok) throw new Error(next.error.message);
      s = next.state;
    }
    expect(s.needlessKill).toBe(true);
  });

  it('a lazy bot never moves while another actor can: a lazy victim beside a random reaper never reaches mmput', () => {
    const g = buildGraph(scenario('tetsuo-timeout', 'mlocked'));
    const r = exploreSoloGame(g, {
      bots: { victim: 'lazy', reaper: 'random' },
      botGoals: { target: 'needless_kill', avoid: ['needless_kill'] },
      goal: { reach: 'needless_kill', avoid: [] },
      through: [{ role: 'victim', step: 'mmput' }],
    });
    expect(r.shortest).not.toBeNull();
    expect(r.shortestThrough).toBeNull();
    // with the victim's seat human, the same run through mmput exists
    const human = exploreSoloGame(g, {
      bots: { reaper: 'random' },
      botGoals: { target: 'needless_kill', avoid: ['needless_kill'] },
      goal: { reach: 'needless_kill', avoid: [] },
      through: [{ role: 'victim', step: 'mmput' }],
    });
    expect(human.shortestThrough).not.toBeNull();
  });

  it('a required step that the shortest run skips makes a longer run, or none', () => {
    const g = buildGraph(scenario('v4.19', 'pgtable-heavy'));
    const base = { bots: {}, botGoals: { target: 'needless_kill', avoid: ['needless_kill'] } as BotGoals, goal: { reach: 'needless_kill' as const, avoid: [] } };
    const plain = exploreSoloGame(g, base);
    const viaReaper = exploreSoloGame(g, { ...base, through: [{ role: 'reaper', step: 'R6' }] });
    expect(viaReaper.shortestThrough!.steps).toBeGreaterThan(plain.shortest!.steps);
    expect(viaReaper.shortestThrough!.trace.some((a) => a.actor === 'reaper' && a.step === 'R6')).toBe(true);
    const never = exploreSoloGame(g, { ...base, through: [{ role: 'victim', step: 'exit_done' }] });
    expect(never.shortestThrough).toBeNull();
  });

  it('an avoid goal wins only by a success that never showed the avoided outcome', () => {
    const g = buildGraph(scenario('v4.19', 'mlocked'));
    const r = exploreSoloGame(g, { bots: {}, botGoals: { target: 'needless_kill', avoid: ['needless_kill'] }, goal: { reach: 'success', avoid: ['needless_kill'] } });
    let s = initialState(g.scenario);
    for (const a of r.shortest!.trace) s = (step(s, a) as { state: State }).state;
    expect(s.outcome?.id).toBe('success');
    expect(s.needlessKill).toBe(false);
  });

  it('matches per-VMA steps with or without the VMA', () => {
    expect(matchesStep({ actor: 'victim', step: 'self_reap:1' }, { role: 'victim', step: 'self_reap' })).toBe(true);
    expect(matchesStep({ actor: 'victim', step: 'self_reap:1' }, { role: 'victim', step: 'self_reap', vma: 0 })).toBe(false);
    expect(matchesStep({ actor: 'allocator1', step: 'A2' }, { role: 'allocator', step: 'A2' })).toBe(true);
    expect(matchesStep({ actor: 'reaper', step: 'A2' }, { role: 'allocator', step: 'A2' })).toBe(false);
  });
});
