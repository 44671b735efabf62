// The 2022 upstream design (bf3980c85212, after a213e5cf71cb removed munlock at exit):
// exit_mmap() unmaps under mmap_lock held for read, sets MMF_OOM_SKIP, then frees page
// tables and VMAs under the write lock. The reaper may reap VM_LOCKED VMAs.
import { commonReaper, exitDone, mmput, removeVmaLoop, setFlag, unmapLoop } from './common.js';
import type { VariantSource } from './variant.js';

export const upstream6: VariantSource = {
  id: 'upstream-6.x',
  title: 'Upstream since 2022: the exit path under mmap_lock',
  summary: 'Unmap under the read lock, set MMF_OOM_SKIP, then free page tables and VMAs under the write lock; vm_ops->close still runs after MMF_OOM_SKIP.',
  date: '2022 (v6.0)',
  sources: ['bf3980c85212', 'b3541d912a84', 'a213e5cf71cb', '64591e8605d6', 'f798a1d4f94d', '20220510030014.3842475-1-surenb@google.com'],
  victim: {
    prologue: ['/* exit_mmap(mm), since bf3980c85212 */'],
    items: [
      mmput(),
      { id: 'down_read', label: 'mmap_read_lock(mm)', op: { op: 'down_read' }, code: ['mmap_read_lock(mm);                 /* the reaper may still run beside us */'] },
      unmapLoop('unmap_vmas(), no munlock any more'),
      { id: 'up_read', label: 'mmap_read_unlock(mm)', op: { op: 'up_read' }, code: ['mmap_read_unlock(mm);'] },
      setFlag('oomSkip', 'memory is freed: let the OOM killer move on'),
      { id: 'down_write', label: 'mmap_write_lock(mm)', op: { op: 'down_write' }, code: ['mmap_write_lock(mm);                /* waits for any reaper to leave */'] },
      {
        id: 'free_pgtables', label: 'free_pgtables()', op: { op: 'free_pgtables', how: 'walk' },
        code: ['free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING); /* under the write lock */', 'tlb_finish_mmu(&tlb);'],
      },
      removeVmaLoop('remove_vma() under the write lock'),
      setFlag('mmapNull', '__mt_destroy(&mm->mm_mt)'),
      { id: 'up_write', label: 'mmap_write_unlock(mm)', op: { op: 'up_write' }, code: ['mmap_write_unlock(mm);'] },
      exitDone(),
    ],
    epilogue: [],
  },
  reaper: commonReaper({ rfc: false, respectLocked: false, lockNames: 'mmap_lock' }),
};
