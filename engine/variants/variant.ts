// What a variant is: one kernel version or patch, as the victim's and the reaper's
// programs (the allocator is the same everywhere), with where it comes from.

import type { ProgramSource } from '../program.js';
import type { VariantId } from '../types.js';

export interface VariantSource {
  id: VariantId;
  title: string;
  /** One sentence in plain words. */
  summary: string;
  /** When it was posted or merged. */
  date: string;
  /** Commit ids and message ids this variant rests on. */
  sources: string[];
  victim: ProgramSource;
  reaper: ProgramSource;
}
