// Source ids that have been checked against a primary source (the team's sourced kernel
// facts and the seed thread). The campaign test requires every campaign lesson to cite
// only these, so a lesson never invents a commit or a Message-ID; lessons:check warns
// about an id it does not know. Add an id here only together with where it was verified.

export interface KnownSource {
  id: string;
  kind: 'commit' | 'message' | 'doc';
  what: string;
}

export const KNOWN_SOURCES: readonly KnownSource[] = [
  // commits (upstream, linux-next, or Michal Hocko's tree as posted in the seed thread)
  { kind: 'commit', id: 'd7a94e7e11badf84', what: 'oom: don\'t count on mm-less current process (Tetsuo Handa, 2014)' },
  { kind: 'commit', id: '212925802454', what: 'mm: oom: let oom_reap_task and exit_mmap run concurrently (Andrea Arcangeli, 2017)' },
  { kind: 'commit', id: '4837fe37adff', what: 'mm, oom_reaper: fix memory corruption (Michal Hocko, Dec 2017)' },
  { kind: 'commit', id: '27ae357fa82b', what: 'mm, oom: fix concurrent munlock and oom reaper unmap, v3 (David Rientjes, 2018)' },
  { kind: 'commit', id: '97b1255cb27c551d', what: 'mm,oom_reaper: check for MMF_OOM_SKIP before complaining (Tetsuo Handa, 2018)' },
  { kind: 'commit', id: '45c6e373dd94', what: 'linux-next commit of David Rientjes\' "fix unnecessary killing of additional processes" (June 2018)' },
  { kind: 'commit', id: 'e57a1e84db95906e6505de26db896f1b66b5b057', what: 'fold-me: MMF_OOM_SKIP at the end of exit_mmap (Michal Hocko\'s tree, posted in the RFC thread, Sept 2018)' },
  { kind: 'commit', id: 'e568c3f34e11c1a7abb4fe6f26e51eb8f60620c3', what: 'fold-me: split free_pgtables (Michal Hocko\'s tree, posted in the RFC thread, Sept 13 2018)' },
  { kind: 'commit', id: 'af8e15cc85a25315', what: 'commit named by the Fixes: tag of "oom, oom_reaper: do not enqueue same task twice"' },
  { kind: 'commit', id: '884a7e5964e0', what: 'mm: introduce process_mrelease system call (Suren Baghdasaryan, 2021)' },
  { kind: 'commit', id: '337546e83fc7', what: 'mm/oom_kill.c: prevent a race between process_mrelease and exit_mmap (2021)' },
  { kind: 'commit', id: '64591e8605d6', what: 'mm: protect free_pgtables with mmap_lock write lock in exit_mmap (v5.17-rc1)' },
  { kind: 'commit', id: 'cc6dcfee7250', what: 'mm: document locking restrictions for vm_operations_struct::close' },
  { kind: 'commit', id: 'ba535c1caf3e', what: 'mm/oom_kill: allow process_mrelease to run under mmap_lock protection' },
  { kind: 'commit', id: 'f798a1d4f94d', what: 'mm: fix use-after-free bug when mm->mmap is reused after being freed (Feb 2022)' },
  { kind: 'commit', id: 'a213e5cf71cb', what: 'mm/munlock: delete munlock_vma_pages_all(), allow oomreap (Hugh Dickins, 2022)' },
  { kind: 'commit', id: 'bf3980c85212', what: 'mm: drop oom code from exit_mmap (Suren Baghdasaryan, 2022)' },
  { kind: 'commit', id: 'b3541d912a84', what: 'mm: delete unused MMF_OOM_VICTIM flag (Suren Baghdasaryan, 2022)' },
  { kind: 'commit', id: '763ecb035029', what: 'mm: remove the vma linked list (maple tree series)' },
  // mailing-list messages (Message-IDs; lore URL form https://lore.kernel.org/linux-mm/<id>/)
  { kind: 'message', id: '20180910125513.311-1-mhocko@kernel.org', what: '[RFC 0/3] rework mmap-exit vs. oom_reaper handover (cover), Sept 10 2018' },
  { kind: 'message', id: '20180910125513.311-3-mhocko@kernel.org', what: '[RFC 2/3] keep retrying the oom_reap operation as long as there is substantial memory left' },
  { kind: 'message', id: '20180910125513.311-4-mhocko@kernel.org', what: '[RFC 3/3] hand over MMF_OOM_SKIP to exit path if it is guaranteed to finish' },
  { kind: 'message', id: 'cc772297-5aeb-8410-d902-c224f4717514@i-love.sakura.ne.jp', what: 'Tetsuo Handa\'s first reply to the RFC, Sept 10 2018' },
  { kind: 'message', id: '20180910151127.GM10951@dhcp22.suse.cz', what: 'Michal Hocko\'s answer, Sept 10 2018' },
  { kind: 'message', id: '20180910095433.GE10951@dhcp22.suse.cz', what: 'Michal Hocko\'s reply to Tetsuo\'s Sept 8 patch' },
  { kind: 'message', id: '20180912075054.GZ10951@dhcp22.suse.cz', what: 'Michal Hocko, Sept 12 2018 (vm_prev is NULL)' },
  { kind: 'message', id: '20180913090950.GD20287@dhcp22.suse.cz', what: 'Michal Hocko, Sept 13 2018 (ppc and sparc need the per-VMA walk; split free_pgtables)' },
  { kind: 'message', id: '20180913134032.GF20287@dhcp22.suse.cz', what: 'Michal Hocko, Sept 13 2018 (VM_HUGETLB, VM_PFNMAP and VM_SHARED never change)' },
  { kind: 'message', id: '792a95e1-b81d-b220-f00b-27b7abf969f4@i-love.sakura.ne.jp', what: 'Tetsuo Handa, Sept 14 2018: the combined "Michal\'s proposal" and "Tetsuo\'s proposal"' },
  { kind: 'message', id: '1536382452-3443-1-git-send-email-penguin-kernel@I-love.SAKURA.ne.jp', what: 'Tetsuo Handa, [PATCH v2] mm, oom: Fix unnecessary killing of additional processes, Sept 8 2018' },
  { kind: 'message', id: '20181025082403.3806-1-mhocko@kernel.org', what: '[RFC PATCH v2 0/3] oom: rework oom_reaper vs. exit_mmap handoff, Oct 25 2018' },
  { kind: 'message', id: '20181025082403.3806-2-mhocko@kernel.org', what: '[RFC PATCH v2 1/3] mm, oom: rework mmap_exit vs. oom_reaper synchronization' },
  { kind: 'message', id: '20181025082403.3806-3-mhocko@kernel.org', what: '[RFC PATCH v2 2/3]' },
  { kind: 'message', id: '20181025082403.3806-4-mhocko@kernel.org', what: '[RFC PATCH v2 3/3]' },
  { kind: 'message', id: '201810300445.w9U4jMhu076672@www262.sakura.ne.jp', what: 'Tetsuo Handa\'s objection to RFC v2 (vm_ops->close implementations), Oct 30 2018' },
  { kind: 'message', id: '20181030063136.GU32673@dhcp22.suse.cz', what: 'Michal Hocko\'s reply, Oct 30 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1804171545460.53786@chino.kir.corp.google.com', what: 'David Rientjes, munlock vs. oom reaper fix v1, Apr 17 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1804231706340.18716@chino.kir.corp.google.com', what: 'David Rientjes, the fix v3 (27ae357fa82b), Apr 23 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1805141433390.31401@chino.kir.corp.google.com', what: 'CVE-2018-1000200 follow-up on oss-security, May 14 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1805241422070.182300@chino.kir.corp.google.com', what: 'David Rientjes, thread root of "fix unnecessary killing of additional processes", May 24 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1806141339580.4543@chino.kir.corp.google.com', what: 'David Rientjes, [patch] of June 14 2018' },
  { kind: 'message', id: 'alpine.DEB.2.21.1806211434420.51095@chino.kir.corp.google.com', what: 'David Rientjes, [patch v3] mm, oom: fix unnecessary killing of additional processes, June 21 2018' },
  { kind: 'message', id: '20180621105848.GA114615@lkp-hsx02', what: 'kbuild robot report citing linux-next 45c6e373dd94' },
  { kind: 'message', id: 'a78fb992-ad59-0cdb-3c38-8284b2245f21@i-love.sakura.ne.jp', what: 'Tetsuo Handa\'s NACK with the 20-step race, July 19 2018' },
  { kind: 'message', id: '20170816132329.GA32169@dhcp22.suse.cz', what: 'the -mm add of 212925802454 quoted, Aug 16 2017' },
  { kind: 'message', id: '20171210095130.17110-1-mhocko@kernel.org', what: 'mm, oom_reaper: fix memory corruption (4837fe37adff), Dec 10 2017' },
  { kind: 'message', id: '1419856327-673-2-git-send-email-mhocko@suse.cz', what: 'd7a94e7e11badf84 as posted, Dec 29 2014' },
  { kind: 'message', id: '201412122254.AJJ57896.OLFOOJQHSMtFVF@I-love.SAKURA.ne.jp', what: 'RFC thread that led to d7a94e7e11badf84, Dec 2014' },
  { kind: 'message', id: '201606170040.FGC21882.FMLHOtVSFFJOQO@I-love.SAKURA.ne.jp', what: '2016 thread where d7a94e7e11badf84 was doubted' },
  { kind: 'message', id: '20211022014658.263508-1-surenb@google.com', what: 'process_mrelease vs. exit_mmap race fix (337546e83fc7), Oct 2021' },
  { kind: 'message', id: '20211116215715.645231-1-surenb@google.com', what: 'free_pgtables under mmap_lock (64591e8605d6), Nov 2021' },
  { kind: 'message', id: '20220215201922.1908156-1-surenb@google.com', what: 'mm->mmap use-after-free fix (f798a1d4f94d), Feb 2022' },
  { kind: 'message', id: '00000000000072ef2c05d7f81950@google.com', what: 'syzbot report behind f798a1d4f94d' },
  { kind: 'message', id: 'd9a9f8c3-1ee0-4c81-7017-6ecb78554a7@google.com', what: 'Hugh Dickins, munlock rework v2 (a213e5cf71cb), Feb 14 2022' },
  { kind: 'message', id: '20220510030014.3842475-1-surenb@google.com', what: 'Suren Baghdasaryan, drop oom code from exit_mmap, v1 series, May 9 2022' },
  { kind: 'message', id: '20220510030014.3842475-2-surenb@google.com', what: 'the series, patch 2/3' },
  { kind: 'message', id: '20220510030014.3842475-3-surenb@google.com', what: 'the series, patch 3/3' },
  { kind: 'message', id: 'YnpjNyrdqT/QxBPI@dhcp22.suse.cz', what: 'Michal Hocko\'s review with the history of the exit_mmap oom code, May 2022' },
  { kind: 'message', id: '1d161137-55a5-126f-b47e-b2625bd798ca@i-love.sakura.ne.jp', what: 'oom, oom_reaper: do not enqueue same task twice, v2, Jan 2019' },
  // documents (kernel source files as read for the team's kernel facts)
  { kind: 'doc', id: 'linux-4.19:include/linux/mm_types.h', what: 'struct mm_struct, v4.19 source' },
  { kind: 'doc', id: 'linux-4.19:mm/oom_kill.c', what: 'out_of_memory, oom_evaluate_task, mark_oom_victim, oom_reap_task, v4.19 source' },
  { kind: 'doc', id: 'linux-4.19:mm/page_alloc.c', what: '__alloc_pages_may_oom (mutex_trylock of oom_lock), v4.19 source' },
  { kind: 'doc', id: 'linux-4.19:kernel/fork.c', what: 'mmput, __mmput, v4.19 source' },
  { kind: 'doc', id: 'linux-6.x:mm/oom_kill.c', what: 'queue_oom_reaper with OOM_REAPER_DELAY, current source' },
  { kind: 'doc', id: 'CVE-2018-1000200', what: 'bad memory access on oom kill of a large mlocked process (4.14 to 4.16)' },
  { kind: 'doc', id: 'https://lkml.org/lkml/2017/8/14/982', what: 'the 2017 posting of 212925802454' },
];

/** Whether a cited id is a known one (commit ids match by prefix, at least 12 hex digits or the whole known id). */
export function isKnownSource(kind: string, id: string): boolean {
  const want = id.trim();
  return KNOWN_SOURCES.some((s) => {
    if (s.kind === 'commit' && kind === 'commit') {
      const a = want.toLowerCase();
      return a.length >= Math.min(12, s.id.length) && (s.id.startsWith(a) || a.startsWith(s.id));
    }
    if (kind === 'commit' || s.kind === 'commit') return false;
    return s.id === want;
  });
}
