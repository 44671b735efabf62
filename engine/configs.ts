// The five reference configs (initial states) and the rules every config must obey.
// A lesson may override values or build a larger config for benchmarks; validateConfig
// keeps every counter inside what the compact state encoding can hold.

import type { Config, ConfigId, VmaSpec } from './types.js';
import { CONFIG_IDS } from './types.js';

const anon = (pages: number, locked = false): VmaSpec => ({ kind: 'anon', pages, locked, close: 'none' });

/** Shared defaults: the reference model's small counters. */
export const CONFIG_DEFAULTS = { maxAttempts: 3, keepAbove: 1, stallLimit: 2, deadline: 3 } as const;

export const CONFIGS: Readonly<Record<ConfigId, Config>> = {
  'pgtable-heavy': {
    id: 'pgtable-heavy',
    title: 'Mostly page tables: one small anonymous VMA, three pages of page tables',
    vmas: [anon(1)],
    pgtables: 3,
    bystanders: [4],
    free: 0,
    need: [3],
    mHeld: false,
    arch: 'x86',
    ...CONFIG_DEFAULTS,
  },
  mlocked: {
    id: 'mlocked',
    title: 'Mostly mlocked memory: a locked anonymous VMA and a small unlocked one',
    vmas: [anon(2, true), anon(1)],
    pgtables: 1,
    bystanders: [4],
    free: 0,
    need: [3],
    mHeld: false,
    arch: 'x86',
    ...CONFIG_DEFAULTS,
  },
  'driver-close': {
    id: 'driver-close',
    title: 'A driver mapping whose vm_ops->close takes a mutex the allocator holds',
    vmas: [anon(2), { kind: 'shared', pages: 0, locked: false, close: 'M' }],
    pgtables: 1,
    bystanders: [5],
    free: 0,
    need: [5],
    mHeld: true,
    arch: 'x86',
    ...CONFIG_DEFAULTS,
  },
  'hugetlb-ppc': {
    id: 'hugetlb-ppc',
    title: 'A hugetlb VMA on powerpc, where hugetlb page tables need their own teardown',
    vmas: [{ kind: 'hugetlb', pages: 2, locked: false, close: 'none' }, anon(1)],
    pgtables: 1,
    bystanders: [4],
    free: 0,
    need: [3],
    mHeld: false,
    arch: 'ppc',
    ...CONFIG_DEFAULTS,
  },
  'no-escape': {
    id: 'no-escape',
    title: 'Killing everything is not enough',
    vmas: [anon(1)],
    pgtables: 1,
    bystanders: [1],
    free: 0,
    need: [4],
    mHeld: false,
    arch: 'x86',
    ...CONFIG_DEFAULTS,
  },
};

export function isConfigId(id: string): id is ConfigId {
  return (CONFIG_IDS as readonly string[]).includes(id);
}

/** Limits of the compact state encoding (one byte per counter). */
export const LIMITS = { vmas: 16, bystanders: 8, allocators: 8, pages: 255, counter: 60 } as const;

/** The integer counters of a config and their ranges: every schema of the wire contract derives its bounds from here. */
export const CONFIG_BOUNDS = {
  pgtables: [0, LIMITS.pages],
  free: [0, LIMITS.pages],
  maxAttempts: [1, LIMITS.counter],
  keepAbove: [0, LIMITS.pages],
  stallLimit: [0, LIMITS.counter],
  deadline: [0, LIMITS.counter],
} as const satisfies Partial<Record<keyof Config, readonly [number, number]>>;

/** Returns a list of problems; empty when the config is usable. */
export function validateConfig(c: Config): string[] {
  const problems: string[] = [];
  const int = (v: unknown, name: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
    }
  };
  if (!Array.isArray(c.vmas) || c.vmas.length < 1 || c.vmas.length > LIMITS.vmas) {
    problems.push(`vmas must list 1 to ${LIMITS.vmas} VMAs`);
  } else {
    c.vmas.forEach((v, i) => {
      if (!['anon', 'file', 'shared', 'hugetlb', 'pfnmap'].includes(v.kind)) problems.push(`vmas[${i}].kind is unknown`);
      int(v.pages, `vmas[${i}].pages`, 0, LIMITS.pages);
      if (typeof v.locked !== 'boolean') problems.push(`vmas[${i}].locked must be a boolean`);
      if (v.close !== 'none' && v.close !== 'M') problems.push(`vmas[${i}].close must be none or M`);
    });
  }
  if (!Array.isArray(c.bystanders) || c.bystanders.length > LIMITS.bystanders) {
    problems.push(`bystanders must list at most ${LIMITS.bystanders} tasks`);
  } else c.bystanders.forEach((r, i) => int(r, `bystanders[${i}]`, 0, LIMITS.pages));
  if (!Array.isArray(c.need) || c.need.length < 1 || c.need.length > LIMITS.allocators) {
    problems.push(`need must list 1 to ${LIMITS.allocators} allocations`);
  } else c.need.forEach((n, i) => int(n, `need[${i}]`, 1, LIMITS.pages));
  for (const [name, [min, max]] of Object.entries(CONFIG_BOUNDS)) int(c[name as keyof typeof CONFIG_BOUNDS], name, min, max);
  if (typeof c.mHeld !== 'boolean') problems.push('mHeld must be a boolean');
  if (c.arch !== 'x86' && c.arch !== 'ppc') problems.push('arch must be x86 or ppc');
  if (problems.length === 0) {
    const total = c.free + c.pgtables + c.vmas.reduce((s, v) => s + v.pages, 0) + c.bystanders.reduce((s, r) => s + r, 0);
    if (total > LIMITS.pages) problems.push(`all pages together (${total}) must not exceed ${LIMITS.pages}`);
  }
  return problems;
}

/**
 * The allocators' needs and the bystanders' RSS of a config scaled to these counts: the
 * base's values repeated in order (a base without bystanders lends one page each). The
 * benchmark family and the notebook's explorer cell scale configs this way.
 */
export function scaledActors(base: Pick<Config, 'need' | 'bystanders'>, allocators: number, bystanders: number): Pick<Config, 'need' | 'bystanders'> {
  return {
    need: Array.from({ length: allocators }, (_, i) => base.need[i % base.need.length]!),
    bystanders: Array.from({ length: bystanders }, (_, i) => base.bystanders[i % Math.max(1, base.bystanders.length)] ?? 1),
  };
}

/** Builds a larger config for benchmarks and advanced lessons (REFERENCE §6). */
export function scaledConfig(base: Config, opts: { allocators?: number; bystanders?: number; vmas?: number; maxAttempts?: number; stallLimit?: number; deadline?: number }): Config {
  const allocators = opts.allocators ?? base.need.length;
  const bystanders = opts.bystanders ?? base.bystanders.length;
  const vmaCount = opts.vmas ?? base.vmas.length;
  const vmas: VmaSpec[] = Array.from({ length: vmaCount }, (_, i) => base.vmas[i % base.vmas.length]!);
  const { need, bystanders: bys } = scaledActors(base, allocators, bystanders);
  return {
    ...base,
    id: `${base.id}+a${allocators}b${bystanders}v${vmaCount}`,
    title: `${base.title} (scaled)`,
    vmas,
    need,
    bystanders: bys,
    maxAttempts: opts.maxAttempts ?? base.maxAttempts,
    stallLimit: opts.stallLimit ?? base.stallLimit,
    deadline: opts.deadline ?? base.deadline,
  };
}
