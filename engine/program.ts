// Actor programs as data. A variant is three programs (allocator, victim, reaper) written
// with the small instruction set below; engine/ops.ts gives each instruction its meaning.
// Each instruction is exactly one atomic step. A loop repeats its body once per VMA
// (or per VMA locked in the config), in list order; the loop header and footer are
// display-only code lines.

import type { Config } from './types.js';

export type MmFlagName = 'oomSkip' | 'unstable' | 'mmapNull' | 'inMmput';

export type Op =
  // allocator
  | { op: 'try_alloc' }
  | { op: 'out_of_memory'; retry: string; wait: string }
  | { op: 'oom_wait' }
  // victim (exit path)
  | { op: 'mmput' }
  | { op: 'munlock_clear' }
  | { op: 'munlock_pages' }
  | { op: 'self_reap_begin' }
  | { op: 'self_reap' }
  | { op: 'unmap' }
  | { op: 'set_flag'; flag: Exclude<MmFlagName, 'inMmput'> }
  | { op: 'down_write' }
  | { op: 'up_write' }
  | { op: 'down_read' }
  | { op: 'up_read' }
  | { op: 'unlink_all' }
  | { op: 'free_pgtables'; how: 'vm_prev_null' | 'highest_vm_end' | 'walk' }
  | { op: 'remove_vma' }
  | { op: 'exit_done' }
  // reaper
  | { op: 'reaper_wait' }
  | { op: 'reaper_trylock'; countAttempt: boolean; skipIfUnstable: boolean; onFail: string }
  | { op: 'reaper_branch'; flag: MmFlagName; to: string; dequeue: boolean; elseSetUnstable: boolean }
  | { op: 'reap_begin' }
  | { op: 'reap_vma'; respectLocked: boolean }
  | { op: 'reaper_unlock'; feedback: boolean; onMore: string }
  | { op: 'reaper_retry'; retry: string; giveUp: string }
  | { op: 'reaper_done'; skip: 'always' | 'unless_mmap_null'; to: string }
  | { op: 'progress_check'; onStall: string }
  | { op: 'deadline_check'; onExpire: string }
  | { op: 'reaper_sleep'; tick: boolean; to: string };

export type OpName = Op['op'];

export interface Instr {
  /** Unique label of the step within its program (branch targets name it). */
  id: string;
  /** Name shown in traces when it differs from the id; per-VMA steps add `:<vma index>`. */
  display?: string;
  /** Short human label ("down_write(&mm->mmap_sem)"). */
  label: string;
  op: Op;
  /** Our own simplified pseudo-C for this step. */
  code: string[];
  /** Label of the next step when the op does not branch (default: the next instruction). */
  next?: string;
}

export interface Loop {
  loop: 'each' | 'each_locked';
  header: string[];
  body: Instr[];
  footer: string[];
}

export type ProgramItem = Instr | Loop;

export interface ProgramSource {
  /** Display-only lines shown above the first step (function name, comments). */
  prologue: string[];
  items: ProgramItem[];
  epilogue: string[];
}

export interface CompiledStep {
  id: string;
  /** Name in traces and actions (without the `:<vma>` suffix of per-VMA steps). */
  name: string;
  label: string;
  op: Op;
  /** op.op, kept on the step itself: every step has this one shape, so reading it is fast (ops differ in shape). */
  kind: OpName;
  lines: number[];
  /** Index of the fall-through successor (-1: none). */
  next: number;
  /** Branch targets of the op, resolved, in the order branchTargets() lists them. */
  targets: number[];
  /** Set on steps inside a loop. */
  loop: { kind: 'each' | 'each_locked'; start: number; end: number } | undefined;
}

export interface Program {
  listing: string[];
  steps: CompiledStep[];
  /** Step index by id. */
  index: ReadonlyMap<string, number>;
}

/**
 * Every field any op has, in one order: ops copied onto this template share one hidden
 * class, so the interpreter's switch on op.op reads it from a single shape (a different
 * shape per op would make that read megamorphic, the slowest kind).
 */
