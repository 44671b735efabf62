// Michal Hocko's RFC "rework mmap-exit vs. oom_reaper handover" (Sept 10 2018) and the
// three fixes posted in the thread. The exit path does everything that may race with the
// reaper under mmap_sem held for write, then hands over by setting mm->mmap = NULL; only
// the oom_reaper path sets MMF_OOM_SKIP, unless the exit path took over.
import type { Instr, ProgramItem, ProgramSource } from '../program.js';
import type { VariantId } from '../types.js';
import { commonReaper, exitDone, freePgtablesSplit, mmput, munlockSteps, removeVmaLoop, setFlag, unmapLoop, downWrite, upWrite } from './common.js';
import type { VariantSource } from './variant.js';

const RFC_SOURCES = ['20180910125513.311-1-mhocko@kernel.org', '20180910125513.311-3-mhocko@kernel.org', '20180910125513.311-4-mhocko@kernel.org'];

/**
 * The RFC's exit_mmap(). The listing shows the patch's `if (oom)` guards (in the model the mm
 * is always a victim, so they always pass); `split` selects the layout of the September 13
 * fix, where __unlink_vmas() and __free_pgtables() sit inside one `if (oom)` block. Before
 * it, the page-table free sits outside the guards and runs for every exiting process.
 */
function rfcVictim(freeStep: Instr, tail: ProgramItem[], title: string, split = false): ProgramSource {
  const teardown: Instr[] = split
    ? [
      { ...downWrite('down_write'), code: ['if (oom) {', '  down_write(&mm->mmap_sem);        /* the reaper cannot race with the teardown below */'] },
      {
        id: 'unlink_all', label: 'unlink every VMA from rmap', op: { op: 'unlink_all' },
        code: ['  __unlink_vmas(vma);               /* unlink_anon_vmas(), unlink_file_vma() per VMA */'],
      },
      { ...setFlag('mmapNull'), code: ['  mm->mmap = NULL;                  /* hand over: no unbounded blocking from here on */'] },
      { ...upWrite(), code: ['  up_write(&mm->mmap_sem);'] },
    ]
    : [
      { ...downWrite('down_write'), code: ['if (oom)', '  down_write(&mm->mmap_sem);        /* the reaper cannot race with the teardown below */'] },
      {
        id: 'unlink_all', label: 'unlink every VMA from rmap', op: { op: 'unlink_all' },
        code: ['for (vma = mm->mmap; vma; vma = vma->vm_next) {', '  unlink_anon_vmas(vma); unlink_file_vma(vma);', '}', 'vma = mm->mmap;'],
      },
      { ...setFlag('mmapNull'), code: ['if (oom) {', '  mm->mmap = NULL;                  /* hand over: no unbounded blocking from here on */'] },
      { ...upWrite(), code: ['  up_write(&mm->mmap_sem);', '}'] },
    ];
  return {
    prologue: [`/* exit_mmap(mm), ${title} */`, 'const bool oom = mm_is_oom_victim(mm);  /* MMF_OOM_VICTIM: always true here */'],
    items: [
      mmput(),
      {
        loop: 'each_locked',
        header: ['/* munlock under the exclusive lock: the reaper must not see it half done */', 'for (vma = mm->mmap; vma; vma = vma->vm_next) if (vma->vm_flags & VM_LOCKED) {'],
        body: [
          { ...downWrite('munlock_down_write'), code: ['  if (oom) down_write(&mm->mmap_sem);'] },
          ...munlockSteps(),
          { ...upWrite('munlock_up_write'), code: ['  if (oom) up_write(&mm->mmap_sem);'] },
        ],
        footer: ['}'],
      },
      unmapLoop('unmap_vmas(): no lock, may race with the reaper (both only zap)'),
      ...teardown,
      freeStep,
      ...tail,
    ],
    epilogue: [],
  };
}

/** MMF_OOM_SKIP set by the exit path, only for an OOM victim. */
const oomSkip = (comment: string): Instr => ({ ...setFlag('oomSkip'), code: [`if (oom) set_bit(MMF_OOM_SKIP, &mm->flags); /* ${comment} */`] });

