// Building blocks shared by the variants: the allocator (the same in every variant),
// the reaper's common shape, and the exit-path steps that several variants reuse.
// Pseudo-code is our own simplified C; it names the real kernel functions and flags.

import type { Instr, Loop, ProgramItem, ProgramSource } from '../program.js';

export const allocatorProgram: ProgramSource = {
  prologue: ['/* __alloc_pages_slowpath(), simplified */', 'for (;;) {'],
  items: [
    {
      id: 'A1', label: 'try the allocation', op: { op: 'try_alloc' },
      code: ['  page = get_page_from_freelist(need);', '  if (page) { mutex_unlock_if_held(&M); return page; }'],
    },
    {
      id: 'A2', label: 'out_of_memory()', op: { op: 'out_of_memory', retry: 'A1', wait: 'A3' },
      code: [
        '  if (!mutex_trylock(&oom_lock))    /* __alloc_pages_may_oom() */',
        '    goto retry;                      /* someone else is killing */',
        '  if (free >= need) goto retry;      /* last-second allocation */',
        '  if (victim_lacks(MMF_OOM_SKIP))    /* oom_evaluate_task(): abort */',
        '    goto wait_for_victim;',
        '  p = select_bad_process();          /* first alive task */',
        '  if (!p) {                          /* nothing left to kill */',
        '    pr_warn("Out of memory and no killable processes...");',
        '    panic("System is deadlocked on memory");',
        '  }',
        '  oom_kill_process(p);  mark_oom_victim(p);  wake_oom_reaper(p);',
        '  mutex_unlock(&oom_lock);',
      ],
      next: 'A1',
    },
    {
      id: 'A3', label: 'wait for the victim', op: { op: 'oom_wait' },
      code: ['wait_for_victim:', '  schedule_timeout_uninterruptible(1); /* until MMF_OOM_SKIP or memory */'],
      next: 'A1',
    },
  ],
  epilogue: ['}'],
};

export const mmput = (): Instr => ({
  id: 'mmput', label: 'mmput(): last mm_users reference', op: { op: 'mmput' },
  code: ['mmput(mm);                  /* mm_users drops to 0: __mmput() -> exit_mmap() */'],
});

export const setFlag = (flag: 'oomSkip' | 'unstable' | 'mmapNull', comment = ''): Instr => {
  const text = flag === 'oomSkip' ? 'set_bit(MMF_OOM_SKIP, &mm->flags);'
    : flag === 'unstable' ? 'set_bit(MMF_UNSTABLE, &mm->flags);'
      : 'mm->mmap = NULL;';
  const id = flag === 'oomSkip' ? 'set_oom_skip' : flag === 'unstable' ? 'set_unstable' : 'mmap_null';
  return { id, label: text.replace(/;$/, ''), op: { op: 'set_flag', flag }, code: [comment ? `${text.padEnd(36)}/* ${comment} */` : text] };
};

export const downWrite = (id = 'down_write', comment = ''): Instr => ({
  id, label: 'down_write(&mm->mmap_sem)', op: { op: 'down_write' },
  code: [comment ? `down_write(&mm->mmap_sem);          /* ${comment} */` : 'down_write(&mm->mmap_sem);'],
});
export const upWrite = (id = 'up_write'): Instr => ({
  id, label: 'up_write(&mm->mmap_sem)', op: { op: 'up_write' }, code: ['up_write(&mm->mmap_sem);'],
});

/** The same step with its code lines indented (inside an `if` the listing shows). */
export const indented = (ins: Instr, by = '  '): Instr => ({ ...ins, code: ins.code.map((l) => by + l) });

/** The same step with display-only lines after its own (a closing brace, say). */
export const withTrailer = (ins: Instr, lines: string[]): Instr => ({ ...ins, code: [...ins.code, ...lines] });

/** The guard around the exit path's OOM-only block; in the model the mm is always a victim. */
export const OOM_VICTIM_GUARD = 'if (mm_is_oom_victim(mm)) {          /* MMF_OOM_VICTIM: set when V was killed */';

/**
 * The exit path calling __oom_reap_task_mm() itself, with no lock (v4.19 and the timeout
 * proposals): one head step that sets MMF_UNSTABLE, as the function does before its VMA loop,
 * then one step per VMA. `intro` lines are shown with the head step; everything is indented
 * one level, inside the mm_is_oom_victim() block.
 */
