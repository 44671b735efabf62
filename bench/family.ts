// The explorer benchmark's family of larger scenarios (REFERENCE §6: more allocators, more
// VMAs, more reaper retries), shared by bench/explorer.ts and the test that proves the
// symmetry-reduced search equal to the unreduced one on each member (family.test.ts).

import { scaledConfig, CONFIGS, type Config, type VariantId } from '../engine/index.js';

export interface Member {
  name: string;
  variant: VariantId;
  config: Config;
}

function member(name: string, variant: VariantId, base: keyof typeof CONFIGS, scale: Parameters<typeof scaledConfig>[1]): Member {
  return { name, variant, config: scaledConfig(CONFIGS[base], scale) };
}

/** The quick family (`--quick`): what the SPIN comparison runs by default on a busy machine. */
export const QUICK_FAMILY: readonly Member[] = [
  member('a5', 'v4.19', 'pgtable-heavy', { allocators: 5, bystanders: 2, maxAttempts: 4 }),
  member('a6', 'v4.19', 'pgtable-heavy', { allocators: 6, bystanders: 2, maxAttempts: 4 }),
  member('a6-mlocked-rfc', 'rfc-final', 'mlocked', { allocators: 6, bystanders: 3, vmas: 3, maxAttempts: 6 }),
];

/** The whole family. */
export const FAMILY: readonly Member[] = [
  ...QUICK_FAMILY,
  member('a7-v2', 'v4.19', 'pgtable-heavy', { allocators: 7, bystanders: 2, vmas: 2, maxAttempts: 6 }),
  member('a8', 'v4.19', 'pgtable-heavy', { allocators: 8, bystanders: 2, maxAttempts: 4 }),
];

/** The time-to-answer ladder: the a5/a6/a8 line from 4 to 8 allocators. */
export const ALLOCATOR_LADDER: readonly Member[] = [4, 5, 6, 7, 8].map((k) =>
  member(`a${k}`, 'v4.19', 'pgtable-heavy', { allocators: k, bystanders: 2, maxAttempts: 4 }));
