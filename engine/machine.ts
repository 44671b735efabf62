// The interpreter: what each instruction means. Actors are numbered 0 = victim,
// 1 = reaper, 2.. = allocators. `blockedReason` is the guard of the actor's current step;
// `applyStep` runs that step on a mutable state and moves the actor's program counter.
// Both are total functions of the state: no clocks, no randomness, no I/O.

import { nextLoopVma, type CompiledStep, type Program } from './program.js';
import { held, reapable } from './state.js';
import type { ActorId, ActorRole, OopsBug, State } from './types.js';
import { variantPrograms, type CompiledVariant } from './variants/index.js';

export const VICTIM = 0;
export const REAPER = 1;
export const FIRST_ALLOCATOR = 2;

export function actorCount(s: State): number {
  return FIRST_ALLOCATOR + s.allocators.length;
}

export function actorId(s: State, a: number): ActorId {
  if (a === VICTIM) return 'victim';
  if (a === REAPER) return 'reaper';
  return s.allocators.length === 1 ? 'allocator' : `allocator${a - FIRST_ALLOCATOR + 1}`;
}

export function actorIndex(s: State, id: string): number {
  if (id === 'victim') return VICTIM;
  if (id === 'reaper') return REAPER;
  if (id === 'allocator' && s.allocators.length === 1) return FIRST_ALLOCATOR;
  const m = /^allocator([1-9][0-9]?)$/.exec(id);
  if (m && s.allocators.length > 1) {
    const k = Number(m[1]);
    if (k <= s.allocators.length) return FIRST_ALLOCATOR + k - 1;
  }
  return -1;
}

export function actorRole(a: number): ActorRole {
  return a === VICTIM ? 'victim' : a === REAPER ? 'reaper' : 'allocator';
}

let lastVariant: string | null = null;
let lastPrograms: CompiledVariant | null = null;

export function programOf(s: State, a: number): Program {
  // one-entry cache: the explorer asks for the same variant millions of times
  if (s.scenario.variant !== lastVariant) {
    lastPrograms = variantPrograms(s.scenario.variant);
    lastVariant = s.scenario.variant;
  }
  const v = lastPrograms!;
  return a === VICTIM ? v.victim : a === REAPER ? v.reaper : v.allocator;
}

interface Cursor { pc: number; vma: number }

function cursorOf(s: State, a: number): Cursor {
  return a === VICTIM ? s.victim : a === REAPER ? s.reaper : { pc: s.allocators[a - FIRST_ALLOCATOR]!.pc, vma: 0 };
}

/** The actor's current step, or null when it has none (not killed yet, exited, satisfied). */
export function currentStep(s: State, a: number): CompiledStep | null {
  if (a >= FIRST_ALLOCATOR) {
    const al = s.allocators[a - FIRST_ALLOCATOR]!;
    return al.satisfied ? null : programOf(s, a).steps[al.pc] ?? null;
  }
  const c = cursorOf(s, a);
  return c.pc < 0 ? null : programOf(s, a).steps[c.pc] ?? null;
}

/** The step's name as actions and traces spell it: per-VMA steps carry `:<vma>`. */
export function stepName(s: State, a: number, st: CompiledStep): string {
  return st.loop ? `${st.name}:${cursorOf(s, a).vma}` : st.name;
}

/** Why the actor cannot take a step now, or null when it can. */
export function blockedReason(s: State, a: number): string | null {
  if (s.outcome) return `the run has ended: ${s.outcome.id}`;
  const st = currentStep(s, a);
  if (!st) {
    if (a === VICTIM) return s.victim.pc < 0 ? 'running normally: not killed yet' : 'a zombie: its exit path is done';
    return 'allocation satisfied';
  }
  const cfg = s.scenario.config;
  switch (st.op.op) {
    case 'oom_wait': {
      const need = cfg.need[a - FIRST_ALLOCATOR]!;
      if (s.free >= need || !victimPending(s)) return null;
      return `waiting for the OOM victim: MMF_OOM_SKIP is not set and only ${s.free} of ${need} pages are free`;
    }
    case 'down_write':
      if (s.sem.writer) return 'down_write: mmap_sem is held for write';
      if (s.sem.readers > 0) return `down_write: mmap_sem held for read by ${s.reaper.holdsRead ? 'the reaper' : 'the victim'}`;
      return null;
    case 'down_read':
      return s.sem.writer ? 'down_read: mmap_sem is held for write' : null;
    case 'remove_vma': {
      const v = cfg.vmas[s.victim.vma]!;
      return v.close === 'M' && s.mHolder === 'allocator'
        ? `remove_vma: vm_ops->close of VMA ${s.victim.vma} waits for mutex M, held by the allocator`
        : null;
    }
    case 'reaper_wait':
      return s.reaper.queued ? null : 'oom_reaper sleeps: oom_reaper_list is empty';
    default:
      return null;
  }
}

