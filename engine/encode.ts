// The canonical encoding: every state of a scenario as a fixed-width byte vector, in a
// fixed field order. Equal states give equal bytes however they were reached, so the
// bytes (and their 64-bit hash, the fingerprint) identify a state. The explorer stores
// these vectors; decode() turns one back into a State.
//
// Layout (one byte each unless noted):
//   free, pgtables, mm bits, sem readers, kills, outcome, oops bug, oops vma,
//   victim pc, victim vma, victim bits, reaper pc, reaper vma, reaper bits,
//   attempts, last, stall, ticks, one byte per allocator, one per task, two per VMA.

import { lockupDetail, oopsDetail } from './machine.js';
import { initialState } from './state.js';
import type { EndingOutcomeId, OopsBug, Scenario, State, TaskStatus } from './types.js';
import { OOPS_BUGS } from './types.js';

const HEADER = 18;
const OUTCOME_CODES: (EndingOutcomeId | null)[] = [null, 'success', 'lockup', 'oops', 'panic'];
const TASK_CODES: TaskStatus[] = ['alive', 'killed', 'gone'];
const OUTCOME_CODE: Record<EndingOutcomeId, number> = { success: 1, lockup: 2, oops: 3, panic: 4 };

/** Bytes in a state's encoding, padded to whole 32-bit words (padding bytes stay 0). */
export function encodedWidth(scenario: Scenario): number {
  const c = scenario.config;
  const bytes = HEADER + c.need.length + 1 + c.bystanders.length + 2 * c.vmas.length;
  return (bytes + 3) & ~3;
}

const bit = (b: boolean, v: number) => (b ? v : 0);

/** Writes the state's bytes into out[at .. at+width). */
export function encodeInto(s: State, out: Uint8Array, at: number): void {
  let k = at;
  out[k++] = s.free;
  out[k++] = s.pgtables;
  const f = s.flags;
  out[k++] = bit(s.pgtablesFreed, 1) | bit(s.mmapNull, 2) | bit(f.oomSkip, 4) | bit(f.unstable, 8) | bit(f.victim, 16)
    | bit(f.inMmput, 32) | bit(s.sem.writer, 64) | bit(s.mHolder === 'allocator', 128);
  out[k++] = s.sem.readers;
  out[k++] = s.kills;
  const o = s.outcome;
  out[k++] = (o ? OUTCOME_CODE[o.id] : 0) | bit(s.needlessKill, 128);
  out[k++] = o && o.bug ? OOPS_BUGS.indexOf(o.bug) + 1 : 0;
  out[k++] = o && o.vma !== undefined ? o.vma : 0;
  const v = s.victim;
  out[k++] = v.pc & 0xff;
  out[k++] = v.vma;
  out[k++] = bit(v.holdsRead, 1);
  const r = s.reaper;
  out[k++] = r.pc;
  out[k++] = r.vma;
  out[k++] = bit(r.queued, 1) | bit(r.reaped, 2) | bit(r.holdsRead, 4);
  out[k++] = r.attempts;
  out[k++] = r.last;
  out[k++] = r.stall;
  out[k++] = r.ticks;
  for (const a of s.allocators) out[k++] = a.pc | bit(a.satisfied, 128);
  for (const t of s.tasks) out[k++] = t === 'alive' ? 0 : t === 'killed' ? 1 : 2;
  for (const m of s.vmas) {
    out[k++] = m.mapped;
    out[k++] = bit(m.locked, 1) | bit(m.unlinked, 2) | bit(m.removed, 4) | bit(m.munlocking, 8) | bit(m.zappedWhileMunlocking, 16);
  }
}

export function encode(s: State): Uint8Array {
  const out = new Uint8Array(encodedWidth(s.scenario));
  encodeInto(s, out, 0);
  return out;
}

