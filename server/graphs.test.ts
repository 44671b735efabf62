import { afterEach, describe, expect, it } from 'vitest';
import {
  buildGraph, buildGraphParts, enabledActions, initialState, makeScenario, OUTCOMES, step, type GraphParts, type Scenario,
} from '../engine/index.js';
import type { Clock } from './clock.js';
import { workerGraphBuilder, type GraphBuilder } from './graph-builder.js';
import { GraphCache } from './graphs.js';

const custom = (maxAttempts: number): Scenario => {
  const s = makeScenario('tetsuo-timeout', 'mlocked', { maxAttempts });
  if ('message' in s) throw new Error(String(s.message));
  return s as Scenario;
};

/** A clock the test moves. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000_000;
  return {
    now: () => t,
    advance(ms: number) { t += ms; },
    setTimeout: () => ({ cancel() {} }),
    defer: (fn: () => void) => { queueMicrotask(fn); },
  } as unknown as Clock & { advance(ms: number): void };
}

/** A builder whose builds finish when the test says so. */
function heldBuilder(): GraphBuilder & { release(): void; started: number } {
  const held: (() => void)[] = [];
  const b = {
    started: 0,
    build(s: Scenario, max: number) {
      b.started++;
      return new Promise<GraphParts>((resolve) => {
        held.push(() => resolve(buildGraphParts(s, max)));
      });
    },
    release() { for (const r of held.splice(0)) r(); },
    stop: () => Promise.resolve(),
  };
  return b;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const s of stops.splice(0)) await s(); });

describe('GraphCache', () => {
  it('builds a new scenario in the worker: the same graph as one built here, and the event loop runs meanwhile', async () => {
    const builder = workerGraphBuilder();
    stops.push(() => builder.stop());
    const cache = new GraphCache({ builder });
    const s = custom(12);
    let turns = 0;
    const spin = setInterval(() => { turns++; }, 0);
    const ready = await cache.prepare(s);
    clearInterval(spin);
    expect(ready).toEqual({ ok: true });
    expect(turns).toBeGreaterThan(0);
    expect(cache.stats).toMatchObject({ builds: 1, inlineBuilds: 0 });
    const g = cache.get(s);
    const here = buildGraph(s, 300_000);
    expect(g.size).toBe(here.size);
    expect(Array.from(g.targets)).toEqual(Array.from(here.targets));
    for (const o of OUTCOMES) expect(Array.from(g.distance[o])).toEqual(Array.from(here.distance[o]));
    // States are found by their encoding in the handed-over table.
    let st = initialState(s);
    for (let i = 0; i < 6; i++) {
      const c = enabledActions(st).find((a) => a.enabled);
      if (!c) break;
      const r = step(st, { actor: c.actor, step: c.step });
      if (!r.ok) break;
      st = r.state;
      expect(g.indexOf(st)).toBe(here.indexOf(st));
      expect(g.indexOf(st)).toBeGreaterThanOrEqual(0);
    }
    expect(Array.from(g.safeDistance(['panic']))).toEqual(Array.from(here.safeDistance(['panic'])));
    expect(cache.stats.inlineBuilds).toBe(0);
  });

  it('is bounded by bytes: cold graphs go first, hot graphs stay, and a new scenario is busy when hot ones fill the budget', async () => {
    const clock = manualClock();
    const one = buildGraph(custom(3), 300_000).bytes;
    const builder = heldBuilder();
    const cache = new GraphCache({ clock, builder, budgetBytes: one * 2.5, hotMs: 60_000, maxPending: 8 });
    const ready = async (s: Scenario) => { const p = cache.prepare(s); builder.release(); return p; };
    expect(await ready(custom(3))).toEqual({ ok: true });
    expect(await ready(custom(4))).toEqual({ ok: true });
    clock.advance(61_000); // both cold now
    cache.get(custom(3)); // 3 is hot again
    expect(await ready(custom(5))).toEqual({ ok: true });
    expect(cache.has(custom(4))).toBe(false); // the cold one went
    expect(cache.has(custom(3))).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(one * 2.5 + buildGraph(custom(5), 300_000).bytes);
    // Everything cached is hot and fills the budget: a new scenario is refused, nothing cached changes.
    expect(await ready(custom(6))).toMatchObject({ ok: false });
    const held = cache.size;
    const r = await ready(custom(7));
    expect(r).toMatchObject({ ok: false, reason: 'memory' });
    expect(cache.size).toBe(held);
    expect(cache.has(custom(7))).toBe(false);
  });

  it('answers busy when builds are queued, and one build serves everyone asking for the same scenario', async () => {
    const builder = heldBuilder();
    const cache = new GraphCache({ builder, maxPending: 2 });
    const a = cache.prepare(custom(3));
    const a2 = cache.prepare(custom(3));
    const b = cache.prepare(custom(4));
    expect(await cache.prepare(custom(5))).toEqual({ ok: false, reason: 'queue' });
    expect(builder.started).toBe(2);
    builder.release();
    expect(await Promise.all([a, a2, b])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(cache.stats).toMatchObject({ builds: 2, busy: 1 });
    const later = cache.prepare(custom(5));
    builder.release();
    expect(await later).toEqual({ ok: true });
  });
});
