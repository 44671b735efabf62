// The interpreter: what each instruction means. Actors are numbered 0 = victim,
// 1 = reaper, 2.. = allocators. `blockedReason` is the guard of the actor's current step;
// `applyStep` runs that step on a mutable state and moves the actor's program counter.
// Both are total functions of the state: no clocks, no randomness, no I/O. They work on
// the packed state (packed.ts), which the explorer steps directly; step() and the other
// State-object callers go through encode.ts, so these semantics exist once.

import {
  ALIVE, GONE, KILLED, OUTCOME_LOCKUP, OUTCOME_NONE, OUTCOME_OOPS, OUTCOME_PANIC, OUTCOME_SUCCESS,
  VMA_LOCKED, VMA_MUNLOCKING, VMA_REMOVED, VMA_UNLINKED, VMA_ZAPPED_WHILE_MUNLOCKING, type PackedState,
} from './packed.js';
import { nextLoopVma, type CompiledStep, type MmFlagName, type Program } from './program.js';
import { reapable } from './state.js';
import { count } from './words.js';
import type { ActorId, ActorRole, OopsBug, Scenario } from './types.js';
import { OOPS_BUGS } from './types.js';

export const VICTIM = 0;
export const REAPER = 1;
export const FIRST_ALLOCATOR = 2;

export function actorCount(sc: Scenario): number {
  return FIRST_ALLOCATOR + sc.config.need.length;
}

export function actorId(sc: Scenario, a: number): ActorId {
  if (a === VICTIM) return 'victim';
  if (a === REAPER) return 'reaper';
  return sc.config.need.length === 1 ? 'allocator' : `allocator${a - FIRST_ALLOCATOR + 1}`;
}

export function actorIndex(sc: Scenario, id: string): number {
  const allocators = sc.config.need.length;
  if (id === 'victim') return VICTIM;
  if (id === 'reaper') return REAPER;
  if (id === 'allocator' && allocators === 1) return FIRST_ALLOCATOR;
  const m = /^allocator([1-9][0-9]?)$/.exec(id);
  if (m && allocators > 1) {
    const k = Number(m[1]);
    if (k <= allocators) return FIRST_ALLOCATOR + k - 1;
  }
  return -1;
}

export function actorRole(a: number): ActorRole {
  return a === VICTIM ? 'victim' : a === REAPER ? 'reaper' : 'allocator';
}

function programOf(s: PackedState, a: number): Program {
  return a === VICTIM ? s.victimProgram : a === REAPER ? s.reaperProgram : s.allocatorProgram;
}

/** The actor's program counter (the victim's is -1 until it is killed). */
function pcOf(s: PackedState, a: number): number {
  return a === VICTIM ? s.victimPc : a === REAPER ? s.reaperPc : s.allocatorPc(a - FIRST_ALLOCATOR);
}

/** The VMA the actor's current per-VMA step works on. */
function vmaOf(s: PackedState, a: number): number {
  return a === VICTIM ? s.victimVma : a === REAPER ? s.reaperVma : 0;
}

/** Moves the victim's or the reaper's cursor. */
function setCursor(s: PackedState, a: number, pc: number, vma: number): void {
  if (a === VICTIM) { s.victimPc = pc; s.victimVma = vma; } else { s.reaperPc = pc; s.reaperVma = vma; }
}

/** The actor's current step, or null when it has none (not killed yet, exited, satisfied). */
export function currentStep(s: PackedState, a: number): CompiledStep | null {
  if (a >= FIRST_ALLOCATOR) {
    const k = a - FIRST_ALLOCATOR;
    return s.satisfied(k) ? null : stepAt(s.allocatorProgram, s.allocatorPc(k));
  }
  const pc = pcOf(s, a);
  return pc < 0 ? null : stepAt(programOf(s, a), pc);
}

/** Step pc of the program, or null past its end (checked: an out-of-bounds read would deoptimise the hot path). */
function stepAt(p: Program, pc: number): CompiledStep | null {
  return pc < p.steps.length ? p.steps[pc]! : null;
}

/** The step's name as actions and traces spell it: per-VMA steps carry `:<vma>`. */
export function stepName(s: PackedState, a: number, st: CompiledStep): string {
  return st.loop ? `${st.name}:${vmaOf(s, a)}` : st.name;
}

const OUTCOME_NAMES = ['', 'success', 'lockup', 'oops', 'panic'];