/** A killed task whose mm lacks MMF_OOM_SKIP: the OOM killer waits for it. */
function victimPending(s: State): boolean {
  return s.tasks[0] === 'killed' && !s.flags.oomSkip;
}

/** Fast form of `blockedReason(s, a) === null` for the explorer: builds no strings. */
export function isEnabled(s: State, a: number): boolean {
  if (s.outcome) return false;
  const st = currentStep(s, a);
  if (!st) return false;
  const cfg = s.scenario.config;
  switch (st.op.op) {
    case 'oom_wait': return s.free >= cfg.need[a - FIRST_ALLOCATOR]! || !victimPending(s);
    case 'down_write': return !s.sem.writer && s.sem.readers === 0;
    case 'down_read': return !s.sem.writer;
    case 'remove_vma': return !(cfg.vmas[s.victim.vma]!.close === 'M' && s.mHolder === 'allocator');
    case 'reaper_wait': return s.reaper.queued;
    default: return true;
  }
}

export type Log = ((text: string) => void) | null;

/**
 * Runs actor a's current step on `s` (mutated in place). The caller has checked that
 * it is enabled. Sets `s.outcome` when the step ends the run and `s.needlessKill` when
 * it kills needlessly.
 */
export function applyStep(s: State, a: number, log: Log): void {
  const st = currentStep(s, a)!;
  const target = execute(s, a, st, log);
  if (s.outcome && s.outcome.id === 'oops') return; // an oops changes nothing but the outcome
  if (a >= FIRST_ALLOCATOR) {
    const al = s.allocators[a - FIRST_ALLOCATOR]!;
    if (!al.satisfied) al.pc = target ?? st.next;
    return;
  }
  const cur = a === VICTIM ? s.victim : s.reaper;
  const prog = programOf(s, a);
  if (target !== undefined) { enter(s, cur, prog, target); return; }
  const loop = st.loop;
  if (loop && cur.pc === loop.end - 1) {
    const v = nextLoopVma(loop.kind, s.scenario.config, cur.vma + 1);
    if (v >= 0) { cur.pc = loop.start; cur.vma = v; return; }
  } else if (loop) { cur.pc += 1; return; }
  enter(s, cur, prog, st.next);
}

/** Moves a cursor to step k, entering loops (or skipping those with no VMA to visit). */
function enter(s: State, cur: Cursor, prog: Program, k: number): void {
  let idx = k < 0 ? prog.steps.length : k;
  cur.vma = 0;
  for (;;) {
    const st = prog.steps[idx];
    if (!st || !st.loop || st.loop.start !== idx) break;
    const v = nextLoopVma(st.loop.kind, s.scenario.config, 0);
    if (v >= 0) { cur.vma = v; break; }
    idx = st.loop.end;
  }
  cur.pc = idx;
}

function zap(s: State, i: number): number {
  const v = s.vmas[i]!;
  const pages = v.mapped;
  s.free += pages;
  v.mapped = 0;
  if (v.munlocking) v.zappedWhileMunlocking = true;
  return pages;
}

export function oopsDetail(bug: OopsBug, vma: number): string {
  switch (bug) {
    case 'munlock_zapped_pmd': return `page walk over a zapped PMD: munlock of VMA ${vma} ran into the reaper's zap (fixed by 27ae357fa82b)`;
    case 'reaper_use_after_free': return `walk over freed VMAs or page tables: the reaper visits VMA ${vma} after the exit path freed it`;
    case 'vm_prev_null': return 'NULL pointer dereference: the first VMA has no vm_prev (free_pgd_range in exit_mmap)';
    case 'hugetlb_teardown': return 'bad hugetlb page-table teardown: free_pgd_range() up to highest_vm_end instead of hugetlb_free_pgd_range() on ppc';
  }
}

