// An independent Promela rendering of the reference model (shared/model/REFERENCE.md), used to
// cross-check the engine with SPIN and as the benchmark peer. Only the config data and the types
// come from engine/; the semantics below are written from REFERENCE.md alone.
//
// Shape of the generated model:
//   - one proctype per actor: `victim`, `reaper`, `alloc0` .. `alloc{k-1}`;
//   - every reference step is exactly ONE transition: a `d_step` whose first statement is the
//     step's guard. A step whose effect picks the next step (a branch) is written as an `if` of
//     mutually exclusive `d_step`s, one per branch, so that each branch is still a single transition
//     and control goes straight to the right place (a `goto` is not a transition in SPIN);
//   - per-VMA loops are unrolled (the VMA list is fixed by the config);
//   - every guard starts with `!over`: `over` is set (to the outcome) by the step that reaches
//     success, oops or panic, so that state has no successor (the run ended);
//   - every control location carries an `end` label: a state where nobody can move is never an
//     "invalid end state" by itself. A lockup (nobody can move, the run is not over) is caught by
//     a monitor process `lockup_mon` whose only transition is enabled by `timeout && !over` and
//     loops back to the same state (so it adds no stored state). The monitor exists only when
//     the lockup outcome is being looked for.
//
// Outcomes become assertions whose text carries a numeric code (pan prints the asserted expression
// after preprocessing, and BFS builds cannot use hidden variables, so names would cost state):
// `assert(101 == 0)` means "success reached here". See OUTCOME_CODES.

import type { Config, OutcomeId, VariantId, VmaSpec } from '../../engine/types.js';

/** Assertion codes the generated model uses; run-spin.ts maps them back. */
export const OUTCOME_CODES = {
  success: 101,
  needless_kill: 102,
  lockup: 103,
  panic: 105,
  oops_munlock: 141, // munlock "pages" step after the VMA was zapped mid-munlock
  oops_walk: 142, // a reaper per-VMA step on a removed VMA or after page tables were freed
  oops_null_prev: 143, // rfc-v1's free_pgd_range through the first VMA's NULL vm_prev
  oops_hugetlb: 144, // rfc-highest-vm-end's one-range teardown of hugetlb page tables on ppc
} as const;
export type OutcomeCodeName = keyof typeof OUTCOME_CODES;

export const OOPS_DETAILS: Partial<Record<OutcomeCodeName, string>> = {
  oops_munlock: 'page walk over a zapped PMD (munlock after the VMA was zapped)',
  oops_walk: 'reaper walk over freed VMAs or page tables',
  oops_null_prev: 'NULL dereference of vm_prev in free_pgd_range',
  oops_hugetlb: 'bad hugetlb page-table teardown on ppc',
};

export function outcomeOfCode(code: number): { outcome: OutcomeId; name: OutcomeCodeName } | null {
  for (const [name, c] of Object.entries(OUTCOME_CODES) as [OutcomeCodeName, number][]) {
    if (c === code) {
      const outcome: OutcomeId = name.startsWith('oops') ? 'oops' : (name as OutcomeId);
      return { outcome, name };
    }
  }
  return null;
}

/**
 * `property`: which outcome the model asserts against.
 *  - an OutcomeId: only that outcome is an assertion (and the lockup monitor is present only for
 *    `lockup`); pan stops at the first (with -DBFS: a shortest) counterexample, whose trail can
 *    be replayed.
 *  - `'all'`: every outcome is an assertion and the monitor is present; run pan with -c0 and read
 *    the first report of each code.
 *  - absent: no assertion, no monitor; the plain model for benchmarks.
 * The stored state space is the same in all three forms.
 */
export interface PromelaOptions {
  property?: OutcomeId | 'all';
}

export interface StepInfo {
  actor: string;
  step: string;
}

export interface PromelaBuild {
  text: string;
  /** 1-based line number of each generated transition → the reference step it implements. */
  lineSteps: Map<number, StepInfo>;
  /** Proctype names in pid order (active proctypes are instantiated in declaration order). */
  procs: string[];
}

type Family = 'common' | 'rfc' | 'tetsuo' | 'rientjes';

