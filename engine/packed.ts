// The packed state: the form the step semantics (machine.ts) works on. A scenario's state is
// a few 32-bit words; every field has just the bits its range needs in that scenario (a
// layout, computed once per scenario), and no field straddles two words. The explorer keeps
// and steps states in this form without building objects; State objects (types.ts) are
// views derived from it by encode.ts, for the wire, the server and the client.
//
// A PackedState is a cursor over words `w[at .. at + layout.words)`: the explorer points it
// at scratch buffers, so the hot path allocates nothing. Setters check the range, so a
// layout too narrow for a value throws instead of silently corrupting a state.

import { initialTotalPages } from './state.js';
import type { Program } from './program.js';
import type { Config, Scenario } from './types.js';
import { variantPrograms } from './variants/index.js';

// Field ids. Header fields first; then per allocator (pc, satisfied), per task, per VMA
// (mapped, locked, unlinked, removed, munlocking, zapped while munlocking).
const FREE = 0;
const PGTABLES = 1;
const PGTABLES_FREED = 2;
const MMAP_NULL = 3;
const OOM_SKIP = 4;
const UNSTABLE = 5;
const VICTIM_FLAG = 6;
const IN_MMPUT = 7;
const SEM_WRITER = 8;
const SEM_READERS = 9;
const M_HELD = 10;
const KILLS = 11;
const OUTCOME = 12;
const NEEDLESS = 13;
const OOPS_BUG = 14;
const OOPS_VMA = 15;
const VICTIM_PC = 16; // stored as pc + 1 (pc is -1 before the kill)
const VICTIM_VMA = 17;
const VICTIM_READ = 18;
const REAPER_PC = 19;
const REAPER_VMA = 20;
const REAPER_QUEUED = 21;
const REAPER_REAPED = 22;
const REAPER_READ = 23;
const ATTEMPTS = 24;
const LAST = 25;
const STALL = 26;
const TICKS = 27;
const HEADER_FIELDS = 28;
const PER_ALLOCATOR = 2;
const PER_VMA = 6;

/** Outcome codes as stored (0: the run goes on). */
export const OUTCOME_NONE = 0;
export const OUTCOME_SUCCESS = 1;
export const OUTCOME_LOCKUP = 2;
export const OUTCOME_OOPS = 3;
export const OUTCOME_PANIC = 4;

/** Task status codes as stored. */
export const ALIVE = 0;
export const KILLED = 1;
export const GONE = 2;

/** Per-VMA flags, for vmaFlag(i, f) (offsets after the VMA's mapped count). */
export const VMA_LOCKED = 1;
export const VMA_UNLINKED = 2;
export const VMA_REMOVED = 3;
export const VMA_MUNLOCKING = 4;
export const VMA_ZAPPED_WHILE_MUNLOCKING = 5;

const bitsFor = (max: number): number => (max <= 0 ? 0 : 32 - Math.clz32(max));

/** Where each field of a scenario's packed state lives: word, shift and mask per field id. */
export interface Layout {
  /** 32-bit words per state. */
  words: number;
  /** One descriptor per field id: word << 16 | shift << 8 | mask (one load per field access). */
  fields: Int32Array;
  allocatorBase: number;
  taskBase: number;
  vmaBase: number;
}

const layouts = new WeakMap<Scenario, Layout>();

/** The scenario's layout (memoised per scenario object). */
export function layoutOf(scenario: Scenario): Layout {
  let l = layouts.get(scenario);
  if (!l) {
    l = computeLayout(scenario);
    layouts.set(scenario, l);
  }
  return l;
}

