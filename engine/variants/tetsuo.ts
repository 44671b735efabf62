// Tetsuo Handa's proposal (Sept 2018): keep v4.19's exit path but move MMF_OOM_SKIP to the
// end of __mmput(); the reaper gives up only after the victim's badness stops shrinking.
import { OOM_VICTIM_GUARD, downWrite, exitDone, freePgtablesWalk, indented, mmput, munlockLoop, removeVmaLoop, selfReap, setFlag, unmapLoop, upWrite, withTrailer } from './common.js';
import type { VariantSource } from './variant.js';

export const tetsuoTimeout: VariantSource = {
  id: 'tetsuo-timeout',
  title: "Tetsuo's feedback timeout",
  summary: 'The reaper watches the victim\'s badness and sets MMF_OOM_SKIP only when it stops shrinking for a while.',
  date: '2018-09-14',
  sources: ['1536382452-3443-1-git-send-email-penguin-kernel@I-love.SAKURA.ne.jp', '792a95e1-b81d-b220-f00b-27b7abf969f4@i-love.sakura.ne.jp'],
  victim: {
    prologue: ['/* __mmput(mm) -> exit_mmap(mm), Tetsuo\'s proposal */'],
    items: [
      mmput(),
      ...selfReap([OOM_VICTIM_GUARD, '  /* kept from v4.19: __oom_reap_task_mm(mm), no lock */']),
      indented(downWrite('down_write', 'barrier against the reaper')),
      withTrailer(indented(upWrite()), ['}']),
      munlockLoop('munlock_vma_pages_all()'),
      unmapLoop(),
      freePgtablesWalk(),
      removeVmaLoop(),
      setFlag('oomSkip', 'end of __mmput(): everything is freed'),
      exitDone(),
    ],
    epilogue: [],
  },
  reaper: {
    prologue: ['/* oom_reaper(), Tetsuo\'s proposal; mark_oom_victim() sets mm->last_oom_pages = oom_badness_pages(mm) */'],
    items: [
      { id: 'T0', label: 'wait for a victim', op: { op: 'reaper_wait' }, code: ['wait_event_freezable(oom_reaper_wait, !list_empty(&oom_reaper_list));'] },
      {
        id: 'T1', label: 'MMF_OOM_SKIP set? then drop it',
        op: { op: 'reaper_branch', flag: 'oomSkip', to: 'T0', dequeue: true, elseSetUnstable: false },
        code: ['again: if (test_bit(MMF_OOM_SKIP, &mm->flags)) { list_del(&tsk->oom_victim); continue; }'],
      },
      {
        id: 'T2', label: 'down_read_trylock(&mm->mmap_sem)',
        op: { op: 'reaper_trylock', countAttempt: false, skipIfUnstable: false, onFail: 'T5' },
        code: ['if (!down_read_trylock(&mm->mmap_sem)) goto check;'],
      },
      {
        id: 'T3', label: 'exit path running? else set MMF_UNSTABLE and reap',
        op: { op: 'reaper_branch', flag: 'inMmput', to: 'T4', dequeue: false, elseSetUnstable: true },
        code: [
          'if (!atomic_read(&mm->mm_users)) goto unlock;   /* __mmput() is tearing down */',
          'set_bit(MMF_UNSTABLE, &mm->flags);              /* __oom_reap_task_mm() */',
        ],
      },
      {
        loop: 'each',
        header: ['for (vma = mm->mmap; vma; vma = vma->vm_next) {'],
        body: [{
          id: 'T3v', display: 'T3', label: 'reap one VMA', op: { op: 'reap_vma', respectLocked: true },
          code: ['  if (can_madv_dontneed_vma(vma) && (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED)))', '    unmap_page_range(&tlb, vma, vma->vm_start, vma->vm_end, NULL);'],
        }],
        footer: ['}'],
      },
      { id: 'T4', label: 'up_read(&mm->mmap_sem)', op: { op: 'reaper_unlock', feedback: false, onMore: 'T5' }, code: ['unlock: up_read(&mm->mmap_sem);'] },
      {
        id: 'T5', label: 'progress check', op: { op: 'progress_check', onStall: 'T0' },
        code: [
          'check: pages = oom_badness_pages(mm);',
          'if (pages < mm->last_oom_pages) { mm->last_oom_pages = pages; mm->oom_stalled_count = 0; }',
          'else if (++mm->oom_stalled_count > STALL_LIMIT) { set_bit(MMF_OOM_SKIP, &mm->flags); list_del(&tsk->oom_victim); continue; }',
        ],
      },
      { id: 'T6', label: 'sleep', op: { op: 'reaper_sleep', tick: false, to: 'T1' }, code: ['schedule_timeout_uninterruptible(HZ / 10); goto again; /* while the list is not empty */'] },
    ],
    epilogue: [],
  },
};
