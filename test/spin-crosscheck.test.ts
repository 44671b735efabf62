// Cross-check: the engine's explorer against an independent Promela model run by SPIN
// (bench/spin/). For all 50 reference scenarios both must agree on which outcomes are reachable
// and on the length of a shortest trace to each, and their state graphs must have the same
// number of states and transitions. A few scaled scenarios (REFERENCE §6: several allocators and
// bystanders, the shapes the benchmark uses) are checked the same way. The SPIN side is also
// pinned to bench/spin/expected-outcomes.json so that a change to either model shows up as a diff.
//
// Needs `spin` and `gcc` on PATH (npm test installs them first: test/ensure-tools.sh); compiled pan binaries are cached
// under bench/spin/out/cache, so only the first run pays for the compilations (-O0: these state
// spaces are tiny, compile time is all that matters).

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';

import { CONFIGS, scaledConfig } from '../engine/configs.js';
import { explore } from '../engine/explorer.js';
import type { Config, OutcomeId, VariantId } from '../engine/types.js';
import { CONFIG_IDS, OUTCOMES, VARIANT_IDS } from '../engine/types.js';
import expectedJson from '../bench/spin/expected-outcomes.json';
import { spinOutcomesAsync, type ExpectedOutcomes, type SpinOutcomes } from '../bench/spin/run-spin.js';

const expected = expectedJson as ExpectedOutcomes;
// npm test's first step installs Debian's spin and gcc; without them this suite fails rather than passing silently.
const missing = ['spin', 'gcc'].filter((t) => spawnSync(t, [t === 'spin' ? '-V' : '--version']).status !== 0);

/** outcome → shortest steps, or 'unreachable'. */
type Summary = Record<OutcomeId, number | 'unreachable'>;

interface Case {
  key: string;
  variant: VariantId;
  config: Config;
}

const REFERENCE: Case[] = VARIANT_IDS.flatMap((variant) => CONFIG_IDS.map((c) => ({ key: `${variant}/${c}`, variant, config: CONFIGS[c] })));
const SCALED: Case[] = VARIANT_IDS.flatMap((variant) =>
  [
    scaledConfig(CONFIGS['mlocked'], { allocators: 2, bystanders: 2, vmas: 3 }),
    scaledConfig(CONFIGS['driver-close'], { allocators: 2, bystanders: 2 }),
    scaledConfig(CONFIGS['no-escape'], { allocators: 2, bystanders: 2, vmas: 2 }),
  ].map((config) => ({ key: `${variant}/${config.id}`, variant, config })),
);

function summary(outcomes: Record<OutcomeId, { reachable: boolean; steps?: number }>): Summary {
  return Object.fromEntries(OUTCOMES.map((o) => [o, outcomes[o].reachable ? outcomes[o].steps! : 'unreachable'])) as Summary;
}

describe('SPIN cross-check', () => {
  it('has spin and gcc to run (apt-get install spin gcc)', () => {
    expect(missing).toEqual([]);
  });

  const spin = new Map<string, SpinOutcomes>();

  beforeAll(async () => {
    await Promise.all(
      [...REFERENCE, ...SCALED].map(async (c) => spin.set(c.key, await spinOutcomesAsync(c.variant, c.config, { optimize: '-O0' }))),
    );
  }, 300_000);

  const spinResult = (key: string): SpinOutcomes => {
    const r = spin.get(key);
    if (!r) throw new Error(`no SPIN result for ${key}`);
    return r;
  };

  it('SPIN still gives the recorded results (bench/spin/expected-outcomes.json)', () => {
    expect(Object.keys(expected).sort()).toEqual(REFERENCE.map((s) => s.key).sort());
    for (const { key } of REFERENCE) expect(summary(spinResult(key).outcomes), key).toEqual(summary(expected[key]!));
  });

  const agree = ({ variant, config, key }: Case) => {
    const r = explore({ variant, config }, { maxStates: 5_000_000 });
    expect(r.complete, `${key}: the explorer did not finish`).toBe(true);
    const s = spinResult(key);
    expect(summary(r.outcomes as Record<OutcomeId, { reachable: boolean; steps?: number }>), `${key}: outcomes and shortest steps`).toEqual(summary(s.outcomes));
    // Both models store exactly the reference state (SPIN runs with -o2, keeping write-only
    // variables), so the reachable state graphs must have the same size too. A difference here
    // with equal outcomes means one side keeps something the other does not (e.g. a stale loop
    // index): harmless for the lessons, but it skews the benchmark comparison.
    expect({ states: r.states, transitions: r.transitions }, `${key}: size of the state graph`).toEqual({ states: s.states, transitions: s.transitions });
  };

  describe('the 50 reference scenarios', () => {
    it.each(REFERENCE)('$key', agree);
  });

  describe('scaled scenarios (REFERENCE §6)', () => {
    it.each(SCALED)('$key', agree);
  });
});