const OP_TEMPLATE = {
  op: undefined, retry: undefined, wait: undefined, flag: undefined, how: undefined, countAttempt: undefined,
  skipIfUnstable: undefined, onFail: undefined, to: undefined, dequeue: undefined, elseSetUnstable: undefined,
  respectLocked: undefined, feedback: undefined, onMore: undefined, giveUp: undefined, skip: undefined,
  onStall: undefined, onExpire: undefined, tick: undefined,
};

function sameShape(op: Op): Op {
  for (const k of Object.keys(op)) if (!(k in OP_TEMPLATE)) throw new Error(`op field ${k} is missing from OP_TEMPLATE`);
  return { ...OP_TEMPLATE, ...op } as Op;
}

function isLoop(item: ProgramItem): item is Loop {
  return (item as Loop).loop !== undefined;
}

/** Flattens a program into steps with line numbers and resolved successors. */
export function compileProgram(src: ProgramSource): Program {
  const listing: string[] = [...src.prologue];
  const steps: CompiledStep[] = [];
  const pendingNext: (string | undefined)[] = [];
  const addInstr = (ins: Instr, extraLines: number[]) => {
    const lines = [...extraLines];
    for (const line of ins.code) {
      lines.push(listing.length);
      listing.push(line);
    }
    steps.push({ id: ins.id, name: ins.display ?? ins.id, label: ins.label, op: sameShape(ins.op), kind: ins.op.op, lines, next: -1, targets: [], loop: undefined });
    pendingNext.push(ins.next);
  };
  for (const item of src.items) {
    if (!isLoop(item)) {
      addInstr(item, []);
      continue;
    }
    const headerLines = item.header.map((l) => listing.push(l) - 1);
    const start = steps.length;
    item.body.forEach((ins, k) => addInstr(ins, k === 0 ? headerLines : []));
    const footerLines = item.footer.map((l) => listing.push(l) - 1);
    const end = steps.length;
    const last = steps[end - 1];
    if (last) last.lines.push(...footerLines);
    for (let k = start; k < end; k++) steps[k]!.loop = { kind: item.loop, start, end };
  }
  listing.push(...src.epilogue);
  const index = new Map<string, number>();
  steps.forEach((s, k) => {
    if (index.has(s.id)) throw new Error(`duplicate step id ${s.id}`);
    index.set(s.id, k);
  });
  steps.forEach((s, k) => {
    const label = pendingNext[k];
    if (label === undefined) s.next = k + 1 < steps.length ? k + 1 : -1;
    else s.next = resolve(index, label);
  });
  // Every branch target must exist: a typo in a variant is a programmer error.
  for (const s of steps) s.targets = branchTargets(s.op).map((t) => resolve(index, t));
  return { listing, steps, index };
}

function resolve(index: ReadonlyMap<string, number>, label: string): number {
  const k = index.get(label);
  if (k === undefined) throw new Error(`unknown step label ${label}`);
  return k;
}

function branchTargets(op: Op): string[] {
  switch (op.op) {
    case 'out_of_memory': return [op.retry, op.wait];
    case 'reaper_trylock': return [op.onFail];
    case 'reaper_branch': return [op.to];
    case 'reaper_unlock': return [op.onMore];
    case 'reaper_retry': return [op.retry, op.giveUp];
    case 'reaper_done': return [op.to];
    case 'progress_check': return [op.onStall];
    case 'deadline_check': return [op.onExpire];
    case 'reaper_sleep': return [op.to];
    default: return [];
  }
}

/** Whether the loop visits VMA i. */
export function loopVisits(kind: 'each' | 'each_locked', config: Config, i: number): boolean {
  return kind === 'each' || config.vmas[i]!.locked;
}

/** First VMA index >= from that the loop visits, or -1. */
export function nextLoopVma(kind: 'each' | 'each_locked', config: Config, from: number): number {
  for (let i = from; i < config.vmas.length; i++) if (loopVisits(kind, config, i)) return i;
  return -1;
}