/** Why the actor cannot take a step now, or null when it can. */
export function blockedReason(s: PackedState, a: number): string | null {
  if (s.outcome !== OUTCOME_NONE) return `the run has ended: ${OUTCOME_NAMES[s.outcome]}`;
  const st = currentStep(s, a);
  if (!st) {
    if (a === VICTIM) return s.victimPc < 0 ? 'running normally: not killed yet' : 'a zombie: its exit path is done';
    return 'allocation satisfied';
  }
  const cfg = s.config;
  switch (st.kind) {
    case 'oom_wait': {
      const need = cfg.need[a - FIRST_ALLOCATOR]!;
      if (s.free >= need || !victimPending(s)) return null;
      return `waiting for the OOM victim: MMF_OOM_SKIP is not set and only ${s.free} of ${need} pages are free`;
    }
    case 'down_write':
      if (s.semWriter) return 'down_write: mmap_sem is held for write';
      if (s.semReaders > 0) return `down_write: mmap_sem held for read by ${s.reaperHoldsRead ? 'the reaper' : 'the victim'}`;
      return null;
    case 'down_read':
      return s.semWriter ? 'down_read: mmap_sem is held for write' : null;
    case 'remove_vma': {
      const v = cfg.vmas[s.victimVma]!;
      return v.close === 'M' && s.mHeld
        ? `remove_vma: vm_ops->close of VMA ${s.victimVma} waits for mutex M, held by the allocator`
        : null;
    }
    case 'reaper_wait':
      return s.reaperQueued ? null : 'oom_reaper sleeps: oom_reaper_list is empty';
    default:
      return null;
  }
}

/** A killed task whose mm lacks MMF_OOM_SKIP: the OOM killer waits for it. */
function victimPending(s: PackedState): boolean {
  return s.task(0) === KILLED && !s.oomSkip;
}

/**
 * Fast form of `blockedReason(s, a) === null` for a state whose run goes on (the caller has
 * checked the outcome), for the explorer: builds no strings.
 */
export function canStep(s: PackedState, a: number): boolean {
  return enabledStep(s, a) !== null;
}

/** The actor's current step when it can take it now, else null: what the explorer passes on to applyStep. */
export function enabledStep(s: PackedState, a: number): CompiledStep | null {
  const st = currentStep(s, a);
  if (!st) return null;
  switch (st.kind) {
    case 'oom_wait': return s.free >= s.config.need[a - FIRST_ALLOCATOR]! || !victimPending(s) ? st : null;
    case 'down_write': return !s.semWriter && s.semReaders === 0 ? st : null;
    case 'down_read': return !s.semWriter ? st : null;
    case 'remove_vma': return !(s.config.vmas[s.victimVma]!.close === 'M' && s.mHeld) ? st : null;
    case 'reaper_wait': return s.reaperQueued ? st : null;
    default: return st;
  }
}

export type Log = ((text: string) => void) | null;

/**
 * Runs actor a's current step `st` on `s` (mutated in place). The caller has checked that
 * it is enabled. Sets the outcome when the step ends the run and needlessKill when it
 * kills needlessly.
 */
export function applyStep(s: PackedState, a: number, log: Log, st: CompiledStep = currentStep(s, a)!): void {
  const target = execute(s, a, st, log);
  if (s.outcome === OUTCOME_OOPS) return; // an oops changes nothing but the outcome
  if (a >= FIRST_ALLOCATOR) {
    const k = a - FIRST_ALLOCATOR;
    if (!s.satisfied(k)) s.setAllocatorPc(k, target ?? st.next);
    return;
  }
  const prog = programOf(s, a);
  if (target !== undefined) { enter(s, a, prog, target); return; }
  const loop = st.loop;
  const pc = pcOf(s, a);
  if (loop && pc === loop.end - 1) {
    const v = nextLoopVma(loop.kind, s.config, vmaOf(s, a) + 1);
    if (v >= 0) { setCursor(s, a, loop.start, v); return; }
  } else if (loop) { setCursor(s, a, pc + 1, vmaOf(s, a)); return; }
  enter(s, a, prog, st.next);
}

/** Moves the victim's or the reaper's cursor to step k, entering loops (or skipping those with no VMA to visit). */
function enter(s: PackedState, a: number, prog: Program, k: number): void {
  let idx = k < 0 ? prog.steps.length : k;
  let vma = 0;
  for (;;) {
    const st = prog.steps[idx];
    if (!st || !st.loop || st.loop.start !== idx) break;
    const v = nextLoopVma(st.loop.kind, s.config, 0);
    if (v >= 0) { vma = v; break; }
    idx = st.loop.end;
  }
  setCursor(s, a, idx, vma);
}