export const selfReap = (intro: string[]): ProgramItem[] => [
  {
    id: 'self_reap', label: '__oom_reap_task_mm(): set MMF_UNSTABLE', op: { op: 'self_reap_begin' },
    code: [...intro, '  set_bit(MMF_UNSTABLE, &mm->flags);   /* first thing __oom_reap_task_mm() does */'],
  },
  {
    loop: 'each',
    header: ['  for (vma = mm->mmap; vma; vma = vma->vm_next) {'],
    body: [{
      id: 'self_reap_vma', display: 'self_reap', label: 'self-reap one VMA', op: { op: 'self_reap' },
      code: [
        '    if (!can_madv_dontneed_vma(vma)) continue; /* VM_LOCKED|VM_HUGETLB|VM_PFNMAP */',
        '    if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))',
        '      unmap_page_range(&tlb, vma, vma->vm_start, vma->vm_end, NULL);',
      ],
    }],
    footer: ['  }'],
  },
];

/** munlock_vma_pages_all(): clear VM_LOCKED, then walk the pages. */
export const munlockSteps = (): Instr[] => [
  {
    id: 'munlock_clear', label: 'munlock: clear VM_LOCKED', op: { op: 'munlock_clear' },
    code: ['  vma->vm_flags &= ~VM_LOCKED;      /* munlock_vma_pages_range() */'],
  },
  {
    id: 'munlock_pages', label: 'munlock: walk the pages', op: { op: 'munlock_pages' },
    code: ['  munlock_vma_page(follow_page_mask(vma, addr)); /* per page */'],
  },
];

export const munlockLoop = (comment: string): Loop => ({
  loop: 'each_locked',
  header: [`/* ${comment} */`, 'for (vma = mm->mmap; vma; vma = vma->vm_next) if (vma->vm_flags & VM_LOCKED) {'],
  body: munlockSteps(),
  footer: ['}'],
});

export const unmapLoop = (comment = 'unmap_vmas(): zaps every VMA, whatever its kind'): Loop => ({
  loop: 'each',
  header: [`/* ${comment} */`, 'for (vma = mm->mmap; vma; vma = vma->vm_next) {'],
  body: [{ id: 'unmap', label: 'unmap_single_vma()', op: { op: 'unmap' }, code: ['  unmap_single_vma(&tlb, vma, 0, -1);'] }],
  footer: ['}'],
});

export const freePgtablesWalk = (comment = 'free_pgtables(): per VMA, hugetlb-aware'): Instr => ({
  id: 'free_pgtables', label: 'free_pgtables()', op: { op: 'free_pgtables', how: 'walk' },
  code: [`free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING); /* ${comment} */`, 'tlb_finish_mmu(&tlb, 0, -1);'],
});

/** The split version of September 13: __free_pgtables() inside the `if (oom)` block, after the handover. */
export const freePgtablesSplit = (): Instr => ({
  id: 'free_pgtables', label: '__free_pgtables()', op: { op: 'free_pgtables', how: 'walk' },
  code: [
    '  __free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING); /* per VMA, hugetlb-aware */',
    '} else {',
    '  free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING); /* not a victim */',
    '}',
    'tlb_finish_mmu(&tlb, 0, -1);',
  ],
});

export const removeVmaLoop = (comment = 'remove_vma(): vm_ops->close may sleep or take a mutex'): Loop => ({
  loop: 'each',
  header: [`/* ${comment} */`, 'while (vma) {'],
  body: [{
    id: 'remove_vma', label: 'remove_vma()', op: { op: 'remove_vma' },
    code: ['  vma = remove_vma(vma);  /* vma->vm_ops->close(vma) first, then fput, vm_area_free */'],
  }],
  footer: ['}'],
});

export const exitDone = (): Instr => ({
  id: 'exit_done', label: 'exit done: zombie', op: { op: 'exit_done' },
  code: ['exit_notify(tsk);           /* a zombie, still visible, signal->oom_mm set */'],
});

/**
 * The reaper's common shape (R0..R6) for v4.14, v4.19, the RFC and upstream-6.x.
 * `rfc` selects the RFC's handover check (mm->mmap == NULL) and its feedback loop.
 */