function oops(s: State, bug: OopsBug, vma: number): undefined {
  s.outcome = { id: 'oops', detail: oopsDetail(bug, vma), bug, vma };
  return undefined;
}

function killFirstAlive(s: State, a: number, log: Log): boolean {
  const i = s.tasks.findIndex((t) => t === 'alive');
  if (i < 0) return false;
  const cfg = s.scenario.config;
  const need = cfg.need[a - FIRST_ALLOCATOR]!;
  if (s.kills > 0 && s.free + held(s) >= need) s.needlessKill = true;
  s.kills += 1;
  if (i === 0) {
    s.tasks[0] = 'killed';
    s.flags.victim = true;
    const r = s.reaper;
    r.queued = true;
    r.last = held(s);
    r.stall = 0;
    r.ticks = 0;
    enter(s, s.victim, programOf(s, VICTIM), 0);
    log?.('oom_kill_process: kills the victim V, marks its mm MMF_OOM_VICTIM and queues it for the oom_reaper');
  } else {
    s.tasks[i] = 'gone';
    s.free += cfg.bystanders[i - 1]!;
    log?.(`oom_kill_process: kills bystander W${i}, which frees ${cfg.bystanders[i - 1]} pages at once`);
  }
  return true;
}

/** Runs the op; returns a branch target index, or undefined to fall through. */
function execute(s: State, a: number, st: CompiledStep, log: Log): number | undefined {
  const cfg = s.scenario.config;
  const op = st.op;
  switch (op.op) {
    // ---- allocator ----
    case 'try_alloc': {
      const k = a - FIRST_ALLOCATOR;
      const need = cfg.need[k]!;
      if (s.free < need) { log?.(`allocation of ${need} pages fails: ${s.free} free`); return undefined; }
      s.free -= need;
      s.allocators[k]!.satisfied = true;
      if (k === 0 && s.mHolder === 'allocator') s.mHolder = 'none';
      log?.(`allocates ${need} pages`);
      if (s.allocators.every((x) => x.satisfied)) s.outcome = { id: 'success' };
      return undefined;
    }
    case 'out_of_memory': {
      const need = cfg.need[a - FIRST_ALLOCATOR]!;
      if (s.free >= need) { log?.('out_of_memory: enough memory is free now; retry the allocation'); return st.targets[0]; }
      if (victimPending(s)) { log?.('out_of_memory: the victim lacks MMF_OOM_SKIP; abort the scan and wait'); return st.targets[1]; }
      const neededBefore = s.needlessKill;
      if (!killFirstAlive(s, a, log)) {
        s.outcome = { id: 'panic', detail: 'Out of memory and no killable processes' };
        log?.('out_of_memory: nothing left to kill: panic');
        return undefined;
      }
      if (s.needlessKill && !neededBefore) log?.('needless kill: waiting for the first victim would have been enough');
      return st.targets[0];
    }
    case 'oom_wait':
      log?.('wakes up and retries');
      return undefined;
    // ---- victim ----
    case 'mmput':
      s.flags.inMmput = true;
      log?.('mmput: mm_users reaches 0, __mmput() starts exit_mmap()');
      return undefined;
    case 'munlock_clear': {
      const v = s.vmas[s.victim.vma]!;
      v.locked = false;
      v.munlocking = true;
      log?.(`clears VM_LOCKED on VMA ${s.victim.vma}`);
      return undefined;
    }
    case 'munlock_pages': {
      const v = s.vmas[s.victim.vma]!;
      if (v.zappedWhileMunlocking) return oops(s, 'munlock_zapped_pmd', s.victim.vma);
      v.munlocking = false;
      log?.(`munlocks the pages of VMA ${s.victim.vma}`);
      return undefined;
    }
    case 'self_reap_begin':
      s.flags.unstable = true;
      log?.('__oom_reap_task_mm(): sets MMF_UNSTABLE before it reaps anything');
      return undefined;
    case 'self_reap': {
      const i = s.victim.vma;
      const spec = cfg.vmas[i]!;
      if (reapable(spec, s.vmas[i]!.locked, true)) {
        const pages = zap(s, i);
        log?.(`reaps VMA ${i} itself: ${pages} pages freed`);
      } else log?.(`skips VMA ${i} (${s.vmas[i]!.locked ? 'VM_LOCKED' : spec.kind})`);
      return undefined;
    }
    case 'unmap': {
      const pages = zap(s, s.victim.vma);
      log?.(`unmaps VMA ${s.victim.vma}: ${pages} pages freed`);
      return undefined;
    }
    case 'set_flag':
      if (op.flag === 'mmapNull') s.mmapNull = true;
      else s.flags[op.flag] = true;
      log?.(op.flag === 'mmapNull' ? 'sets mm->mmap = NULL' : `sets ${op.flag === 'oomSkip' ? 'MMF_OOM_SKIP' : 'MMF_UNSTABLE'}`);
      return undefined;
    case 'down_write':
      s.sem.writer = true;
      log?.('takes mmap_sem for write');
      return undefined;
    case 'up_write':
      s.sem.writer = false;
      log?.('releases mmap_sem (write)');
      return undefined;
    case 'down_read':
      s.sem.readers += 1;
      s.victim.holdsRead = true;
      log?.('takes mmap_sem for read');
      return undefined;
    case 'up_read':
      s.sem.readers -= 1;
      s.victim.holdsRead = false;
      log?.('releases mmap_sem (read)');
      return undefined;
    case 'unlink_all':
      for (const v of s.vmas) v.unlinked = true;
      log?.('unlinks every VMA from the rmap');
      return undefined;
    case 'free_pgtables':
      if (op.how === 'vm_prev_null') return oops(s, 'vm_prev_null', 0);
      if (op.how === 'highest_vm_end' && cfg.arch === 'ppc' && cfg.vmas.some((v) => v.kind === 'hugetlb')) {
        return oops(s, 'hugetlb_teardown', cfg.vmas.findIndex((v) => v.kind === 'hugetlb'));
      }
      log?.(`frees the page tables: ${s.pgtables} pages`);
      s.free += s.pgtables;
      s.pgtables = 0;
      s.pgtablesFreed = true;
      return undefined;
    case 'remove_vma':
      s.vmas[s.victim.vma]!.removed = true;
      log?.(`removes VMA ${s.victim.vma}${cfg.vmas[s.victim.vma]!.close === 'M' ? ' (vm_ops->close takes M)' : ''}`);
      return undefined;
    case 'exit_done':
      log?.('exit done: the victim is a zombie, still visible to the OOM killer');
      return undefined;
    // ---- reaper ----
    case 'reaper_wait':
      s.reaper.attempts = 0;
      log?.('picks the victim off oom_reaper_list');
      return undefined;
    case 'reaper_trylock': {
      const r = s.reaper;
      if (op.countAttempt) r.attempts += 1;
      if (op.skipIfUnstable && s.flags.unstable) { log?.('MMF_UNSTABLE is set: the exit path owns the mm'); return st.targets[0]; }
      if (s.sem.writer) { log?.('down_read_trylock fails: mmap_sem is held for write'); return st.targets[0]; }
      s.sem.readers += 1;
      r.holdsRead = true;
      log?.('down_read_trylock succeeds');
      return undefined;
    }
    case 'reaper_branch': {
      const set = op.flag === 'mmapNull' ? s.mmapNull : s.flags[op.flag];
      if (set) {
        if (op.dequeue) s.reaper.queued = false;
        log?.(`${flagText(op.flag)} is set${op.dequeue ? ': drops the victim' : ''}`);
        return st.targets[0];
      }
      if (op.elseSetUnstable) s.flags.unstable = true;
      log?.(`${flagText(op.flag)} is not set${op.elseSetUnstable ? ': sets MMF_UNSTABLE' : ''}`);
      return undefined;
    }
    case 'reap_begin':
      s.flags.unstable = true;
      s.reaper.reaped = true;
      log?.('sets MMF_UNSTABLE and starts reaping');
      return undefined;
    case 'reap_vma': {
      const i = s.reaper.vma;
      const v = s.vmas[i]!;
      if (v.removed || s.pgtablesFreed) return oops(s, 'reaper_use_after_free', i);
      if (reapable(cfg.vmas[i]!, v.locked, op.respectLocked)) {
        const pages = zap(s, i);
        log?.(`reaps VMA ${i}: ${pages} pages freed`);
      } else log?.(`skips VMA ${i} (${v.locked && op.respectLocked ? 'VM_LOCKED' : cfg.vmas[i]!.kind})`);
      return undefined;
    }
    case 'reaper_unlock': {
      const r = s.reaper;
      s.sem.readers -= 1;
      r.holdsRead = false;
      const more = op.feedback && r.reaped && held(s) > cfg.keepAbove;
      r.reaped = false;
      log?.(more ? `releases mmap_sem; ${held(s)} pages still held: try again` : 'releases mmap_sem');
      return more ? st.targets[0] : undefined;
    }
    case 'reaper_retry':
      if (s.reaper.attempts < cfg.maxAttempts) { log?.(`sleeps, then retries (attempt ${s.reaper.attempts} of ${cfg.maxAttempts})`); return st.targets[0]; }
      log?.('gives up: out of attempts');
      return st.targets[1];
    case 'reaper_done':
      if (op.skip === 'always' || !s.mmapNull) s.flags.oomSkip = true;
      s.reaper.queued = false;
      log?.(s.flags.oomSkip ? 'done: MMF_OOM_SKIP is set' : 'done: handed over, MMF_OOM_SKIP left to the exit path');
      return st.targets[0];
    case 'progress_check': {
      const r = s.reaper;
      const h = held(s);
      if (h < r.last) { r.last = h; r.stall = 0; log?.(`progress: badness fell to ${h}`); return undefined; }
      r.stall += 1;
      if (r.stall > cfg.stallLimit) {
        s.flags.oomSkip = true;
        r.queued = false;
        log?.(`no progress ${r.stall} times: sets MMF_OOM_SKIP`);
        return st.targets[0];
      }
      log?.(`no progress (${r.stall} of ${cfg.stallLimit})`);
      return undefined;
    }
    case 'deadline_check':
      if (s.reaper.ticks >= cfg.deadline) {
        s.flags.oomSkip = true;
        s.reaper.queued = false;
        log?.('the deadline has passed: sets MMF_OOM_SKIP');
        return st.targets[0];
      }
      log?.(`deadline not reached (${s.reaper.ticks} of ${cfg.deadline})`);
      return undefined;
    case 'reaper_sleep':
      if (op.tick) s.reaper.ticks += 1;
      log?.('sleeps HZ/10');
      return st.targets[0];
  }
}

