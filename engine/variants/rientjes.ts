// David Rientjes' "[patch v3] mm, oom: fix unnecessary killing of additional processes"
// (June 2018): MMF_UNSTABLE means "the exit path took over"; the reaper sets MMF_OOM_SKIP
// when a per-mm deadline expires.
import { OOM_VICTIM_GUARD, downWrite, exitDone, freePgtablesWalk, indented, mmput, munlockLoop, removeVmaLoop, selfReap, setFlag, unmapLoop, upWrite, withTrailer } from './common.js';
import type { VariantSource } from './variant.js';

export const rientjesTimeout: VariantSource = {
  id: 'rientjes-timeout',
  title: "David's per-mm deadline",
  summary: 'The reaper stops reaping once the exit path marks the mm MMF_UNSTABLE, and sets MMF_OOM_SKIP itself only when a deadline expires.',
  date: '2018-06-21',
  sources: ['alpine.DEB.2.21.1806211434420.51095@chino.kir.corp.google.com', 'a78fb992-ad59-0cdb-3c38-8284b2245f21@i-love.sakura.ne.jp'],
  victim: {
    prologue: ['/* exit_mmap(mm), David\'s patch */'],
    items: [
      mmput(),
      ...selfReap([
        OOM_VICTIM_GUARD,
        '  /* __oom_reap_task_mm(mm); the patch holds oom_lock around it, the model leaves oom_lock out */',
      ]),
      indented(setFlag('unstable', 'meant as "the exit path owns the mm": already set above')),
      indented(downWrite('down_write', 'barrier against a reaper in its read section')),
      withTrailer(indented(upWrite()), ['}']),
      munlockLoop('munlock_vma_pages_all()'),
      unmapLoop(),
      freePgtablesWalk(),
      setFlag('oomSkip', 'after tlb_finish_mmu(), for every mm'),
      removeVmaLoop(),
      exitDone(),
    ],
    epilogue: [],
  },
  reaper: {
    prologue: ['/* oom_reaper(), David\'s patch: mm->oom_free_expire = now + 1s when queued */'],
    items: [
      { id: 'D0', label: 'wait for a victim', op: { op: 'reaper_wait' }, code: ['wait_event_freezable(oom_reaper_wait, !list_empty(&oom_reaper_list));'] },
      {
        id: 'D1', label: 'MMF_OOM_SKIP set? then drop it',
        op: { op: 'reaper_branch', flag: 'oomSkip', to: 'D0', dequeue: true, elseSetUnstable: false },
        code: ['if (test_bit(MMF_OOM_SKIP, &mm->flags)) { put_task_struct(tsk); continue; }'],
      },
      {
        id: 'D2', label: 'MMF_UNSTABLE clear? down_read_trylock',
        op: { op: 'reaper_trylock', countAttempt: false, skipIfUnstable: true, onFail: 'D4' },
        code: ['if (test_bit(MMF_UNSTABLE, &mm->flags) || !down_read_trylock(&mm->mmap_sem))', '  goto expire;'],
      },
      {
        id: 'D3', label: 'MMF_UNSTABLE under the lock? else set it',
        op: { op: 'reaper_branch', flag: 'unstable', to: 'D3u', dequeue: false, elseSetUnstable: true },
        code: ['if (test_and_set_bit(MMF_UNSTABLE, &mm->flags)) goto unlock;'],
      },
      {
        loop: 'each',
        header: ['for (vma = mm->mmap; vma; vma = vma->vm_next) {'],
        body: [{
          id: 'D3v', display: 'D3', label: 'reap one VMA', op: { op: 'reap_vma', respectLocked: true },
          code: ['  if (can_madv_dontneed_vma(vma) && (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED)))', '    unmap_page_range(&tlb, vma, vma->vm_start, vma->vm_end, NULL);'],
        }],
        footer: ['}'],
      },
      { id: 'D3u', label: 'up_read(&mm->mmap_sem)', op: { op: 'reaper_unlock', feedback: false, onMore: 'D4' }, code: ['unlock: up_read(&mm->mmap_sem);'] },
      {
        id: 'D4', label: 'deadline passed?', op: { op: 'deadline_check', onExpire: 'D0' },
        code: ['expire: if (time_after_eq(jiffies, mm->oom_free_expire)) {', '  set_bit(MMF_OOM_SKIP, &mm->flags); put_task_struct(tsk); continue;', '}'],
      },
      { id: 'D5', label: 'sleep', op: { op: 'reaper_sleep', tick: true, to: 'D1' }, code: ['list_add_tail(&tsk->oom_reap_list, &oom_reaper_list);', 'schedule_timeout_idle(HZ/10);'] },
    ],
    epilogue: [],
  },
};