export function commonReaper(opts: { rfc: boolean; respectLocked: boolean; lockNames?: 'mmap_sem' | 'mmap_lock' }): ProgramSource {
  const { rfc, respectLocked } = opts;
  // Since 5.8 the lock is mmap_lock, taken through mmap_read_trylock()/mmap_read_unlock().
  const six = opts.lockNames === 'mmap_lock';
  const trylock = six ? 'mmap_read_trylock(mm)' : 'down_read_trylock(&mm->mmap_sem)';
  const unlock = six ? 'mmap_read_unlock(mm)' : 'up_read(&mm->mmap_sem)';
  return {
    prologue: ['/* oom_reaper() kthread: oom_reap_task() + oom_reap_task_mm(), simplified */'],
    items: [
      {
        id: 'R0', label: 'wait for a victim', op: { op: 'reaper_wait' },
        code: ['wait_event_freezable(oom_reaper_wait, oom_reaper_list != NULL);', 'tsk = pop(&oom_reaper_list);  attempts = 0;'],
      },
      {
        id: 'R1', label: trylock,
        op: { op: 'reaper_trylock', countAttempt: true, skipIfUnstable: false, onFail: 'R5' },
        code: ['retry: attempts++;', `if (!${trylock}) goto sleep;`],
      },
      rfc
        ? {
          id: 'R2', label: 'handed over? (mm->mmap == NULL)',
          op: { op: 'reaper_branch', flag: 'mmapNull', to: 'R4', dequeue: false, elseSetUnstable: false },
          code: ['if (!mm->mmap) goto unlock;           /* the exit path took over */'],
        }
        : {
          id: 'R2', label: 'MMF_OOM_SKIP already set?',
          op: { op: 'reaper_branch', flag: 'oomSkip', to: 'R4', dequeue: false, elseSetUnstable: false },
          code: ['if (test_bit(MMF_OOM_SKIP, &mm->flags)) goto unlock;'],
        },
      {
        id: 'R3', label: 'start reaping: set MMF_UNSTABLE', op: { op: 'reap_begin' },
        code: ['set_bit(MMF_UNSTABLE, &mm->flags);  /* __oom_reap_task_mm() */'],
      },
      {
        loop: 'each',
        header: ['for (vma = mm->mmap; vma; vma = vma->vm_next) {'],
        body: [{
          id: 'R3v', display: 'R3', label: 'reap one VMA', op: { op: 'reap_vma', respectLocked },
          code: [
            respectLocked
              ? '  if (!can_madv_dontneed_vma(vma)) continue; /* VM_LOCKED|VM_HUGETLB|VM_PFNMAP */'
              : '  if (vma->vm_flags & (VM_HUGETLB|VM_PFNMAP)) continue; /* VM_LOCKED is fine now */',
            '  if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))',
            '    unmap_page_range(&tlb, vma, vma->vm_start, vma->vm_end, NULL);',
          ],
        }],
        footer: ['}'],
      },
      {
        id: 'R4', label: unlock,
        op: { op: 'reaper_unlock', feedback: rfc, onMore: rfc ? 'R5' : 'R6' },
        code: rfc
          ? [`unlock: ${unlock};`, 'if (reaped && oom_badness_pages(mm) > 1024) goto sleep; /* keep trying */', 'goto done;']
          : [`unlock: ${unlock};`, 'goto done;'],
        next: 'R6',
      },
      {
        id: 'R5', label: 'sleep, then retry', op: { op: 'reaper_retry', retry: 'R1', giveUp: 'R6' },
        code: ['sleep: if (attempts < MAX_OOM_REAP_RETRIES) {', '  schedule_timeout_idle(HZ/10); goto retry;', '}'],
      },
      {
        id: 'R6', label: rfc ? 'done (set MMF_OOM_SKIP unless handed over)' : 'done: set MMF_OOM_SKIP',
        op: { op: 'reaper_done', skip: rfc ? 'unless_mmap_null' : 'always', to: 'R0' },
        code: rfc
          ? ['done: if (mm->mmap) set_bit(MMF_OOM_SKIP, &mm->flags); /* else the exit path owns it */', 'put_task_struct(tsk);']
          : ['done: set_bit(MMF_OOM_SKIP, &mm->flags);', 'put_task_struct(tsk);'],
      },
    ],
    epilogue: [],
  };
}
