// Building, copying and measuring states. A State is plain data; the engine never mutates
// a state it was given: step() works on a copy made by cloneState().

import type { Config, Scenario, State, VmaSpec } from './types.js';

export function initialState(scenario: Scenario): State {
  const c = scenario.config;
  return {
    scenario,
    free: c.free,
    tasks: ['alive', ...c.bystanders.map(() => 'alive' as const)],
    vmas: c.vmas.map((v) => ({ locked: v.locked, mapped: v.pages, unlinked: false, removed: false, munlocking: false, zappedWhileMunlocking: false })),
    pgtables: c.pgtables,
    pgtablesFreed: false,
    mmapNull: false,
    sem: { readers: 0, writer: false },
    flags: { oomSkip: false, unstable: false, victim: false, inMmput: false },
    mHolder: c.mHeld ? 'allocator' : 'none',
    kills: 0,
    needlessKill: false,
    victim: { pc: -1, vma: 0, holdsRead: false },
    reaper: { pc: 0, vma: 0, queued: false, attempts: 0, reaped: false, holdsRead: false, last: 0, stall: 0, ticks: 0 },
    allocators: c.need.map(() => ({ pc: 0, satisfied: false })),
    outcome: null,
  };
}

/** A deep copy sharing only the immutable scenario (and the outcome, which is never mutated). */
export function cloneState(s: State): State {
  const t = initialState(s.scenario);
  copyInto(t, s);
  return t;
}

/** held(V): the victim's OOM badness — resident pages plus page tables. */
export function held(s: State): number {
  let sum = s.pgtables;
  for (const v of s.vmas) sum += v.mapped;
  return sum;
}

/** Whether the reaper may zap this VMA (can_madv_dontneed_vma, and anonymous or private). */
export function reapable(spec: VmaSpec, locked: boolean, respectLocked: boolean): boolean {
  return (spec.kind === 'anon' || spec.kind === 'file') && !(respectLocked && locked);
}

/** Pages in the whole system: conserved by every step (a property test checks it). */
export function totalPages(s: State): number {
  const c = s.scenario.config;
  let sum = s.free + held(s);
  s.tasks.forEach((t, i) => { if (i > 0 && t !== 'gone') sum += c.bystanders[i - 1]!; });
  s.allocators.forEach((a, i) => { if (a.satisfied) sum += c.need[i]!; });
  return sum;
}

export function initialTotalPages(c: Config): number {
  return c.free + c.pgtables + c.vmas.reduce((n, v) => n + v.pages, 0) + c.bystanders.reduce((n, r) => n + r, 0);
}

/** Overwrites `to` with `from` (same scenario), allocating nothing: the explorer's hot path. */
export function copyInto(to: State, from: State): void {
  to.free = from.free;
  to.pgtables = from.pgtables;
  to.pgtablesFreed = from.pgtablesFreed;
  to.mmapNull = from.mmapNull;
  to.sem.readers = from.sem.readers;
  to.sem.writer = from.sem.writer;
  const f = to.flags;
  const g = from.flags;
  f.oomSkip = g.oomSkip;
  f.unstable = g.unstable;
  f.victim = g.victim;
  f.inMmput = g.inMmput;
  to.mHolder = from.mHolder;
  to.kills = from.kills;
  to.needlessKill = from.needlessKill;
  to.outcome = from.outcome;
  to.victim.pc = from.victim.pc;
  to.victim.vma = from.victim.vma;
  to.victim.holdsRead = from.victim.holdsRead;
  const r = to.reaper;
  const q = from.reaper;
  r.pc = q.pc;
  r.vma = q.vma;
  r.queued = q.queued;
  r.attempts = q.attempts;
  r.reaped = q.reaped;
  r.holdsRead = q.holdsRead;
  r.last = q.last;
  r.stall = q.stall;
  r.ticks = q.ticks;
  for (let i = 0; i < to.allocators.length; i++) {
    to.allocators[i]!.pc = from.allocators[i]!.pc;
    to.allocators[i]!.satisfied = from.allocators[i]!.satisfied;
  }
  for (let i = 0; i < to.tasks.length; i++) to.tasks[i] = from.tasks[i]!;
  for (let i = 0; i < to.vmas.length; i++) {
    const a = to.vmas[i]!;
    const b = from.vmas[i]!;
    a.locked = b.locked;
    a.mapped = b.mapped;
    a.unlinked = b.unlinked;
    a.removed = b.removed;
    a.munlocking = b.munlocking;
    a.zappedWhileMunlocking = b.zappedWhileMunlocking;
  }
}
