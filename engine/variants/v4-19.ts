// v4.19: exit_mmap() first reaps the mm itself with no lock, sets MMF_OOM_SKIP, takes
// and drops mmap_sem for write as a barrier, and only then munlocks and unmaps (27ae357fa82b).
import { OOM_VICTIM_GUARD, commonReaper, downWrite, exitDone, freePgtablesWalk, indented, mmput, munlockLoop, removeVmaLoop, selfReap, setFlag, unmapLoop, upWrite, withTrailer } from './common.js';
import type { VariantSource } from './variant.js';

export const v4_19: VariantSource = {
  id: 'v4.19',
  title: 'v4.19: the baseline the thread starts from',
  summary: 'The exit path reaps what it can, then sets MMF_OOM_SKIP while mlocked memory and page tables are still held.',
  date: '2018-10 (v4.19)',
  sources: ['27ae357fa82b', '4837fe37adff', '212925802454'],
  victim: {
    prologue: ['/* exit_mmap(mm), v4.19 */'],
    items: [
      mmput(),
      ...selfReap([OOM_VICTIM_GUARD, '  /* __oom_reap_task_mm(mm): the exit path reaps itself, no lock */']),
      indented(setFlag('oomSkip', 'the OOM killer may pick another victim now')),
      indented(downWrite('down_write', 'barrier: wait out a reaper in its read section')),
      withTrailer(indented(upWrite()), ['}']),
      munlockLoop('munlock_vma_pages_all(), after the barrier'),
      unmapLoop(),
      freePgtablesWalk(),
      removeVmaLoop(),
      exitDone(),
    ],
    epilogue: [],
  },
  reaper: commonReaper({ rfc: false, respectLocked: true }),
};
