// What the player reads. Lesson texts may name a step of the lesson's programs as
// `{victim:set_oom_skip}` (or `{victim:self_reap:0}` for one VMA's instance of a per-VMA
// step); the player never sees that id but the step's own words: its label and the line
// of the code panel it sits on ("`set_bit(MMF_OOM_SKIP, &mm->flags)` (victim, line 7)").
// The references also say which steps the hints lead through, which the campaign test
// checks against the game the solo learner plays. A lesson's overridden config gets a
// readable title instead of the engine's `config*hash` id.
// Pure: the server renders lessons with it before sending them.

import { count, variantPrograms, type ActorRole, type CompiledStep, type Config, type Scenario, type StepRef, type VariantId } from '../engine/index.js';
import type { Lesson, LessonOverrides } from './schema.js';

/** `{victim:set_oom_skip}`, `{victim:self_reap:0}`, `{allocator:A2}`. */
export const STEP_REF_RE = /\{(victim|reaper|allocator):([A-Za-z_][A-Za-z0-9_]*)(?::(\d+))?\}/g;

export interface FoundStepRef extends StepRef {
  /** The reference as written. */
  text: string;
  index: number;
}

export function stepRefsIn(text: string): FoundStepRef[] {
  const out: FoundStepRef[] = [];
  for (const m of text.matchAll(STEP_REF_RE)) {
    out.push({ role: m[1] as ActorRole, step: m[2]!, ...(m[3] !== undefined ? { vma: Number(m[3]) } : {}), text: m[0], index: m.index });
  }
  return out;
}

const programOf = (variant: VariantId, role: ActorRole) => variantPrograms(variant)[role];

/** The step a reference names, or null when the role's program has no such step. */
export function resolveStepRef(variant: VariantId, ref: StepRef): { step: CompiledStep; line: number } | null {
  const p = programOf(variant, ref.role);
  const named = p.steps.filter((s) => s.name === ref.step);
  // a per-VMA reference names the loop's step (v4.19's self-reap has a head step of the same name)
  const st = (ref.vma !== undefined ? named.find((s) => s.loop) : undefined) ?? named[0];
  if (!st) return null;
  // The step's own first line: a loop's first step is also shown with the loop header.
  const first = ownFirstLine(variant, ref.role, st.id);
  const own = first === undefined ? undefined : st.lines.find((i) => p.listing[i] === first);
  return { step: st, line: (own ?? st.lines[0] ?? 0) + 1 };
}

function ownFirstLine(variant: VariantId, role: ActorRole, id: string): string | undefined {
  if (role === 'allocator') return undefined; // no loops: its first line is its own
  const src = variantPrograms(variant).source[role];
  for (const item of src.items) {
    const body = 'loop' in item ? item.body : [item];
    for (const ins of body) if (ins.id === id) return ins.code[0];
  }
  return undefined;
}

/** Why a reference cannot be shown, or null when it can. */
export function stepRefProblem(variant: VariantId, config: Config, ref: StepRef): string | null {
  const hit = resolveStepRef(variant, ref);
  if (!hit) {
    const names = [...new Set(programOf(variant, ref.role).steps.map((s) => s.name))];
    return `the ${ref.role} of ${variant} has no step "${ref.step}"; its steps are: ${names.join(', ')}`;
  }
  if (ref.vma !== undefined) {
    if (!hit.step.loop) return `"${ref.step}" is not a per-VMA step, so it takes no VMA number`;
    if (ref.vma >= config.vmas.length) return `VMA ${ref.vma} does not exist: this lesson's victim has ${config.vmas.length} VMA(s), numbered from 0`;
  }
  return null;
}

