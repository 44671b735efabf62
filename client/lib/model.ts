// Derived views of a run for the pictures and charts: memory per step, kills, the
// interleaving as lanes and a plain-text transcript. Everything is computed by replaying
// the run's actions with the engine (the browser runs the engine only to show a run,
// never to decide one), so a snapshot from the server and a share link draw alike.
import { enabledActions, held, initialState, replay } from '../../engine/index.js';
import type { Action, EngineEvent, OutcomeId, Scenario, State } from '../../engine/index.js';
import { actorName, OUTCOME_NAMES } from './labels.js';

export interface MemoryRow {
  step: number;
  free: number;
  victim: number;
  bystanders: number;
  allocated: number;
}

export interface RunMark {
  step: number;
  kind: 'kill' | 'needless_kill' | 'outcome';
  label: string;
  outcome?: OutcomeId;
}

export interface LaneCell {
  /** 1-based step number in the run. */
  step: number;
  actor: string;
  name: string;
  label: string;
}

export interface TranscriptLine {
  step: number;
  actor: string;
  text: string;
}

export interface RunView {
  states: State[];
  memory: MemoryRow[];
  marks: RunMark[];
  lanes: LaneCell[];
  transcript: TranscriptLine[];
  /** Set when an action could not be replayed (the run is shown up to it). */
  error?: { index: number; message: string };
}

export function memoryParts(s: State): Omit<MemoryRow, 'step'> {
  const c = s.scenario.config;
  let bystanders = 0;
  s.tasks.forEach((t, i) => { if (i > 0 && t !== 'gone') bystanders += c.bystanders[i - 1] ?? 0; });
  let allocated = 0;
  s.allocators.forEach((a, i) => { if (a.satisfied) allocated += c.need[i] ?? 0; });
  return { free: s.free, victim: held(s), bystanders, allocated };
}

function killedTask(before: State, after: State): number {
  for (let i = 0; i < after.tasks.length; i++) if (before.tasks[i] === 'alive' && after.tasks[i] !== 'alive') return i;
  return -1;
}

function eventText(e: EngineEvent): string | null {
  if (e.type === 'log') return e.text;
  if (e.outcome === 'needless_kill') return null; // the log line already says so
  return `${OUTCOME_NAMES[e.outcome]}${e.detail ? `: ${e.detail}` : ''}`;
}

/** Replays `actions` and derives everything the board draws. */
export function runView(scenario: Scenario, actions: readonly Action[]): RunView {
  const r = replay(scenario, actions);
  const first = initialState(scenario);
  const states = [first, ...r.frames.map((f) => f.state)];
  const memory: MemoryRow[] = states.map((s, i) => ({ step: i, ...memoryParts(s) }));
  const marks: RunMark[] = [];
  const lanes: LaneCell[] = [];
  const transcript: TranscriptLine[] = [];
  r.frames.forEach((f, i) => {
    const before = states[i]!;
    const after = f.state;
    const n = i + 1;
    const t = killedTask(before, after);
    if (t >= 0) marks.push({ step: n, kind: 'kill', label: t === 0 ? 'kill V' : `kill W${t}` });
    if (after.needlessKill && !before.needlessKill) marks.push({ step: n, kind: 'needless_kill', label: 'needless kill', outcome: 'needless_kill' });
    if (after.outcome && !before.outcome) marks.push({ step: n, kind: 'outcome', label: after.outcome.id, outcome: after.outcome.id });
    const label = stepLabel(before, f.action);
    lanes.push({ step: n, actor: f.action.actor, name: f.action.step, label });
    const texts = f.events.map(eventText).filter((t): t is string => t !== null);
    transcript.push({ step: n, actor: f.action.actor, text: `${actorName(f.action.actor)}: ${label}${texts.length ? ` — ${texts.join('; ')}` : ''}` });
  });
  const view: RunView = { states, memory, marks, lanes, transcript };
  if (!r.ok) view.error = { index: r.index, message: r.error.message };
  return view;
}


/** The human label of the step an action takes from state s. */
export function stepLabel(s: State, a: Action): string {
  const c = enabledActions(s).find((x) => x.actor === a.actor);
  return c && c.step === a.step && c.label ? c.label : a.step;
}