function familyOf(variant: VariantId): Family {
  if (variant.startsWith('rfc-')) return 'rfc';
  if (variant === 'tetsuo-timeout') return 'tetsuo';
  if (variant === 'rientjes-timeout') return 'rientjes';
  return 'common';
}

class Emitter {
  lines: string[] = [];
  lineSteps = new Map<number, StepInfo>();
  actor = '';
  line(text: string): void {
    this.lines.push(text);
  }
  /** A line holding one transition of the current actor. */
  step(step: string, text: string): void {
    this.lines.push(text);
    this.lineSteps.set(this.lines.length, { actor: this.actor, step });
  }
}

export function promelaModel(variant: VariantId, config: Config, opts: PromelaOptions = {}): string {
  return buildPromela(variant, config, opts).text;
}

export function buildPromela(variant: VariantId, config: Config, opts: PromelaOptions = {}): PromelaBuild {
  const fam = familyOf(variant);
  const prop = opts.property;
  const wants = (o: OutcomeId): boolean => prop === 'all' || prop === o;
  const vmas: VmaSpec[] = config.vmas;
  const nV = vmas.length;
  const nW = config.bystanders.length;
  const nA = config.need.length;
  if (nV < 1 || nA < 1) throw new Error('a config needs at least one VMA and one allocator');
  const total = config.free + config.pgtables + vmas.reduce((s, v) => s + v.pages, 0) + config.bystanders.reduce((s, r) => s + r, 0);
  if (total > 255) throw new Error(`pages (${total}) do not fit in a byte`);
  if (config.bystanders.some((r) => r < 0) || config.need.some((n) => n < 1)) throw new Error('bad bystander rss or need');

  const e = new Emitter();
  const G = '!over'; // every guard starts with this

  // ---- outcome hooks ---------------------------------------------------------------------
  const assertCode = (c: OutcomeCodeName): string => `assert(${OUTCOME_CODES[c]} == 0); `;
  // `over` records which outcome ended the run (1 success, 2 oops, 3 panic): two runs that end in
  // the same variables but with different outcomes are different final states.
  const success = (): string => `${wants('success') ? assertCode('success') : ''}over = 1`;
  const oops = (c: OutcomeCodeName): string => `${wants('oops') ? assertCode(c) : ''}over = 2`;
  const panic = (): string => `${wants('panic') ? assertCode('panic') : ''}over = 3`;
  const needless = (): string => `${wants('needless_kill') ? assertCode('needless_kill') : ''}needless = 1`;

  // ---- derived expressions -------------------------------------------------------------
  const held = `(${vmas.map((_, i) => `mapped${i}`).join(' + ')} + pgtables)`;
  const isAnonOrFile = (v: VmaSpec): boolean => v.kind === 'anon' || v.kind === 'file';
  /** zap(v): statements (no trailing separator). */
  const zap = (i: number): string =>
    `free_pages = free_pages + mapped${i}; mapped${i} = 0; if :: munlocking${i} -> zwm${i} = 1 :: else -> skip fi`;
  /** "if reapable(v): zap(v)" */
  const zapIfReapable = (i: number): string => {
    const v = vmas[i]!;
    if (!isAnonOrFile(v)) return 'skip';
    if (variant === 'upstream-6.x') return zap(i);
    return `if :: !locked${i} -> ${zap(i)} :: else -> skip fi`;
  };
  const freePgtables = 'free_pages = free_pages + pgtables; pgtables = 0; pgt_freed = 1';
  const hasHugetlb = vmas.some((v) => v.kind === 'hugetlb');

  // ---- declarations --------------------------------------------------------------------
  e.line(`/* reaplab reference model: variant ${variant}, config ${config.id} (generated by bench/spin/promela.ts) */`);
  e.line(`/* property: ${prop ?? 'none (benchmark model)'} */`);
  e.line(`byte free_pages = ${config.free};`);
  e.line(`byte pgtables = ${config.pgtables};`);
  e.line('bit pgt_freed = 0;');
  e.line('bit mmap_null = 0;');
  e.line('byte readers = 0;');
  e.line('bit writer = 0;');
  e.line('bit oom_skip = 0;');
  e.line('bit unstable = 0;');
  e.line('bit mmf_victim = 0;');
  e.line('bit in_mmput = 0;');
  e.line(`bit m_held = ${config.mHeld ? 1 : 0};`);
  e.line('bit vkilled = 0;');
  for (let w = 0; w < nW; w++) e.line(`bit wgone${w} = 0;`);
  vmas.forEach((v, i) => {
    e.line(`/* vma ${i}: ${v.kind}, ${v.pages} pages${v.locked ? ', VM_LOCKED' : ''}${v.close === 'M' ? ', close takes M' : ''} */`);
    e.line(`bit locked${i} = ${v.locked ? 1 : 0};`);
    e.line(`byte mapped${i} = ${v.pages};`);
    e.line(`bit unlinked${i} = 0;`);
    e.line(`bit removed${i} = 0;`);
    e.line(`bit munlocking${i} = 0;`);
    e.line(`bit zwm${i} = 0;`);
  });
  e.line('bit queued = 0;');
  if (fam === 'common' || fam === 'rfc') e.line('byte attempts = 0;');
  if (fam === 'tetsuo') {
    e.line('byte last_held = 0;');
    e.line('byte stall = 0;');
  }
  if (fam === 'rientjes') e.line('byte ticks = 0;');
  e.line('byte nsat = 0; /* satisfied allocators */');
  e.line('bit needless = 0; /* a needless kill happened (recorded; the run goes on) */');
  e.line('byte over = 0; /* the run has ended: 1 success, 2 oops, 3 panic */');
  e.line('');

  // ---- victim ------------------------------------------------------------------------------
  const procs: string[] = [];
  let lbl = 0;
  const L = (p: string): string => `end_${p}${lbl++}`;
  const vstep = (name: string, guard: string, body: string): void => {
    e.step(name, `${L('v')}: d_step { ${G}${guard ? ` && ${guard}` : ''} -> ${body} };`);
  };
  e.actor = 'victim';
  procs.push('victim');
  e.line('active proctype victim() {');
  // The first step waits for the kill: the victim has no steps before it.
  vstep('mmput', 'vkilled', 'in_mmput = 1');
  const munlockClear = (i: number): void => vstep(`munlock_clear[${i}]`, '', `locked${i} = 0; munlocking${i} = 1`);
  const munlockPages = (i: number): void =>
    vstep(`munlock_pages[${i}]`, '', `if :: zwm${i} -> ${oops('oops_munlock')} :: else -> munlocking${i} = 0 fi`);
  const munlockAll = (): void => {
    vmas.forEach((v, i) => {
      if (!v.locked) return;
      munlockClear(i);
      munlockPages(i);
    });
  };
  const downWrite = (name = 'down_write'): void => vstep(name, '!writer && readers == 0', 'writer = 1');
  const upWrite = (name = 'up_write'): void => vstep(name, '', 'writer = 0');
  const unmapAll = (): void => vmas.forEach((_, i) => vstep(`unmap[${i}]`, '', zap(i)));
  /** self_reap: a head step that sets UNSTABLE (before anything is freed), then one step per VMA. */
  const selfReap = (): void => {
    vstep('self_reap', '', 'unstable = 1');
    vmas.forEach((_, i) => vstep(`self_reap[${i}]`, '', zapIfReapable(i)));
  };
  const setSkip = (): void => vstep('set_oom_skip', '', 'oom_skip = 1');
  const freePgt = (): void => vstep('free_pgtables', '', freePgtables);
  const removeAll = (): void =>
    vmas.forEach((v, i) => vstep(`remove_vma[${i}]`, v.close === 'M' ? '!m_held' : '', `removed${i} = 1`));
  const exitDone = (): void => vstep('exit_done', '', 'skip');
  const rfcPrefix = (): void => {
    vmas.forEach((v, i) => {
      if (!v.locked) return;
      downWrite(`munlock_down_write[${i}]`);
      munlockClear(i);
      munlockPages(i);
      upWrite(`munlock_up_write[${i}]`);
    });
    unmapAll();
    downWrite();
    vstep('unlink_vmas', '', vmas.map((_, i) => `unlinked${i} = 1`).join('; '));
    vstep('set_mmap_null', '', 'mmap_null = 1');
    upWrite();
  };
  switch (variant) {
    case 'v4.14':
      munlockAll();
      unmapAll();
      setSkip();
      downWrite();
      upWrite();
      freePgt();
      removeAll();
      exitDone();
      break;
    case 'v4.19':
      selfReap();
      setSkip();
      downWrite();
      upWrite();
      munlockAll();
      unmapAll();
      freePgt();
      removeAll();
      exitDone();
      break;
    case 'rfc-v1':
      rfcPrefix();
      vstep('free_pgd_range', '', oops('oops_null_prev'));
      break;
    case 'rfc-highest-vm-end':
      rfcPrefix();
      vstep('free_pgd_range', '', config.arch === 'ppc' && hasHugetlb ? oops('oops_hugetlb') : freePgtables);
      removeAll();
      setSkip();
      exitDone();
      break;
    case 'rfc-split-pgtables':
      rfcPrefix();
      freePgt();
      removeAll();
      setSkip();
      exitDone();
      break;
    case 'rfc-final':
      rfcPrefix();
      freePgt();
      setSkip();
      removeAll();
      exitDone();
      break;
    case 'rfc-no-exit-skip': // as rfc-split-pgtables, with no exit-path OOM_SKIP at all
      rfcPrefix();
      freePgt();
      removeAll();
      exitDone();
      break;
    case 'tetsuo-timeout':
      selfReap();
      downWrite();
      upWrite();
      munlockAll();
      unmapAll();
      freePgt();
      removeAll();
      setSkip();
      exitDone();
      break;
    case 'rientjes-timeout':
      selfReap();
      vstep('set_unstable', '', 'unstable = 1');
      downWrite();
      upWrite();
      munlockAll();
      unmapAll();
      freePgt();
      setSkip();
      removeAll();
      exitDone();
      break;
    case 'upstream-6.x':
      vstep('down_read', '!writer', 'readers = readers + 1');
      unmapAll();
      vstep('up_read', '', 'readers = readers - 1');
      setSkip();
      downWrite();
      freePgt();
      removeAll();
      vstep('set_mmap_null', '', 'mmap_null = 1');
      upWrite();
      exitDone();
      break;
    default: {
      const never: never = variant;
      throw new Error(`unknown variant ${String(never)}`);
    }
  }
  e.line(`end_zombie: false /* exit done: a zombie, still visible to the OOM killer */`);
  e.line('}');
  e.line('');

  // ---- reaper ------------------------------------------------------------------------------
  e.actor = 'reaper';
  procs.push('reaper');
  e.line('active proctype reaper() {');
  const rs = (name: string, guard: string, body: string, then?: string): string =>
    `d_step { ${G}${guard ? ` && ${guard}` : ''} -> ${body} }${then ? `; goto ${then}` : ''}`;
  /** A step with a single successor (falls through to the next line unless `then`). Wrapped in
   *  `if :: … fi` so that a `goto` can target it (a label on a bare d_step is inside the d_step). */
  const rstep = (label: string, name: string, guard: string, body: string, then?: string): void =>
    e.step(name, `${label}: if :: ${rs(name, guard, body, then)} fi;`);
  /** A step whose effect picks the next location: one option per branch. */
  const rbranch = (label: string, name: string, options: { guard: string; body: string; then?: string }[]): void => {
    e.line(`${label}: if`);
    for (const o of options) e.step(name, `  :: ${rs(name, o.guard, o.body, o.then)}`);
    e.line('  fi;');
  };
  /** The reaper's per-VMA steps (every VMA is visited; oops on a removed VMA or freed page tables). */
  const reapVmas = (prefix: string): void =>
    vmas.forEach((_, i) =>
      rstep(`end_${prefix}_vma${i}`, `reap[${i}]`, '', `if :: removed${i} || pgt_freed -> ${oops('oops_walk')} :: else -> ${zapIfReapable(i)} fi`),
    );

  if (fam === 'common' || fam === 'rfc') {
    const skipCond = fam === 'rfc' ? 'mmap_null' : 'oom_skip';
    rstep('end_R0', 'R0_wait', 'queued', 'attempts = 0');
    rbranch('end_R1', 'R1_trylock', [
      { guard: '!writer', body: 'attempts = attempts + 1; readers = readers + 1', then: 'end_R2' },
      { guard: 'writer', body: 'attempts = attempts + 1', then: 'end_R5' },
    ]);
    rbranch('end_R2', 'R2_check', [
      { guard: skipCond, body: 'skip', then: 'end_R4_noreap' },
      { guard: `!${skipCond}`, body: 'skip', then: 'end_R3' },
    ]);
    rstep('end_R3', 'R3_set_unstable', '', 'unstable = 1');
    reapVmas('R3');
    // R4 after a pass that reaped
    if (fam === 'rfc') {
      rbranch('end_R4_reaped', 'R4_unlock', [
        { guard: `${held} > ${config.keepAbove}`, body: 'readers = readers - 1', then: 'end_R5' },
        { guard: `${held} <= ${config.keepAbove}`, body: 'readers = readers - 1', then: 'end_R6' },
      ]);
    } else {
      rstep('end_R4_reaped', 'R4_unlock', '', 'readers = readers - 1', 'end_R6');
    }
    rstep('end_R4_noreap', 'R4_unlock', '', 'readers = readers - 1', 'end_R6');
    rbranch('end_R5', 'R5_sleep', [
      { guard: `attempts < ${config.maxAttempts}`, body: 'skip', then: 'end_R1' },
      { guard: `attempts >= ${config.maxAttempts}`, body: 'skip', then: 'end_R6' },
    ]);
    const setSkipR6 = fam === 'rfc' ? 'if :: !mmap_null -> oom_skip = 1 :: else -> skip fi' : 'oom_skip = 1';
    rstep('end_R6', 'R6_done', '', `${setSkipR6}; queued = 0`, 'end_R0');
  } else if (fam === 'tetsuo') {
    rstep('end_T0', 'T0_wait', 'queued', 'skip');
    rbranch('end_T1', 'T1_check_skip', [
      { guard: 'oom_skip', body: 'queued = 0', then: 'end_T0' },
      { guard: '!oom_skip', body: 'skip', then: 'end_T2' },
    ]);
    rbranch('end_T2', 'T2_trylock', [
      { guard: '!writer', body: 'readers = readers + 1', then: 'end_T3' },
      { guard: 'writer', body: 'skip', then: 'end_T5' },
    ]);
    rbranch('end_T3', 'T3_check_mmput', [
      { guard: 'in_mmput', body: 'skip', then: 'end_T4' },
      { guard: '!in_mmput', body: 'unstable = 1', then: 'end_T3_vma0' },
    ]);
    reapVmas('T3');
    rstep('end_T4', 'T4_unlock', '', 'readers = readers - 1');
    const lim = config.stallLimit;
    rbranch('end_T5', 'T5_progress', [
      { guard: `${held} < last_held`, body: `last_held = ${held}; stall = 0`, then: 'end_T6' },
      { guard: `${held} >= last_held && stall + 1 > ${lim}`, body: 'stall = stall + 1; oom_skip = 1; queued = 0', then: 'end_T0' },
      { guard: `${held} >= last_held && stall + 1 <= ${lim}`, body: 'stall = stall + 1', then: 'end_T6' },
    ]);
    rstep('end_T6', 'T6_sleep', '', 'skip', 'end_T1');
  } else {
    rstep('end_D0', 'D0_wait', 'queued', 'skip');
    rbranch('end_D1', 'D1_check_skip', [
      { guard: 'oom_skip', body: 'queued = 0', then: 'end_D0' },
      { guard: '!oom_skip', body: 'skip', then: 'end_D2' },
    ]);
    rbranch('end_D2', 'D2_trylock', [
      { guard: 'unstable || writer', body: 'skip', then: 'end_D4' },
      { guard: '!unstable && !writer', body: 'readers = readers + 1', then: 'end_D3' },
    ]);
    rbranch('end_D3', 'D3_check_unstable', [
      { guard: 'unstable', body: 'skip', then: 'end_D3_unlock' },
      { guard: '!unstable', body: 'unstable = 1', then: 'end_D3_vma0' },
    ]);
    reapVmas('D3');
    rstep('end_D3_unlock', 'D3_unlock', '', 'readers = readers - 1');
    rbranch('end_D4', 'D4_deadline', [
      { guard: `ticks >= ${config.deadline}`, body: 'oom_skip = 1; queued = 0', then: 'end_D0' },
      { guard: `ticks < ${config.deadline}`, body: 'skip', then: 'end_D5' },
    ]);
    rstep('end_D5', 'D5_sleep', '', 'ticks = ticks + 1', 'end_D1');
  }
  e.line('}');
  e.line('');

  // ---- allocators ------------------------------------------------------------------------------
  const victimBlocks = 'vkilled && !oom_skip'; // a killed task whose mm lacks OOM_SKIP
  const killV = [
    'vkilled = 1',
    'mmf_victim = 1',
    'queued = 1',
    ...(fam === 'tetsuo' ? [`last_held = ${held}`, 'stall = 0'] : []),
    ...(fam === 'rientjes' ? ['ticks = 0'] : []),
  ].join('; ');
  for (let a = 0; a < nA; a++) {
    const need = config.need[a]!;
    const name = nA === 1 ? 'allocator' : `allocator${a + 1}`;
    e.actor = name;
    procs.push(`alloc${a}`);
    e.line(`active proctype alloc${a}() { /* ${name}: needs ${need} pages${a === 0 && config.mHeld ? ', holds M' : ''} */`);
    const as = (label: string, step: string, guard: string, body: string, then?: string): string =>
      `${label}${rs(step, guard, body, then)}`;
    const releaseM = a === 0 && config.mHeld ? 'm_held = 0; ' : '';
    e.line('end_A1: if');
    e.step('A1_try_alloc', `  :: ${as('', 'A1', `free_pages >= ${need}`, `free_pages = free_pages - ${need}; ${releaseM}nsat = nsat + 1; if :: nsat == ${nA} -> ${success()} :: else -> skip fi`, 'end_sat')}`);
    e.step('A1_try_alloc', `  :: ${as('', 'A1', `free_pages < ${need}`, 'skip', 'end_A2')}`);
    e.line('  fi;');
    e.line('end_A2: if');
    e.step('A2_out_of_memory', `  :: ${as('', 'A2', `free_pages >= ${need}`, 'skip', 'end_A1')}`);
    e.step('A2_out_of_memory', `  :: ${as('', 'A2', `free_pages < ${need} && ${victimBlocks}`, 'skip', 'end_A3')}`);
    // Kill the first alive task in config order: V, then W1..Wk.
    e.step('A2_out_of_memory', `  :: ${as('', 'A2', `free_pages < ${need} && !vkilled`, killV, 'end_A1')}`);
    for (let w = 0; w < nW; w++) {
      const prevGone = Array.from({ length: w }, (_, j) => ` && wgone${j}`).join('');
      const guard = `free_pages < ${need} && vkilled && oom_skip${prevGone} && !wgone${w}`;
      // Never the first kill (V always goes first): needless iff waiting for V would have been enough.
      const body = `if :: free_pages + ${held} >= ${need} -> ${needless()} :: else -> skip fi; wgone${w} = 1; free_pages = free_pages + ${config.bystanders[w]}`;
      e.step('A2_out_of_memory', `  :: ${as('', 'A2', guard, body, 'end_A1')}`);
    }
    const allGone = Array.from({ length: nW }, (_, j) => ` && wgone${j}`).join('');
    // After a panic the allocator stays where it is: it is not satisfied (end_sat would say so).
    e.step('A2_out_of_memory', `  :: ${as('', 'A2', `free_pages < ${need} && vkilled && oom_skip${allGone}`, panic(), 'end_A2')}`);
    e.line('  fi;');
    e.step('A3_wait', `end_A3: if :: ${rs('A3', `(free_pages >= ${need} || !(${victimBlocks}))`, 'skip', 'end_A1')} fi;`);
    e.line('end_sat: false');
    e.line('}');
    e.line('');
  }

  if (wants('lockup')) {
    e.actor = 'monitor';
    procs.push('lockup_mon');
    e.line('/* Lockup: nobody can move (timeout) and the run is not over. Loops on the same state. */');
    e.line('active proctype lockup_mon() {');
    e.line(`end_mon: do :: d_step { timeout && !over -> ${assertCode('lockup')}skip } od`);
    e.line('}');
  }
  return { text: e.lines.join('\n') + '\n', lineSteps: e.lineSteps, procs };
}
