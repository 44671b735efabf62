import { describe, expect, it } from 'vitest';
import { isScenarioError, makeScenario, referenceScenarios } from './scenario.js';

describe('makeScenario', () => {
  it('names the 50 reference scenarios', () => {
    expect(referenceScenarios()).toHaveLength(50);
  });

  it('gives differently overridden configs different, stable ids', () => {
    const a = makeScenario('v4.19', 'pgtable-heavy', { maxAttempts: 1 });
    const b = makeScenario('v4.19', 'pgtable-heavy', { maxAttempts: 2 });
    const c = makeScenario('v4.19', 'pgtable-heavy', { vmas: [{ kind: 'anon', pages: 2, locked: false, close: 'none' }] });
    const d = makeScenario('v4.19', 'pgtable-heavy', { vmas: [{ kind: 'anon', pages: 3, locked: false, close: 'none' }] });
    const ids = [a, b, c, d].map((x) => (isScenarioError(x) ? x.message : x.config.id));
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => id.startsWith('pgtable-heavy*'))).toBe(true);
    const again = makeScenario('v4.19', 'pgtable-heavy', { maxAttempts: 1 });
    expect(isScenarioError(again) ? '' : again.config.id).toBe(ids[0]);
  });

  it('rejects unknown ids and invalid values with a typed error', () => {
    expect(makeScenario('v9', 'mlocked')).toEqual({ code: 'unknown_variant', message: 'unknown variant "v9"' });
    expect(makeScenario('v4.19', 'huge')).toEqual({ code: 'unknown_config', message: 'unknown config "huge"' });
    expect(makeScenario('v4.19', 'mlocked', { maxAttempts: 0 })).toEqual({ code: 'invalid_config', message: 'maxAttempts must be an integer from 1 to 60' });
  });
});