function flagText(f: 'oomSkip' | 'unstable' | 'mmapNull' | 'inMmput'): string {
  return f === 'oomSkip' ? 'MMF_OOM_SKIP' : f === 'unstable' ? 'MMF_UNSTABLE' : f === 'mmapNull' ? 'mm->mmap == NULL' : 'mm_users == 0';
}

/** Whether no actor can move: with no outcome yet, that is a lockup. */
export function noneEnabled(s: State): boolean {
  const n = actorCount(s);
  for (let a = 0; a < n; a++) if (isEnabled(s, a)) return false;
  return true;
}

/** Runs a step and the lockup check; what step() and the explorer both call. */
export function advance(s: State, a: number, log: Log): void {
  applyStep(s, a, log);
  if (!s.outcome && noneEnabled(s)) s.outcome = { id: 'lockup', detail: lockupDetail(s) };
}

/** Who waits for what in a stuck state (computed before the outcome is set). */
export function lockupDetail(s: State): string {
  const parts: string[] = [];
  const saved = s.outcome;
  s.outcome = null;
  const n = actorCount(s);
  for (let b = 0; b < n; b++) if (currentStep(s, b)) parts.push(`${actorId(s, b)}: ${blockedReason(s, b)}`);
  s.outcome = saved;
  return parts.join('; ');
}
