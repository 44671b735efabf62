// The explorer question's schema: scaled scenarios (the allocators' needs, the bystanders)
// within the encoding's bounds, each refusal with its own message; and explorerScenarioOf
// names a scaled config by its base and overrides.

import { describe, expect, it } from 'vitest';
import { CONFIGS, makeScenario, scaledConfig, type Scenario } from '../../engine/index.js';
import { ExplorerScenarioSchema, explorerScenarioOf } from './doc.js';

const question = (overrides: Record<string, unknown>) => ({ variant: 'v4.19', config: 'pgtable-heavy', overrides });
const errors = (overrides: Record<string, unknown>) => {
  const r = ExplorerScenarioSchema.safeParse(question(overrides));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the explorer question schema', () => {
  it('accepts 1 to 8 allocators with their needs, and 0 to 8 bystanders', () => {
    expect(errors({ need: [3] })).toEqual([]);
    expect(errors({ need: [3, 3, 3, 3, 3, 3, 3, 3], bystanders: [4, 4], maxAttempts: 4 })).toEqual([]);
    expect(errors({ need: [1, 255], bystanders: [] })).toEqual([]);
    expect(errors({ bystanders: [0, 1, 2, 3, 4, 5, 6, 7] })).toEqual([]);
  });

  it('refuses other counts and needs, each with a message that says what is allowed', () => {
    expect(errors({ need: [] })).toEqual(['overrides.need: a scenario has 1 to 8 allocators']);
    expect(errors({ need: [3, 3, 3, 3, 3, 3, 3, 3, 3] })).toEqual(['overrides.need: a scenario has 1 to 8 allocators']);
    expect(errors({ need: [0] })).toEqual(['overrides.need.0: an allocator needs at least 1 page']);
    expect(errors({ need: [3, 256] })).toEqual(['overrides.need.1: an allocator needs at most 255 pages']);
    expect(errors({ need: [2.5] })).toEqual(["overrides.need.0: an allocator's need must be a whole number of pages"]);
    expect(errors({ need: ['3'] })).toEqual(["overrides.need.0: an allocator's need must be a whole number of pages"]);
    expect(errors({ bystanders: [1, 1, 1, 1, 1, 1, 1, 1, 1] })).toEqual(['overrides.bystanders: a scenario has at most 8 bystanders']);
    expect(errors({ bystanders: [-1] })).toEqual(["overrides.bystanders.0: a bystander's RSS cannot be negative"]);
    expect(errors({ bystanders: [300] })).toEqual(['overrides.bystanders.0: a bystander holds at most 255 pages']);
    expect(errors({ vmas: [] })).toHaveLength(1); // the layout itself is not an override
  });

  it('keeps the scalar overrides bounded as the engine bounds them', () => {
    expect(errors({ maxAttempts: 0 })).toHaveLength(1);
    expect(errors({ maxAttempts: 60, stallLimit: 0, deadline: 60, free: 255, keepAbove: 0, pgtables: 0, mHeld: true })).toEqual([]);
  });
});

describe('explorerScenarioOf', () => {
  it('names a reference config by its id', () => {
    expect(explorerScenarioOf({ variant: 'rfc-v1', config: CONFIGS.mlocked })).toEqual({ variant: 'rfc-v1', config: 'mlocked', overrides: {} });
  });

  it('names a scaled config (more allocators and bystanders) by its base and overrides, which resolve to the same values', () => {
    const config = scaledConfig(CONFIGS['pgtable-heavy'], { allocators: 6, bystanders: 2, maxAttempts: 4 });
    const q = explorerScenarioOf({ variant: 'v4.19', config });
    expect(q).toEqual({ variant: 'v4.19', config: 'pgtable-heavy', overrides: { maxAttempts: 4, need: [3, 3, 3, 3, 3, 3], bystanders: [4, 4] } });
    expect(ExplorerScenarioSchema.safeParse(q).success).toBe(true);
    const again = makeScenario(q.variant, q.config, q.overrides) as Scenario;
    const { id: _a, title: _b, ...values } = again.config;
    const { id: _c, title: _d, ...expected } = config;
    expect(values).toEqual(expected);
  });

  it('keeps whole a scaled config whose layout changed, and any config of its own', () => {
    const more = scaledConfig(CONFIGS.mlocked, { allocators: 2, vmas: 3 });
    expect(explorerScenarioOf({ variant: 'v4.19', config: more }).config).toEqual(more);
    const own = { ...CONFIGS.mlocked, id: 'lesson-own', free: 1 };
    expect(explorerScenarioOf({ variant: 'v4.19', config: own }).config).toEqual(own);
  });
});
