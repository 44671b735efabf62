// Words and keys the client shows for engine identifiers. Text here is for beginners
// first and exact second: every label keeps the real kernel name nearby.
import type { ActorId, ActorRole, OutcomeId } from '../../engine/index.js';
import type { Verdict } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { PALETTE } from './palette.js';

export const ROLE_NAMES: Readonly<Record<ActorRole, string>> = {
  victim: 'Victim',
  reaper: 'OOM reaper',
  allocator: 'Allocator',
};

export const ROLE_BLURBS: Readonly<Record<ActorRole, string>> = {
  victim: 'the killed task, tearing down its memory in exit_mmap()',
  reaper: 'the oom_reaper kthread, freeing the victim’s memory early',
  allocator: 'a task that needs pages and calls the OOM killer',
};

/** The seat an actor belongs to (the rules' one mapping). */
export const actorRole = roleOfActor;

/** "Allocator", or "Allocator 2" when a scenario has several. */
export function actorName(actor: ActorId | string): string {
  const m = /^allocator(\d+)$/.exec(actor);
  if (m) return `Allocator ${m[1]}`;
  return ROLE_NAMES[actorRole(actor)];
}

/** One key per actor: V, R, A (A then 2..9 for further allocators). */
export function actorKey(actor: ActorId | string): string {
  if (actor === 'victim') return 'V';
  if (actor === 'reaper') return 'R';
  if (actor === 'allocator' || actor === 'allocator1') return 'A';
  const m = /^allocator(\d+)$/.exec(actor);
  return m ? String(m[1]) : '?';
}

export const OUTCOME_NAMES: Readonly<Record<OutcomeId, string>> = {
  success: 'Success',
  needless_kill: 'Needless kill',
  lockup: 'Lockup',
  oops: 'Kernel oops',
  panic: 'Panic',
};

/** A glyph per outcome so colour is never the only cue. */
export const OUTCOME_ICONS: Readonly<Record<OutcomeId, string>> = {
  success: '✓',
  needless_kill: '✕',
  lockup: '∞',
  oops: '⚠',
  panic: '☠',
};

/**
 * The big badge of a finished run: the verdict's signal when a lesson judged the run (a tick
 * only for "goal reached", a cross for "not reached"), else the outcome's own glyph. Its
 * class names match `badgeStyles` in styles/shared.ts.
 */
export function resultBadge(verdict: Verdict, outcome: OutcomeId): { cls: string; icon: string } {
  if (verdict === 'win') return { cls: 'v-win', icon: '✓' };
  if (verdict === 'lose') return { cls: 'v-lose', icon: '✗' };
  return { cls: `o-${outcome}`, icon: OUTCOME_ICONS[outcome] };
}

/** Outcome fills for marks (palette.ts). */
export const OUTCOME_COLORS: Readonly<Record<OutcomeId, string>> = {
  success: PALETTE.success,
  needless_kill: PALETTE.needless,
  lockup: PALETTE.lockup,
  oops: PALETTE.oops,
  panic: PALETTE.panic,
};

export const OUTCOME_BLURBS: Readonly<Record<OutcomeId, string>> = {
  success: 'the allocation got its pages',
  needless_kill: 'the OOM killer killed another task although waiting for the first victim was enough',
  lockup: 'nobody can move and the allocation never gets its pages',
  oops: 'a step hit a kernel bug',
  panic: 'nothing was left to kill while memory was still short',
};

/** Outcome colours dark enough for text on white (≥ 4.5:1); the fills above stay for marks. */
export const OUTCOME_TEXT_COLORS: Readonly<Record<OutcomeId, string>> = {
  success: PALETTE.successText,
  needless_kill: PALETTE.needlessText,
  lockup: PALETTE.lockupText,
  oops: PALETTE.oopsText,
  panic: PALETTE.panicText,
};

export const ACTOR_COLORS: Readonly<Record<ActorRole, string>> = {
  victim: PALETTE.victim,
  reaper: PALETTE.reaper,
  allocator: PALETTE.allocator,
};

export const MEMORY_PARTS = ['free', 'victim', 'bystanders', 'allocated'] as const;
export type MemoryPart = (typeof MEMORY_PARTS)[number];

export const MEMORY_NAMES: Readonly<Record<MemoryPart, string>> = {
  free: 'free',
  victim: 'victim (VMAs + page tables)',
  bystanders: 'bystander tasks',
  allocated: 'allocated',
};

export const MEMORY_COLORS: Readonly<Record<MemoryPart, string>> = {
  free: PALETTE.memFree,
  victim: PALETTE.memVictim,
  bystanders: PALETTE.memBystander,
  allocated: PALETTE.memAllocated,
};