/** A label that is a line of code (`set_bit(MMF_OOM_SKIP, &mm->flags)`, `mm->mmap = NULL`) rather than words. */
const looksLikeCode = (label: string) => /^[A-Za-z_][\w>.-]*\(/.test(label) || /^[\w>.-]+ = /.test(label);

/** The readable words for a step reference. */
export function stepRefText(variant: VariantId, ref: StepRef): string {
  const hit = resolveStepRef(variant, ref);
  if (!hit) return ref.step;
  const label = looksLikeCode(hit.step.label) ? `\`${hit.step.label}\`` : `"${hit.step.label}"`;
  const vma = ref.vma !== undefined ? ` on VMA ${ref.vma}` : '';
  return `${label}${vma} (${ref.role}, line ${hit.line})`;
}

/** Replaces every step reference of a text with its readable words. */
export function presentText(variant: VariantId, text: string): string {
  return text.replace(STEP_REF_RE, (_m, role: string, step: string, vma?: string) =>
    stepRefText(variant, { role: role as ActorRole, step, ...(vma !== undefined ? { vma: Number(vma) } : {}) }));
}

/** The lesson as the player reads it: step references in every text replaced by readable words. */
export function presentLesson(lesson: Lesson): Lesson {
  const t = (s: string) => presentText(lesson.variant, s);
  const role = (r: Lesson['roles']['victim']) => ({ ...r, does: t(r.does), wants: t(r.wants) });
  return {
    ...lesson,
    story: t(lesson.story),
    win: t(lesson.win),
    lose: t(lesson.lose),
    takeaway: t(lesson.takeaway),
    simplifies: t(lesson.simplifies),
    goal: { ...lesson.goal, text: t(lesson.goal.text) },
    hints: lesson.hints.map(t),
    roles: { ...lesson.roles, victim: role(lesson.roles.victim), reaper: role(lesson.roles.reaper), allocator: role(lesson.roles.allocator) },
    ...(lesson.code_notes ? { code_notes: Object.fromEntries(Object.entries(lesson.code_notes).map(([k, v]) => [k, t(v)])) } : {}),
  };
}

/** Every text of a lesson a player may read, with where it sits (for checks over all of them). */
export function lessonTexts(l: Lesson): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [
    { path: 'title', text: l.title }, { path: 'story', text: l.story }, { path: 'win', text: l.win }, { path: 'lose', text: l.lose },
    { path: 'takeaway', text: l.takeaway }, { path: 'simplifies', text: l.simplifies }, { path: 'goal.text', text: l.goal.text },
  ];
  l.hints.forEach((h, i) => out.push({ path: `hints[${i}]`, text: h }));
  for (const [k, v] of Object.entries(l.code_notes ?? {})) out.push({ path: `code_notes.${k}`, text: v });
  for (const r of ['victim', 'reaper', 'allocator'] as const) {
    out.push({ path: `roles.${r}.does`, text: l.roles[r].does }, { path: `roles.${r}.wants`, text: l.roles[r].wants });
  }
  l.sources.forEach((s, i) => { if (s.note) out.push({ path: `sources[${i}].note`, text: s.note }); });
  return out;
}



/** Plain words for a lesson's config changes ("one anonymous VMA of 3 pages; W holds 2 pages; the allocator needs 3"). */
export function describeOverrides(o: LessonOverrides | undefined): string {
  if (!o) return '';
  const parts: string[] = [];
  const kinds: Record<string, string> = { anon: 'anonymous', file: 'private file', shared: 'shared file', hugetlb: 'hugetlb', pfnmap: 'PFN-mapped' };
  if (o.vmas) {
    parts.push(`VMAs: ${o.vmas.map((v) => `${kinds[v.kind]} ${count(v.pages, 'page')}${v.locked ? ' mlocked' : ''}${v.close === 'M' ? ' whose close takes M' : ''}`).join(', ')}`);
  }
  if (o.pgtables !== undefined) parts.push(`${count(o.pgtables, 'page')} of page tables`);
  if (o.bystanders) parts.push(o.bystanders.length === 1 ? `W holds ${count(o.bystanders[0]!, 'page')}` : `bystanders hold ${o.bystanders.join(', ')} pages`);
  if (o.free !== undefined) parts.push(`${count(o.free, 'free page')} at the start`);
  if (o.need) parts.push(o.need.length === 1 ? `the allocator needs ${o.need[0]}` : `the allocators need ${o.need.join(', ')}`);
  if (o.mHeld !== undefined) parts.push(o.mHeld ? 'the allocator holds M' : 'nobody holds M');
  if (o.arch) parts.push(`on ${o.arch}`);
  if (o.maxAttempts !== undefined) parts.push(`the reaper tries ${count(o.maxAttempts, 'time')}`);
  if (o.keepAbove !== undefined) parts.push(`the reaper keeps trying while more than ${count(o.keepAbove, 'page')} are held`);
  if (o.stallLimit !== undefined) parts.push(`the reaper allows ${count(o.stallLimit, 'check')} without progress`);
  if (o.deadline !== undefined) parts.push(`the deadline is ${count(o.deadline, 'sleep')}`);
  return parts.join('; ');
}

/** The lesson's scenario with a config title that says what the lesson changed. */
export function titledScenario(sc: Scenario, overrides: LessonOverrides | undefined): Scenario {
  const changes = describeOverrides(overrides);
  if (!changes) return sc;
  return { ...sc, config: { ...sc.config, title: `${sc.config.title}, changed for this lesson (${changes})` } };
}
