// The canonical encoding: every state of a scenario as its packed words (packed.ts), in
// the scenario's layout. Equal states give equal words however they were reached, so the
// words (and their 64-bit hash, the fingerprint) identify a state. State objects — what
// the wire, the server and the client hold — are packed here before the semantics run
// and unpacked after, with the outcome's human detail rebuilt.

import { lockupDetail, oopsDetail, PANIC_DETAIL } from './machine.js';
import {
  ALIVE, GONE, KILLED, layoutOf, OUTCOME_LOCKUP, OUTCOME_NONE, OUTCOME_OOPS, OUTCOME_PANIC, OUTCOME_SUCCESS, PackedState,
  VMA_LOCKED, VMA_MUNLOCKING, VMA_REMOVED, VMA_UNLINKED, VMA_ZAPPED_WHILE_MUNLOCKING,
} from './packed.js';
import { initialState } from './state.js';
import type { EndingOutcomeId, OopsBug, Outcome, Scenario, State, TaskStatus } from './types.js';
import { OOPS_BUGS } from './types.js';

const OUTCOME_CODE: Record<EndingOutcomeId, number> = { success: OUTCOME_SUCCESS, lockup: OUTCOME_LOCKUP, oops: OUTCOME_OOPS, panic: OUTCOME_PANIC };
const TASK_CODE: Record<TaskStatus, number> = { alive: ALIVE, killed: KILLED, gone: GONE };
const TASK_STATUS: TaskStatus[] = ['alive', 'killed', 'gone'];

/** Bytes in a state's encoding: its packed words. */
export function encodedWidth(scenario: Scenario): number {
  return 4 * layoutOf(scenario).words;
}

/** Writes the state into the packed view (every field, so stale words are overwritten). */
export function packInto(s: State, p: PackedState): void {
  for (let k = 0; k < p.layout.words; k++) p.w[p.at + k] = 0;
  p.free = s.free;
  p.pgtables = s.pgtables;
  p.pgtablesFreed = s.pgtablesFreed;
  p.mmapNull = s.mmapNull;
  p.oomSkip = s.flags.oomSkip;
  p.unstable = s.flags.unstable;
  p.victimFlag = s.flags.victim;
  p.inMmput = s.flags.inMmput;
  p.semWriter = s.sem.writer;
  p.semReaders = s.sem.readers;
  p.mHeld = s.mHolder === 'allocator';
  p.kills = s.kills;
  const o = s.outcome;
  p.outcome = o ? OUTCOME_CODE[o.id] : OUTCOME_NONE;
  p.needlessKill = s.needlessKill;
  p.oopsBug = o && o.bug ? OOPS_BUGS.indexOf(o.bug) + 1 : 0;
  p.oopsVma = o && o.vma !== undefined ? o.vma : 0;
  p.victimPc = s.victim.pc;
  p.victimVma = s.victim.vma;
  p.victimHoldsRead = s.victim.holdsRead;
  const r = s.reaper;
  p.reaperPc = r.pc;
  p.reaperVma = r.vma;
  p.reaperQueued = r.queued;
  p.reaperReaped = r.reaped;
  p.reaperHoldsRead = r.holdsRead;
  p.attempts = r.attempts;
  p.last = r.last;
  p.stall = r.stall;
  p.ticks = r.ticks;
  s.allocators.forEach((a, k) => {
    p.setAllocatorPc(k, a.pc);
    p.setSatisfied(k, a.satisfied);
  });
  s.tasks.forEach((t, i) => p.setTask(i, TASK_CODE[t]));
  s.vmas.forEach((m, i) => {
    p.setMapped(i, m.mapped);
    p.setVmaFlag(i, VMA_LOCKED, m.locked);
    p.setVmaFlag(i, VMA_UNLINKED, m.unlinked);
    p.setVmaFlag(i, VMA_REMOVED, m.removed);
    p.setVmaFlag(i, VMA_MUNLOCKING, m.munlocking);
    p.setVmaFlag(i, VMA_ZAPPED_WHILE_MUNLOCKING, m.zappedWhileMunlocking);
  });
}

/** A fresh packed copy of the state. */
export function pack(s: State): PackedState {
  const p = new PackedState(s.scenario);
  packInto(s, p);
  return p;
}

