// The registry of variants, compiled once into steppable programs.
import { compileProgram, type Program } from '../program.js';
import type { VariantId } from '../types.js';
import { VARIANT_IDS } from '../types.js';
import { allocatorProgram } from './common.js';
import { rfcFinal, rfcHighestVmEnd, rfcNoExitSkip, rfcSplitPgtables, rfcV1 } from './rfc.js';
import { rientjesTimeout } from './rientjes.js';
import { tetsuoTimeout } from './tetsuo.js';
import { upstream6 } from './upstream.js';
import { v4_14 } from './v4-14.js';
import { v4_19 } from './v4-19.js';
import type { VariantSource } from './variant.js';

export type { VariantSource } from './variant.js';

export const VARIANTS: Readonly<Record<VariantId, VariantSource>> = {
  'v4.14': v4_14,
  'v4.19': v4_19,
  'rfc-v1': rfcV1,
  'rfc-highest-vm-end': rfcHighestVmEnd,
  'rfc-split-pgtables': rfcSplitPgtables,
  'rfc-final': rfcFinal,
  'rfc-no-exit-skip': rfcNoExitSkip,
  'tetsuo-timeout': tetsuoTimeout,
  'rientjes-timeout': rientjesTimeout,
  'upstream-6.x': upstream6,
};

export interface CompiledVariant {
  source: VariantSource;
  allocator: Program;
  victim: Program;
  reaper: Program;
}

const compiled = new Map<VariantId, CompiledVariant>();

export function isVariantId(id: string): id is VariantId {
  return (VARIANT_IDS as readonly string[]).includes(id);
}

/** The compiled programs of a variant (memoised: programs are immutable). */
export function variantPrograms(id: VariantId): CompiledVariant {
  let c = compiled.get(id);
  if (!c) {
    const source = VARIANTS[id];
    c = { source, allocator: compileProgram(allocatorProgram), victim: compileProgram(source.victim), reaper: compileProgram(source.reaper) };
    compiled.set(id, c);
  }
  return c;
}