const tailSkipAfterRemove = (): ProgramItem[] => [
  removeVmaLoop(),
  oomSkip('end of exit_mmap()'),
  exitDone(),
];

function rfcVariant(id: VariantId, title: string, summary: string, date: string, sources: string[], victim: ProgramSource): VariantSource {
  return { id, title, summary, date, sources: [...RFC_SOURCES, ...sources], victim, reaper: commonReaper({ rfc: true, respectLocked: true }) };
}

export const rfcV1 = rfcVariant(
  'rfc-v1',
  'RFC v1: the handover as posted',
  'Teardown under the write lock, then mm->mmap = NULL hands over; page tables are freed up to vma->vm_prev->vm_end.',
  '2018-09-10',
  [],
  rfcVictim(
    {
      id: 'free_pgd_range', label: 'free_pgd_range(.., vma->vm_prev->vm_end, ..)', op: { op: 'free_pgtables', how: 'vm_prev_null' },
      code: ['free_pgd_range(&tlb, vma->vm_start, vma->vm_prev->vm_end, /* outside if (oom); first VMA: vm_prev is NULL */', '               FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);'],
    },
    [removeVmaLoop(), exitDone()],
    'RFC v1',
  ),
);

export const rfcHighestVmEnd = rfcVariant(
  'rfc-highest-vm-end',
  'RFC with highest_vm_end',
  'The NULL dereference is gone: one free_pgd_range() up to mm->highest_vm_end, which is not how hugetlb page tables are freed on powerpc.',
  '2018-09-12',
  [],
  rfcVictim(
    {
      id: 'free_pgd_range', label: 'free_pgd_range(.., mm->highest_vm_end, ..)', op: { op: 'free_pgtables', how: 'highest_vm_end' },
      code: ['free_pgd_range(&tlb, vma->vm_start, mm->highest_vm_end, /* not hugetlb_free_pgd_range() */', '               FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);', 'tlb_finish_mmu(&tlb, 0, -1);'],
    },
    tailSkipAfterRemove(),
    'RFC + highest_vm_end',
  ),
);

export const rfcSplitPgtables = rfcVariant(
  'rfc-split-pgtables',
  'RFC with the split free_pgtables',
  'Page tables are freed by walking the VMAs again (hugetlb-aware), but MMF_OOM_SKIP is only set after every vm_ops->close has run.',
  '2018-09-13',
  ['20180913090950.GD20287@dhcp22.suse.cz'],
  rfcVictim(freePgtablesSplit(), tailSkipAfterRemove(), 'RFC + split __free_pgtables', true),
);

export const rfcFinal = rfcVariant(
  'rfc-final',
  'RFC, the combined proposal',
  'As the split version, but MMF_OOM_SKIP is set right after the page tables are freed, before the remove_vma loop.',
  '2018-09-14',
  ['20180913134032.GF20287@dhcp22.suse.cz', '792a95e1-b81d-b220-f00b-27b7abf969f4@i-love.sakura.ne.jp'],
  rfcVictim(
    freePgtablesSplit(),
    [oomSkip('before vm_ops->close can block'), removeVmaLoop(), exitDone()],
    'RFC, combined',
    true,
  ),
);

export const rfcNoExitSkip = rfcVariant(
  'rfc-no-exit-skip',
  'RFC handover, no MMF_OOM_SKIP at exit',
  'The RFC as posted with its page-table crash fixed: after the handover neither the reaper nor the exit path sets MMF_OOM_SKIP, so the exited victim stays a visible zombie the OOM killer waits on.',
  '2018-09-10',
  ['cc772297-5aeb-8410-d902-c224f4717514@i-love.sakura.ne.jp', 'd7a94e7e11badf84'],
  rfcVictim(
    freePgtablesSplit(),
    [removeVmaLoop(), exitDone()],
    'RFC handover, nothing sets MMF_OOM_SKIP after it',
    true,
  ),
);