/** The packed state as a State object, outcome details included. */
export function unpack(p: PackedState): State {
  const s = initialState(p.scenario);
  s.free = p.free;
  s.pgtables = p.pgtables;
  s.pgtablesFreed = p.pgtablesFreed;
  s.mmapNull = p.mmapNull;
  s.flags.oomSkip = p.oomSkip;
  s.flags.unstable = p.unstable;
  s.flags.victim = p.victimFlag;
  s.flags.inMmput = p.inMmput;
  s.sem.writer = p.semWriter;
  s.sem.readers = p.semReaders;
  s.mHolder = p.mHeld ? 'allocator' : 'none';
  s.kills = p.kills;
  s.needlessKill = p.needlessKill;
  s.outcome = outcomeOf(p);
  s.victim.pc = p.victimPc;
  s.victim.vma = p.victimVma;
  s.victim.holdsRead = p.victimHoldsRead;
  const r = s.reaper;
  r.pc = p.reaperPc;
  r.vma = p.reaperVma;
  r.queued = p.reaperQueued;
  r.reaped = p.reaperReaped;
  r.holdsRead = p.reaperHoldsRead;
  r.attempts = p.attempts;
  r.last = p.last;
  r.stall = p.stall;
  r.ticks = p.ticks;
  s.allocators.forEach((a, k) => {
    a.pc = p.allocatorPc(k);
    a.satisfied = p.satisfied(k);
  });
  for (let i = 0; i < s.tasks.length; i++) s.tasks[i] = TASK_STATUS[p.task(i)]!;
  s.vmas.forEach((m, i) => {
    m.mapped = p.mapped(i);
    m.locked = p.vmaFlag(i, VMA_LOCKED);
    m.unlinked = p.vmaFlag(i, VMA_UNLINKED);
    m.removed = p.vmaFlag(i, VMA_REMOVED);
    m.munlocking = p.vmaFlag(i, VMA_MUNLOCKING);
    m.zappedWhileMunlocking = p.vmaFlag(i, VMA_ZAPPED_WHILE_MUNLOCKING);
  });
  return s;
}

/** The outcome with its human detail, or null while the run goes on. */
function outcomeOf(p: PackedState): Outcome | null {
  switch (p.outcome) {
    case OUTCOME_SUCCESS: return { id: 'success' };
    case OUTCOME_OOPS: {
      const bug = OOPS_BUGS[p.oopsBug - 1] as OopsBug;
      return { id: 'oops', detail: oopsDetail(bug, p.oopsVma), bug, vma: p.oopsVma };
    }
    case OUTCOME_LOCKUP: return { id: 'lockup', detail: lockupDetail(p) };
    case OUTCOME_PANIC: return { id: 'panic', detail: PANIC_DETAIL };
    default: return null;
  }
}

/** The state's words as bytes (little-endian). */
export function encode(s: State): Uint8Array {
  const p = pack(s);
  const out = new Uint8Array(4 * p.layout.words);
  p.w.forEach((w, k) => { for (let b = 0; b < 4; b++) out[4 * k + b] = (w >>> (8 * b)) & 0xff; });
  return out;
}

export function decode(scenario: Scenario, bytes: Uint8Array, at = 0): State {
  const p = new PackedState(scenario);
  for (let k = 0; k < p.layout.words; k++) {
    let w = 0;
    for (let b = 0; b < 4; b++) w |= bytes[at + 4 * k + b]! << (8 * b);
    p.w[k] = w;
  }
  return unpack(p);
}

/** 32-bit hash (FNV-1a over the bytes of each word, murmur3's finaliser) of n words at `at`. */
export function hashWordsFnv(w: Int32Array, at: number, n: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = at; i < at + n; i++) {
    for (let b = 0; b < 32; b += 8) {
      h ^= (w[i]! >>> b) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The canonical fingerprint: 64 bits of hash over the encoding, as 16 hex digits. */
export function fingerprint(s: State): string {
  return fingerprintOf(pack(s));
}

/** The fingerprint of a packed state. */
export function fingerprintOf(p: PackedState): string {
  const hi = hashWordsFnv(p.w, p.at, p.layout.words, 0x811c9dc5);
  const lo = hashWordsFnv(p.w, p.at, p.layout.words, 0x2545f491);
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
