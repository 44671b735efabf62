// Naming scenarios: a variant × a config, with optional overrides of config values.

import { CONFIGS, isConfigId, validateConfig } from './configs.js';
import type { Config, Scenario } from './types.js';
import { VARIANT_IDS } from './types.js';
import { isVariantId } from './variants/index.js';

export type ScenarioError = { code: 'unknown_variant' | 'unknown_config' | 'invalid_config'; message: string };

export function makeScenario(variant: string, config: string | Config, overrides: Partial<Config> = {}): Scenario | ScenarioError {
  if (!isVariantId(variant)) return { code: 'unknown_variant', message: `unknown variant "${variant}"` };
  let base: Config;
  if (typeof config === 'string') {
    if (!isConfigId(config)) return { code: 'unknown_config', message: `unknown config "${config}"` };
    base = CONFIGS[config];
  } else base = config;
  const changed = Object.keys(overrides).length > 0;
  const merged: Config = changed ? { ...base, ...overrides, id: overrides.id ?? `${base.id}*${overrideTag(overrides)}` } : base;
  const problems = validateConfig(merged);
  if (problems.length) return { code: 'invalid_config', message: problems.join('; ') };
  return { variant, config: merged };
}

export function isScenarioError(x: Scenario | ScenarioError): x is ScenarioError {
  return (x as ScenarioError).code !== undefined;
}

/** Every reference scenario: each variant × each config (10 × 5). */
export function referenceScenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const v of VARIANT_IDS) {
    for (const c of Object.values(CONFIGS)) out.push({ variant: v, config: c });
  }
  return out;
}

/** A short, stable tag for a set of overrides, so differently changed configs get different ids. */
function overrideTag(overrides: Partial<Config>): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v);
  const text = JSON.stringify(sorted(overrides));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