export function decode(scenario: Scenario, bytes: Uint8Array, at = 0): State {
  const s = initialState(scenario);
  decodeInto(s, bytes, at);
  // decodeInto leaves outcome details to the caller: rebuild them for a standalone state
  const oc = bytes[at + 5]! & 127;
  const id = OUTCOME_CODES[oc] ?? null;
  if (id === 'oops') {
    const bug = OOPS_BUGS[bytes[at + 6]! - 1] as OopsBug;
    const vma = bytes[at + 7]!;
    s.outcome = { id, detail: oopsDetail(bug, vma), bug, vma };
  } else if (id === 'lockup') {
    s.outcome = { id, detail: lockupDetail(s) };
  } else if (id === 'panic') {
    s.outcome = { id, detail: 'Out of memory and no killable processes' };
  } else if (id) {
    s.outcome = { id };
  }
  return s;
}

/**
 * Overwrites a state of the same scenario with the decoded bytes, allocating nothing but
 * a bare outcome marker: the explorer's hot path. Outcome details are not rebuilt.
 */
export function decodeInto(s: State, bytes: Uint8Array, at: number): void {
  let k = at;
  s.free = bytes[k++]!;
  s.pgtables = bytes[k++]!;
  const mm = bytes[k++]!;
  s.pgtablesFreed = (mm & 1) !== 0;
  s.mmapNull = (mm & 2) !== 0;
  s.sem.writer = (mm & 64) !== 0;
  const f = s.flags;
  f.oomSkip = (mm & 4) !== 0;
  f.unstable = (mm & 8) !== 0;
  f.victim = (mm & 16) !== 0;
  f.inMmput = (mm & 32) !== 0;
  s.mHolder = (mm & 128) !== 0 ? 'allocator' : 'none';
  s.sem.readers = bytes[k++]!;
  s.kills = bytes[k++]!;
  const oc = bytes[k++]!;
  s.needlessKill = (oc & 128) !== 0;
  const id = OUTCOME_CODES[oc & 127] ?? null;
  s.outcome = id ? { id } : null;
  k += 2;
  const v = s.victim;
  const vpc = bytes[k++]!;
  v.pc = vpc === 255 ? -1 : vpc;
  v.vma = bytes[k++]!;
  v.holdsRead = (bytes[k++]! & 1) !== 0;
  const r = s.reaper;
  r.pc = bytes[k++]!;
  r.vma = bytes[k++]!;
  const rbits = bytes[k++]!;
  r.queued = (rbits & 1) !== 0;
  r.reaped = (rbits & 2) !== 0;
  r.holdsRead = (rbits & 4) !== 0;
  r.attempts = bytes[k++]!;
  r.last = bytes[k++]!;
  r.stall = bytes[k++]!;
  r.ticks = bytes[k++]!;
  for (const a of s.allocators) {
    const b = bytes[k++]!;
    a.pc = b & 127;
    a.satisfied = (b & 128) !== 0;
  }
  for (let t = 0; t < s.tasks.length; t++) s.tasks[t] = TASK_CODES[bytes[k++]!]!;
  for (const m of s.vmas) {
    m.mapped = bytes[k++]!;
    const b = bytes[k++]!;
    m.locked = (b & 1) !== 0;
    m.unlinked = (b & 2) !== 0;
    m.removed = (b & 4) !== 0;
    m.munlocking = (b & 8) !== 0;
    m.zappedWhileMunlocking = (b & 16) !== 0;
  }
}

/** 32-bit FNV-1a over width bytes at `at`. */
export function hashBytes(bytes: Uint8Array, at: number, width: number, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = at; i < at + width; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix) so nearby vectors spread over the table
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The canonical fingerprint: 64 bits of hash over the encoding, as 16 hex digits. */
export function fingerprint(s: State): string {
  const b = encode(s);
  const hi = hashBytes(b, 0, b.length, 0x811c9dc5);
  const lo = hashBytes(b, 0, b.length, 0x2545f491);
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
