// The engine's public data types. Everything here is plain, JSON-serialisable data:
// a State can be sent over the wire, stored, hashed and replayed. Semantics follow
// docs/MODEL.md (our statement of the reference model).

export const VARIANT_IDS = [
  'v4.14',
  'v4.19',
  'rfc-v1',
  'rfc-highest-vm-end',
  'rfc-split-pgtables',
  'rfc-final',
  'rfc-no-exit-skip',
  'tetsuo-timeout',
  'rientjes-timeout',
  'upstream-6.x',
] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

export const CONFIG_IDS = ['pgtable-heavy', 'mlocked', 'driver-close', 'hugetlb-ppc', 'no-escape'] as const;
export type ConfigId = (typeof CONFIG_IDS)[number];

export const OUTCOMES = ['success', 'needless_kill', 'lockup', 'oops', 'panic'] as const;
export type OutcomeId = (typeof OUTCOMES)[number];
/** Outcomes that end a run (needless_kill is recorded and the run goes on). */
export type EndingOutcomeId = Exclude<OutcomeId, 'needless_kill'>;

export type VmaKind = 'anon' | 'file' | 'shared' | 'hugetlb' | 'pfnmap';
export type Arch = 'x86' | 'ppc';

export interface VmaSpec {
  kind: VmaKind;
  pages: number;
  locked: boolean;
  /** `M` when the VMA's vm_ops->close takes the mutex M. */
  close: 'none' | 'M';
}

/** The initial state of a scenario. Counters are small integers (one model page stands for many). */
export interface Config {
  id: string;
  title: string;
  vmas: VmaSpec[];
  pgtables: number;
  /** RSS of each bystander W1..Wk, killed in this order after the victim. */
  bystanders: number[];
  free: number;
  /** Pages each allocator asks for: one entry per allocator actor. */
  need: number[];
  /** The first allocator holds the mutex M from the start. */
  mHeld: boolean;
  arch: Arch;
  /** MAX_OOM_REAP_RETRIES (10 in the kernel). */
  maxAttempts: number;
  /** The RFC's "substantial memory left" threshold (1024 pages in the kernel). */
  keepAbove: number;
  /** Tetsuo's no-progress limit. */
  stallLimit: number;
  /** David's per-mm deadline, in reaper sleeps. */
  deadline: number;
}

export interface Scenario {
  variant: VariantId;
  config: Config;
}

export type ActorId = 'victim' | 'reaper' | 'allocator' | `allocator${number}`;
export type ActorRole = 'victim' | 'reaper' | 'allocator';

export type TaskStatus = 'alive' | 'killed' | 'gone';

export interface VmaState {
  locked: boolean;
  mapped: number;
  unlinked: boolean;
  removed: boolean;
  munlocking: boolean;
  zappedWhileMunlocking: boolean;
}

export interface MmFlags {
  oomSkip: boolean;
  unstable: boolean;
  victim: boolean;
  inMmput: boolean;
}

export interface VictimActor {
  /** -1 while the task runs normally (not killed yet); the program counter afterwards. */
  pc: number;
  /** Index of the VMA the current per-VMA step works on. */
  vma: number;
  /** The victim holds mmap_sem for read (upstream-6.x's exit path). */
  holdsRead: boolean;
}

export interface ReaperActor {
  pc: number;
  vma: number;
  queued: boolean;
  attempts: number;
  /** The current pass reaped (went through the reap step): the RFC's feedback. */
  reaped: boolean;
  /** The reaper holds mmap_sem for read. */
  holdsRead: boolean;
  /** Tetsuo: held(V) at the last progress check; stall count. */
  last: number;
  stall: number;
  /** David: sleeps since the victim was queued. */
  ticks: number;
}

export interface AllocatorActor {
  pc: number;
  satisfied: boolean;
}

export const OOPS_BUGS = ['munlock_zapped_pmd', 'reaper_use_after_free', 'vm_prev_null', 'hugetlb_teardown'] as const;
/** Which kernel bug an oops hit. */
export type OopsBug = (typeof OOPS_BUGS)[number];

export interface Outcome {
  id: EndingOutcomeId;
  detail?: string;
  /** For an oops: which bug, and the VMA it happened on. */
  bug?: OopsBug;
  vma?: number;
}

export interface State {
  scenario: Scenario;
  free: number;
  /** Task 0 is the victim V; tasks 1..k are the bystanders W1..Wk. */
  tasks: TaskStatus[];
  vmas: VmaState[];
  pgtables: number;
  pgtablesFreed: boolean;
  mmapNull: boolean;
  sem: { readers: number; writer: boolean };
  flags: MmFlags;
  /** Holder of the mutex M. */
  mHolder: 'none' | 'allocator';
  kills: number;
  /** Set by the first needless kill (the run goes on). */
  needlessKill: boolean;
  victim: VictimActor;
  reaper: ReaperActor;
  allocators: AllocatorActor[];
  /** Set when the run has ended. */
  outcome: Outcome | null;
}

/** An intent: move this actor by its next step. `step` must name the actor's current step. */
export interface Action {
  actor: ActorId;
  step: string;
}

/** What one actor can do next: its current step, and why it cannot run when blocked. */
export interface ActorChoice {
  actor: ActorId;
  role: ActorRole;
  step: string;
  label: string;
  enabled: boolean;
  reason?: string;
  /** Lines of the actor's pseudo-code listing to highlight (0-based). */
  lines: number[];
}

export type EngineEvent =
  | { type: 'log'; actor: ActorId; step: string; text: string }
  | { type: 'outcome'; outcome: OutcomeId; detail?: string };

export const REJECTIONS = ['malformed', 'unknown_actor', 'wrong_step', 'not_enabled', 'run_over'] as const;
export type RejectionCode = (typeof REJECTIONS)[number];
export interface Rejection {
  code: RejectionCode;
  message: string;
}

export type StepResult =
  | { ok: true; state: State; events: EngineEvent[] }
  | { ok: false; error: Rejection };