/** held(V): the victim's OOM badness — resident pages plus page tables. */
export function held(s: PackedState): number {
  let sum = s.pgtables;
  for (let i = 0; i < s.vmaCount; i++) sum += s.mapped(i);
  return sum;
}

function zap(s: PackedState, i: number): number {
  const pages = s.mapped(i);
  s.free += pages;
  s.setMapped(i, 0);
  if (s.vmaFlag(i, VMA_MUNLOCKING)) s.setVmaFlag(i, VMA_ZAPPED_WHILE_MUNLOCKING, true);
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

export const PANIC_DETAIL = 'Out of memory and no killable processes';

function oops(s: PackedState, bug: OopsBug, vma: number): undefined {
  s.outcome = OUTCOME_OOPS;
  s.oopsBug = OOPS_BUGS.indexOf(bug) + 1;
  s.oopsVma = vma;
  return undefined;
}

function killFirstAlive(s: PackedState, a: number, log: Log): boolean {
  let i = 0;
  while (i < s.tasks && s.task(i) !== ALIVE) i++;
  if (i === s.tasks) return false;
  const cfg = s.config;
  const need = cfg.need[a - FIRST_ALLOCATOR]!;
  if (s.kills > 0 && s.free + held(s) >= need) s.needlessKill = true;
  s.kills += 1;
  if (i === 0) {
    s.setTask(0, KILLED);
    s.victimFlag = true;
    s.reaperQueued = true;
    s.last = held(s);
    s.stall = 0;
    s.ticks = 0;
    enter(s, VICTIM, s.victimProgram, 0);
    log?.('oom_kill_process: kills the victim V, marks its mm MMF_OOM_VICTIM and queues it for the oom_reaper');
  } else {
    s.setTask(i, GONE);
    s.free += cfg.bystanders[i - 1]!;
    log?.(`oom_kill_process: kills bystander W${i}, which frees ${count(cfg.bystanders[i - 1]!, 'page')} at once`);
  }
  return true;
}

function flagSet(s: PackedState, f: MmFlagName): boolean {
  return f === 'oomSkip' ? s.oomSkip : f === 'unstable' ? s.unstable : f === 'mmapNull' ? s.mmapNull : s.inMmput;
}

function allSatisfied(s: PackedState): boolean {
  for (let k = 0; k < s.allocators; k++) if (!s.satisfied(k)) return false;
  return true;
}

/** Runs the op; returns a branch target index, or undefined to fall through. */
function execute(s: PackedState, a: number, st: CompiledStep, log: Log): number | undefined {
  const cfg = s.config;
  const op = st.op;
  switch (op.op) {
    // ---- allocator ----
    case 'try_alloc': {
      const k = a - FIRST_ALLOCATOR;
      const need = cfg.need[k]!;
      if (s.free < need) { log?.(`allocation of ${count(need, 'page')} fails: ${s.free} free`); return undefined; }
      s.free -= need;
      s.setSatisfied(k, true);
      if (k === 0 && s.mHeld) s.mHeld = false;
      log?.(`allocates ${count(need, 'page')}`);
      if (allSatisfied(s)) s.outcome = OUTCOME_SUCCESS;
      return undefined;
    }
    case 'out_of_memory': {
      const need = cfg.need[a - FIRST_ALLOCATOR]!;
      if (s.free >= need) { log?.('out_of_memory: enough memory is free now; retry the allocation'); return st.targets[0]; }
      if (victimPending(s)) { log?.('out_of_memory: the victim lacks MMF_OOM_SKIP; abort the scan and wait'); return st.targets[1]; }
      const neededBefore = s.needlessKill;
      if (!killFirstAlive(s, a, log)) {
        s.outcome = OUTCOME_PANIC;
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
      s.inMmput = true;
      log?.('mmput: mm_users reaches 0, __mmput() starts exit_mmap()');
      return undefined;
    case 'munlock_clear': {
      const i = s.victimVma;
      s.setVmaFlag(i, VMA_LOCKED, false);
      s.setVmaFlag(i, VMA_MUNLOCKING, true);
      log?.(`clears VM_LOCKED on VMA ${i}`);
      return undefined;
    }
    case 'munlock_pages': {
      const i = s.victimVma;
      if (s.vmaFlag(i, VMA_ZAPPED_WHILE_MUNLOCKING)) return oops(s, 'munlock_zapped_pmd', i);
      s.setVmaFlag(i, VMA_MUNLOCKING, false);
      log?.(`munlocks the pages of VMA ${i}`);
      return undefined;
    }
    case 'self_reap_begin':
      s.unstable = true;
      log?.('__oom_reap_task_mm(): sets MMF_UNSTABLE before it reaps anything');
      return undefined;
    case 'self_reap': {
      const i = s.victimVma;
      const spec = cfg.vmas[i]!;
      const locked = s.vmaFlag(i, VMA_LOCKED);
      if (reapable(spec, locked, true)) {
        const pages = zap(s, i);
        log?.(`reaps VMA ${i} itself: ${count(pages, 'page')} freed`);
      } else log?.(`skips VMA ${i} (${locked ? 'VM_LOCKED' : spec.kind})`);
      return undefined;
    }
    case 'unmap': {
      const i = s.victimVma;
      const pages = zap(s, i);
      log?.(`unmaps VMA ${i}: ${count(pages, 'page')} freed`);
      return undefined;
    }
    case 'set_flag':
      if (op.flag === 'mmapNull') s.mmapNull = true;
      else if (op.flag === 'oomSkip') s.oomSkip = true;
      else s.unstable = true;
      log?.(op.flag === 'mmapNull' ? 'sets mm->mmap = NULL' : `sets ${op.flag === 'oomSkip' ? 'MMF_OOM_SKIP' : 'MMF_UNSTABLE'}`);
      return undefined;
    case 'down_write':
      s.semWriter = true;
      log?.('takes mmap_sem for write');
      return undefined;
    case 'up_write':
      s.semWriter = false;
      log?.('releases mmap_sem (write)');
      return undefined;
    case 'down_read':
      s.semReaders += 1;
      s.victimHoldsRead = true;
      log?.('takes mmap_sem for read');
      return undefined;
    case 'up_read':
      s.semReaders -= 1;
      s.victimHoldsRead = false;
      log?.('releases mmap_sem (read)');
      return undefined;
    case 'unlink_all':
      for (let i = 0; i < s.vmaCount; i++) s.setVmaFlag(i, VMA_UNLINKED, true);
      log?.('unlinks every VMA from the rmap');
      return undefined;
    case 'free_pgtables':
      if (op.how === 'vm_prev_null') return oops(s, 'vm_prev_null', 0);
      if (op.how === 'highest_vm_end' && cfg.arch === 'ppc' && cfg.vmas.some((v) => v.kind === 'hugetlb')) {
        return oops(s, 'hugetlb_teardown', cfg.vmas.findIndex((v) => v.kind === 'hugetlb'));
      }
      log?.(`frees the page tables: ${count(s.pgtables, 'page')}`);
      s.free += s.pgtables;
      s.pgtables = 0;
      s.pgtablesFreed = true;
      return undefined;
    case 'remove_vma':
      s.setVmaFlag(s.victimVma, VMA_REMOVED, true);
      log?.(`removes VMA ${s.victimVma}${cfg.vmas[s.victimVma]!.close === 'M' ? ' (vm_ops->close takes M)' : ''}`);
      return undefined;
    case 'exit_done':
      log?.('exit done: the victim is a zombie, still visible to the OOM killer');
      return undefined;
    // ---- reaper ----
    case 'reaper_wait':
      s.attempts = 0;
      log?.('picks the victim off oom_reaper_list');
      return undefined;
    case 'reaper_trylock': {
      if (op.countAttempt) s.attempts += 1;
      if (op.skipIfUnstable && s.unstable) { log?.('MMF_UNSTABLE is set: the exit path owns the mm'); return st.targets[0]; }
      if (s.semWriter) { log?.('down_read_trylock fails: mmap_sem is held for write'); return st.targets[0]; }
      s.semReaders += 1;
      s.reaperHoldsRead = true;
      log?.('down_read_trylock succeeds');
      return undefined;
    }
    case 'reaper_branch': {
      if (flagSet(s, op.flag)) {
        if (op.dequeue) s.reaperQueued = false;
        log?.(`${flagText(op.flag)} is set${op.dequeue ? ': drops the victim' : ''}`);
        return st.targets[0];
      }
      if (op.elseSetUnstable) s.unstable = true;
      log?.(`${flagText(op.flag)} is not set${op.elseSetUnstable ? ': sets MMF_UNSTABLE' : ''}`);
      return undefined;
    }
    case 'reap_begin':
      s.unstable = true;
      s.reaperReaped = true;
      log?.('sets MMF_UNSTABLE and starts reaping');
      return undefined;
    case 'reap_vma': {
      const i = s.reaperVma;
      if (s.vmaFlag(i, VMA_REMOVED) || s.pgtablesFreed) return oops(s, 'reaper_use_after_free', i);
      const locked = s.vmaFlag(i, VMA_LOCKED);
      if (reapable(cfg.vmas[i]!, locked, op.respectLocked)) {
        const pages = zap(s, i);
        log?.(`reaps VMA ${i}: ${count(pages, 'page')} freed`);
      } else log?.(`skips VMA ${i} (${locked && op.respectLocked ? 'VM_LOCKED' : cfg.vmas[i]!.kind})`);
      return undefined;
    }
    case 'reaper_unlock': {
      s.semReaders -= 1;
      s.reaperHoldsRead = false;
      const more = op.feedback && s.reaperReaped && held(s) > cfg.keepAbove;
      s.reaperReaped = false;
      log?.(more ? `releases mmap_sem; ${count(held(s), 'page')} still held: try again` : 'releases mmap_sem');
      return more ? st.targets[0] : undefined;
    }
    case 'reaper_retry':
      if (s.attempts < cfg.maxAttempts) { log?.(`sleeps, then retries (attempt ${s.attempts} of ${cfg.maxAttempts})`); return st.targets[0]; }
      log?.('gives up: out of attempts');
      return st.targets[1];
    case 'reaper_done':
      if (op.skip === 'always' || !s.mmapNull) s.oomSkip = true;
      s.reaperQueued = false;
      log?.(s.oomSkip ? 'done: MMF_OOM_SKIP is set' : 'done: handed over, MMF_OOM_SKIP left to the exit path');
      return st.targets[0];
    case 'progress_check': {
      const h = held(s);
      if (h < s.last) { s.last = h; s.stall = 0; log?.(`progress: badness fell to ${h}`); return undefined; }
      s.stall += 1;
      if (s.stall > cfg.stallLimit) {
        s.oomSkip = true;
        s.reaperQueued = false;
        log?.(`no progress ${s.stall} times: sets MMF_OOM_SKIP`);
        return st.targets[0];
      }
      log?.(`no progress (${s.stall} of ${cfg.stallLimit})`);
      return undefined;
    }
    case 'deadline_check':
      if (s.ticks >= cfg.deadline) {
        s.oomSkip = true;
        s.reaperQueued = false;
        log?.('the deadline has passed: sets MMF_OOM_SKIP');
        return st.targets[0];
      }
      log?.(`deadline not reached (${s.ticks} of ${cfg.deadline})`);
      return undefined;
    case 'reaper_sleep':
      if (op.tick) s.ticks += 1;
      log?.('sleeps HZ/10');
      return st.targets[0];
  }
}

function flagText(f: MmFlagName): string {
  return f === 'oomSkip' ? 'MMF_OOM_SKIP' : f === 'unstable' ? 'MMF_UNSTABLE' : f === 'mmapNull' ? 'mm->mmap == NULL' : 'mm_users == 0';
}

/**
 * Whether no actor can move in a state whose run goes on: that is a lockup. Asks actor
 * `from` first (the one that just moved, which most often still can), then the others.
 */
function noneCanStep(s: PackedState, from: number): boolean {
  const n = FIRST_ALLOCATOR + s.allocators;
  if (canStep(s, from)) return false;
  for (let a = 0; a < n; a++) if (a !== from && canStep(s, a)) return false;
  return true;
}

/**
 * The lockup rule: a run that goes on but in which no actor can move has locked up. `from`,
 * the actor that just moved, is asked first.
 */
export function settleLockup(s: PackedState, from: number): void {
  if (s.outcome === OUTCOME_NONE && noneCanStep(s, from)) s.outcome = OUTCOME_LOCKUP;
}

/** Runs a step and the lockup check: what step() calls (the explorer calls the two apart). */
export function advance(s: PackedState, a: number, log: Log): void {
  applyStep(s, a, log);
  settleLockup(s, a);
}

/** Who waits for what in a stuck state (the outcome is read as not set yet). */
export function lockupDetail(s: PackedState): string {
  const parts: string[] = [];
  const saved = s.outcome;
  s.outcome = OUTCOME_NONE;
  const n = FIRST_ALLOCATOR + s.allocators;
  for (let b = 0; b < n; b++) if (currentStep(s, b)) parts.push(`${actorId(s.scenario, b)}: ${blockedReason(s, b)}`);
  s.outcome = saved;
  return parts.join('; ');
}
