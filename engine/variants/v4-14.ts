// v4.14–v4.16: exit_mmap and the reaper run concurrently (212925802454); munlock runs
// with no lock, so the reaper can zap a VMA whose VM_LOCKED was just cleared.
import { commonReaper, exitDone, freePgtablesWalk, mmput, munlockLoop, removeVmaLoop, setFlag, unmapLoop, downWrite, upWrite } from './common.js';
import type { VariantSource } from './variant.js';

export const v4_14: VariantSource = {
  id: 'v4.14',
  title: 'v4.14: concurrent exit, before the munlock fix',
  summary: 'exit_mmap() munlocks with no lock while the oom_reaper may already be zapping the same VMA.',
  date: '2017-11 (v4.14) until 2018-05 (fixed in v4.17-rc5)',
  sources: ['212925802454', '27ae357fa82b', 'CVE-2018-1000200', 'alpine.DEB.2.21.1804171545460.53786@chino.kir.corp.google.com'],
  victim: {
    prologue: ['/* exit_mmap(mm), v4.14 */'],
    items: [
      mmput(),
      munlockLoop('munlock_vma_pages_all(): no mmap_sem held'),
      unmapLoop(),
      setFlag('oomSkip', 'the reaper may not touch the mm any more'),
      downWrite('down_write', 'wait out a reaper inside its read section'),
      upWrite(),
      freePgtablesWalk(),
      removeVmaLoop(),
      exitDone(),
    ],
    epilogue: [],
  },
  reaper: commonReaper({ rfc: false, respectLocked: true }),
};
