// The symmetry-reduced search answers as the unreduced one on every member of the
// benchmark's family: the same outcome set, the same shortest length per outcome, the same
// BFS depth, with far fewer states; and every trace it returns replays through step() to the
// outcome it names. (engine/symmetry.test.ts checks the reduction orbit by orbit on smaller
// scenarios.) Here the quick family: the unreduced a7-v2 and a8 (10.6 and 22.9 million
// states) would hold a test worker's thread past vitest's own RPC timeout, so those two are
// compared by `npm run bench:explorer -- --symmetry`, which stops on any difference.

import { describe, expect, it } from 'vitest';
import { explore, fingerprint, OUTCOMES, replay, type ExploreResult, type Scenario } from '../engine/index.js';
import { QUICK_FAMILY } from './family.js';

const shortest = (r: ExploreResult) => OUTCOMES.map((o) => { const x = r.outcomes[o]; return `${o} ${x.reachable ? x.steps : '–'}`; });

describe('the symmetry-reduced search on the benchmark family', () => {
  it.each(QUICK_FAMILY.map((m) => [m.name, m] as const))('%s: same outcomes and shortest lengths as the unreduced search; traces replay', (_name, m) => {
    const sc: Scenario = { variant: m.variant, config: m.config };
    const full = explore(sc, { maxStates: 60_000_000 });
    const reduced = explore(sc, { maxStates: 60_000_000, symmetry: true });
    expect(full.complete && reduced.complete).toBe(true);
    expect(shortest(reduced)).toEqual(shortest(full));
    expect(reduced.depth).toBe(full.depth);
    expect(reduced.symmetry).toEqual([m.config.need.map((_, k) => `allocator${k + 1}`)]);
    expect(reduced.states * 10).toBeLessThan(full.states);
    for (const [o, reach] of Object.entries(reduced.outcomes)) {
      if (!reach.reachable) continue;
      const rep = replay(sc, reach.trace);
      if (!rep.ok) throw new Error(`${m.name}: the ${o} trace does not replay: ${rep.error.message}`);
      expect(rep.frames.length).toBe(reach.steps);
      if (o === 'needless_kill') expect(rep.final.needlessKill).toBe(true);
      else expect(rep.final.outcome?.id).toBe(o);
      expect(fingerprint(rep.final)).toBe(reach.fingerprint);
    }
  }, 120_000);
});