function computeLayout(scenario: Scenario): Layout {
  const c = scenario.config;
  const p = variantPrograms(scenario.variant);
  const vmaIndex = c.vmas.length - 1;
  const heldMax = c.pgtables + c.vmas.reduce((n, v) => n + v.pages, 0);
  const allocatorBase = HEADER_FIELDS;
  const taskBase = allocatorBase + PER_ALLOCATOR * c.need.length;
  const vmaBase = taskBase + 1 + c.bystanders.length;
  const count = vmaBase + PER_VMA * c.vmas.length;
  const maxOf = new Array<number>(count).fill(1); // flags unless set below
  maxOf[FREE] = initialTotalPages(c);
  maxOf[PGTABLES] = c.pgtables;
  maxOf[SEM_READERS] = 2; // the victim and the reaper
  maxOf[KILLS] = 1 + c.bystanders.length;
  maxOf[OUTCOME] = OUTCOME_PANIC;
  maxOf[OOPS_BUG] = 4;
  maxOf[OOPS_VMA] = vmaIndex;
  maxOf[VICTIM_PC] = p.victim.steps.length + 1;
  maxOf[VICTIM_VMA] = vmaIndex;
  maxOf[REAPER_PC] = p.reaper.steps.length;
  maxOf[REAPER_VMA] = vmaIndex;
  maxOf[ATTEMPTS] = c.maxAttempts + 1;
  maxOf[LAST] = heldMax;
  maxOf[STALL] = c.stallLimit + 1;
  maxOf[TICKS] = c.deadline + 1;
  for (let k = 0; k < c.need.length; k++) maxOf[allocatorBase + PER_ALLOCATOR * k] = p.allocator.steps.length;
  for (let t = 0; t <= c.bystanders.length; t++) maxOf[taskBase + t] = GONE;
  c.vmas.forEach((v, i) => { maxOf[vmaBase + PER_VMA * i] = v.pages; });

  // First fit, widest fields first: fields never straddle a word.
  const fields = new Int32Array(count);
  const used: number[] = [];
  const order = [...maxOf.keys()].sort((a, b) => bitsFor(maxOf[b]!) - bitsFor(maxOf[a]!) || a - b);
  for (const f of order) {
    const bits = bitsFor(maxOf[f]!);
    let word = used.findIndex((u) => u + bits <= 32);
    if (word < 0) word = used.push(0) - 1;
    if (bits > 8) throw new Error(`state field ${f} needs ${bits} bits; a descriptor holds masks of at most 8`);
    fields[f] = (word << 16) | (used[word]! << 8) | ((1 << bits) - 1);
    used[word]! += bits;
  }
  return { words: Math.max(1, used.length), fields, allocatorBase, taskBase, vmaBase };
}

/** A mutable view of one packed state. */
export class PackedState {
  readonly scenario: Scenario;
  readonly config: Config;
  readonly layout: Layout;
  readonly victimProgram: Program;
  readonly reaperProgram: Program;
  readonly allocatorProgram: Program;
  readonly allocators: number;
  readonly tasks: number;
  readonly vmaCount: number;
  w: Int32Array;
  at: number;
  private readonly f: Int32Array;

  constructor(scenario: Scenario, w?: Int32Array, at = 0) {
    this.scenario = scenario;
    this.config = scenario.config;
    this.layout = layoutOf(scenario);
    this.f = this.layout.fields;
    const p = variantPrograms(scenario.variant);
    this.victimProgram = p.victim;
    this.reaperProgram = p.reaper;
    this.allocatorProgram = p.allocator;
    this.allocators = this.config.need.length;
    this.tasks = 1 + this.config.bystanders.length;
    this.vmaCount = this.config.vmas.length;
    this.w = w ?? new Int32Array(this.layout.words);
    this.at = at;
  }

  /** Copies this state's words into `to` at word `at`. */
  copyTo(to: Int32Array, at: number): void {
    const n = this.layout.words;
    for (let k = 0; k < n; k++) to[at + k] = this.w[this.at + k]!;
  }

  private get(id: number): number {
    const d = this.f[id]!;
    return (this.w[this.at + (d >>> 16)]! >>> ((d >>> 8) & 31)) & d & 255;
  }

  private set(id: number, v: number): void {
    const d = this.f[id]!;
    const mask = d & 255;
    if (v > mask || v < 0) throw new RangeError(`state field ${id} cannot hold ${v} in ${this.scenario.variant} × ${this.config.id}`);
    const i = this.at + (d >>> 16);
    const shift = (d >>> 8) & 31;
    this.w[i] = (this.w[i]! & ~(mask << shift)) | (v << shift);
  }

  private flag(id: number): boolean { return this.get(id) !== 0; }
  private setFlag(id: number, b: boolean): void { this.set(id, b ? 1 : 0); }

