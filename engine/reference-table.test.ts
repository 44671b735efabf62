// The outcome table of the 50 reference scenarios: which outcomes each reaches and the
// length of the shortest trace (REFERENCE's step-counting rule). An independent Promela
// model run by SPIN (bench/spin, test/spin-crosscheck.test.ts) computes the same table.
//
// Worked by hand from the reference model, a few rows as examples:
// - rfc-v1 × pgtable-heavy, oops in 9: A1, A2 (kill V), mmput, unmap:0, down_write,
//   unlink_all, mmap_null, up_write, free_pgd_range — no reaper step is needed.
// - v4.19 × pgtable-heavy, needless kill in 8: A1, A2, mmput, self_reap (sets MMF_UNSTABLE),
//   self_reap:0 (1 page), set_oom_skip, A1, A2 kills W while free 1 + held 3 (page tables) >= need 3.
// - rientjes-timeout × pgtable-heavy, needless kill in 22: A1, A2, mmput, self_reap (MMF_UNSTABLE
//   before anything is freed); the reaper then only waits: D0, three rounds of D1 D2 D4 D5, then
//   D1 D2 D4 sets MMF_OOM_SKIP at the deadline (16 steps); A1, A2 kills W while held(V) = 4 >= 3.
// - rfc-no-exit-skip × no-escape, lockup in 18: the handover as in rfc-split-pgtables, but after
//   exit_done nothing sets MMF_OOM_SKIP and the allocator waits on the zombie forever.
// - rfc-split-pgtables × driver-close, lockup in 18: 2 allocator steps, 9 victim steps up to the
//   blocked remove_vma:1, 5 reaper steps (R0 R1 R2 R4 R6: handed over, no MMF_OOM_SKIP), A1 A2 -> A3.
// - upstream-6.x × mlocked: no needless kill, because the reaper now reaps VM_LOCKED VMAs.

import { describe, expect, it } from 'vitest';
import { CONFIGS } from './configs.js';
import { explore } from './explorer.js';
import type { ConfigId, VariantId } from './types.js';
import { OUTCOMES } from './types.js';

//  variant config                    success needless_kill lockup oops panic   ("-": unreachable)
const TABLE = `
  v4.14 pgtable-heavy                  8   7   -   -   -
  v4.14 mlocked                        8  12   -  10   -
  v4.14 driver-close                   9   -   -   -   -
  v4.14 hugetlb-ppc                    6  12   -   -   -
  v4.14 no-escape                      -   -   -   -   9
  v4.19 pgtable-heavy                  9   8   -   -   -
  v4.19 mlocked                       10   9   -   -   -
  v4.19 driver-close                  10   -   -   -   -
  v4.19 hugetlb-ppc                   10   9   -   -   -
  v4.19 no-escape                      -   -   -   -  10
  rfc-v1 pgtable-heavy                16  15   -   9   -
  rfc-v1 mlocked                      10  14   -  14   -
  rfc-v1 driver-close                 13   -   -  10   -
  rfc-v1 hugetlb-ppc                   6  27   -  10   -
  rfc-v1 no-escape                     -   -   -   9  13
  rfc-highest-vm-end pgtable-heavy    10  15   -   -   -
  rfc-highest-vm-end mlocked          10  14   -   -   -
  rfc-highest-vm-end driver-close     13   -  18   -   -
  rfc-highest-vm-end hugetlb-ppc       6  27   -  10   -
  rfc-highest-vm-end no-escape         -   -   -   -  13
  rfc-split-pgtables pgtable-heavy    10  15   -   -   -
  rfc-split-pgtables mlocked          10  14   -   -   -
  rfc-split-pgtables driver-close     13   -  18   -   -
  rfc-split-pgtables hugetlb-ppc       6  27   -   -   -
  rfc-split-pgtables no-escape         -   -   -   -  13
  rfc-final pgtable-heavy             10  15   -   -   -
  rfc-final mlocked                   10  14   -   -   -
  rfc-final driver-close              13   -   -   -   -
  rfc-final hugetlb-ppc                6  27   -   -   -
  rfc-final no-escape                  -   -   -   -  13
  rfc-no-exit-skip pgtable-heavy      10  15   -   -   -
  rfc-no-exit-skip mlocked            10  14   -   -   -
  rfc-no-exit-skip driver-close       13   -  18   -   -
  rfc-no-exit-skip hugetlb-ppc         6  27   -   -   -
  rfc-no-exit-skip no-escape           -   -  18   -  13
  tetsuo-timeout pgtable-heavy        10  23   -   -   -
  tetsuo-timeout mlocked              12  23   -   -   -
  tetsuo-timeout driver-close         24   -   -   -   -
  tetsuo-timeout hugetlb-ppc          10  23   -   -   -
  tetsuo-timeout no-escape             -   -   -   -  15
  rientjes-timeout pgtable-heavy      11  22   -   -   -
  rientjes-timeout mlocked            13  22   -   -   -
  rientjes-timeout driver-close       16   -   -   -   -
  rientjes-timeout hugetlb-ppc        11  22   -   -   -
  rientjes-timeout no-escape           -   -   -   -  15
  upstream-6.x pgtable-heavy          10   9   -   -   -
  upstream-6.x mlocked                 7   -   -   -   -
  upstream-6.x driver-close           11   -   -   -   -
  upstream-6.x hugetlb-ppc             7  12   -   -   -
  upstream-6.x no-escape               -   -   -   -  11
`;

const rows = TABLE.trim().split('\n').map((line) => {
  const [variant, config, ...cells] = line.trim().split(/\s+/);
  return { variant: variant as VariantId, config: config as ConfigId, cells: cells.map((c) => (c === '-' ? null : Number(c))) };
});

describe('the 50 reference scenarios', () => {
  it('the table covers every variant × config once', () => {
    expect(new Set(rows.map((r) => `${r.variant}/${r.config}`)).size).toBe(50);
  });

  it.each(rows.map((r) => [r.variant, r.config, r] as const))('%s × %s', (_v, _c, row) => {
    const r = explore({ variant: row.variant, config: CONFIGS[row.config] });
    expect(r.complete).toBe(true);
    const got = OUTCOMES.map((o) => { const x = r.outcomes[o]; return x.reachable ? x.steps : null; });
    expect(got).toEqual(row.cells);
  });
});