  get free(): number { return this.get(FREE); }
  set free(v: number) { this.set(FREE, v); }
  get pgtables(): number { return this.get(PGTABLES); }
  set pgtables(v: number) { this.set(PGTABLES, v); }
  get pgtablesFreed(): boolean { return this.flag(PGTABLES_FREED); }
  set pgtablesFreed(b: boolean) { this.setFlag(PGTABLES_FREED, b); }
  get mmapNull(): boolean { return this.flag(MMAP_NULL); }
  set mmapNull(b: boolean) { this.setFlag(MMAP_NULL, b); }
  get oomSkip(): boolean { return this.flag(OOM_SKIP); }
  set oomSkip(b: boolean) { this.setFlag(OOM_SKIP, b); }
  get unstable(): boolean { return this.flag(UNSTABLE); }
  set unstable(b: boolean) { this.setFlag(UNSTABLE, b); }
  /** MMF_OOM_VICTIM. */
  get victimFlag(): boolean { return this.flag(VICTIM_FLAG); }
  set victimFlag(b: boolean) { this.setFlag(VICTIM_FLAG, b); }
  get inMmput(): boolean { return this.flag(IN_MMPUT); }
  set inMmput(b: boolean) { this.setFlag(IN_MMPUT, b); }
  get semWriter(): boolean { return this.flag(SEM_WRITER); }
  set semWriter(b: boolean) { this.setFlag(SEM_WRITER, b); }
  get semReaders(): number { return this.get(SEM_READERS); }
  set semReaders(v: number) { this.set(SEM_READERS, v); }
  /** The (first) allocator holds the mutex M. */
  get mHeld(): boolean { return this.flag(M_HELD); }
  set mHeld(b: boolean) { this.setFlag(M_HELD, b); }
  get kills(): number { return this.get(KILLS); }
  set kills(v: number) { this.set(KILLS, v); }
  /** OUTCOME_* code; OUTCOME_NONE while the run goes on. */
  get outcome(): number { return this.get(OUTCOME); }
  set outcome(v: number) { this.set(OUTCOME, v); }
  get needlessKill(): boolean { return this.flag(NEEDLESS); }
  set needlessKill(b: boolean) { this.setFlag(NEEDLESS, b); }
  /** For an oops: OOPS_BUGS index + 1, and the VMA. */
  get oopsBug(): number { return this.get(OOPS_BUG); }
  set oopsBug(v: number) { this.set(OOPS_BUG, v); }
  get oopsVma(): number { return this.get(OOPS_VMA); }
  set oopsVma(v: number) { this.set(OOPS_VMA, v); }

  get victimPc(): number { return this.get(VICTIM_PC) - 1; }
  set victimPc(v: number) { this.set(VICTIM_PC, v + 1); }
  get victimVma(): number { return this.get(VICTIM_VMA); }
  set victimVma(v: number) { this.set(VICTIM_VMA, v); }
  get victimHoldsRead(): boolean { return this.flag(VICTIM_READ); }
  set victimHoldsRead(b: boolean) { this.setFlag(VICTIM_READ, b); }

  get reaperPc(): number { return this.get(REAPER_PC); }
  set reaperPc(v: number) { this.set(REAPER_PC, v); }
  get reaperVma(): number { return this.get(REAPER_VMA); }
  set reaperVma(v: number) { this.set(REAPER_VMA, v); }
  get reaperQueued(): boolean { return this.flag(REAPER_QUEUED); }
  set reaperQueued(b: boolean) { this.setFlag(REAPER_QUEUED, b); }
  get reaperReaped(): boolean { return this.flag(REAPER_REAPED); }
  set reaperReaped(b: boolean) { this.setFlag(REAPER_REAPED, b); }
  get reaperHoldsRead(): boolean { return this.flag(REAPER_READ); }
  set reaperHoldsRead(b: boolean) { this.setFlag(REAPER_READ, b); }
  get attempts(): number { return this.get(ATTEMPTS); }
  set attempts(v: number) { this.set(ATTEMPTS, v); }
  /** Tetsuo: held(V) at the last progress check; stall count. */
  get last(): number { return this.get(LAST); }
  set last(v: number) { this.set(LAST, v); }
  get stall(): number { return this.get(STALL); }
  set stall(v: number) { this.set(STALL, v); }
  /** David: sleeps since the victim was queued. */
  get ticks(): number { return this.get(TICKS); }
  set ticks(v: number) { this.set(TICKS, v); }

  allocatorPc(k: number): number { return this.get(this.layout.allocatorBase + PER_ALLOCATOR * k); }
  setAllocatorPc(k: number, v: number): void { this.set(this.layout.allocatorBase + PER_ALLOCATOR * k, v); }
  satisfied(k: number): boolean { return this.flag(this.layout.allocatorBase + PER_ALLOCATOR * k + 1); }
  setSatisfied(k: number, b: boolean): void { this.setFlag(this.layout.allocatorBase + PER_ALLOCATOR * k + 1, b); }

  /** Task 0 is the victim V; tasks 1..k are the bystanders. ALIVE, KILLED or GONE. */
  task(t: number): number { return this.get(this.layout.taskBase + t); }
  setTask(t: number, v: number): void { this.set(this.layout.taskBase + t, v); }

  mapped(i: number): number { return this.get(this.layout.vmaBase + PER_VMA * i); }
  setMapped(i: number, v: number): void { this.set(this.layout.vmaBase + PER_VMA * i, v); }
  /** f is one of VMA_LOCKED .. VMA_ZAPPED_WHILE_MUNLOCKING. */
  vmaFlag(i: number, f: number): boolean { return this.flag(this.layout.vmaBase + PER_VMA * i + f); }
  setVmaFlag(i: number, f: number, b: boolean): void { this.setFlag(this.layout.vmaBase + PER_VMA * i + f, b); }
}
