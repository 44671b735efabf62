import { describe, expect, it } from 'vitest';
import { enabledActions, initialState, isScenarioError, makeScenario, step, type Action, type State } from '../../engine/index.js';
import type { GameView, StepBy, TraceStep } from '../../protocol/events.js';
import { lateMessage, staleMessage } from './stale.js';

const sc = makeScenario('rfc-v1', 'pgtable-heavy');
if (isScenarioError(sc)) throw new Error(sc.message);

function game(actions: (Action & { by: StepBy })[], run = 1): GameView {
  let s: State = initialState(sc as Exclude<typeof sc, { message: string }>);
  for (const a of actions) {
    const r = step(s, a);
    if (!r.ok) throw new Error(r.error.message);
    s = r.state;
  }
  const trace: TraceStep[] = actions.map((a) => ({ actor: a.actor, step: a.step, by: a.by }));
  return {
    code: 'ROOM01', version: actions.length, run, state: s, choices: enabledActions(s), actions: trace, events: [],
    referee: { known: true, reachable: { success: null, needless_kill: null, lockup: null, oops: null, panic: null }, nearest: null }, result: null,
  };
}

const rui: StepBy = { kind: 'human', playerId: 'p-rui', name: 'Rui' };
const bot: StepBy = { kind: 'bot', bot: 'lazy' };

describe('the note for a step that lost the race', () => {
  it('names who moved first and says the step is still there', () => {
    const g0 = game([]);
    const a1 = g0.choices.find((c) => c.actor === 'allocator')!;
    // Rui's allocator moved first (a made-up interleaving: A1 by the allocator's holder is what matters).
    const g1 = game([{ actor: 'allocator', step: a1.step, by: rui }]);
    const victim = g1.choices.find((c) => c.actor === 'victim')!;
    const msg = staleMessage({ actor: 'victim', step: victim.step, run: 1, steps: 0 }, g1, 'p-me');
    expect(msg.startsWith('Rui moved the Allocator first')).toBe(true);
    expect(msg).toMatch(victim.enabled ? /still there|next step is now/ : /blocked now: /);
  });

  it('says the step is still there when another actor moved and left it enabled', () => {
    const by = { by: rui };
    const g0 = game([]);
    const a1 = g0.choices.find((c) => c.actor === 'allocator')!;
    const g1 = game([{ actor: 'allocator', step: a1.step, ...by }]);
    const a2 = g1.choices.find((c) => c.actor === 'allocator')!;
    const before = [{ actor: 'allocator' as const, step: a1.step, ...by }, { actor: 'allocator' as const, step: a2.step, ...by }];
    const g2 = game(before);
    const mine = g2.choices.find((c) => c.actor === 'victim' && c.enabled)!;
    const other = g2.choices.find((c) => c.actor !== 'victim' && c.enabled)!;
    const g3 = game([...before, { actor: other.actor, step: other.step, by: bot }]);
    expect(g3.choices.find((c) => c.actor === 'victim')).toMatchObject({ enabled: true, step: mine.step });
    const msg = staleMessage({ actor: 'victim', step: mine.step, run: 1, steps: 2 }, g3, 'p-me');
    expect(msg).toBe(`The ${other.actor === 'reaper' ? 'OOM reaper' : 'Allocator'} (a lazy bot) moved first — your step “${mine.label}” is still there. Look again, then press it.`);
  });

  it('says what the step is now after a bot moved the same actor', () => {
    const g0 = game([]);
    const a1 = g0.choices.find((c) => c.actor === 'allocator' && c.enabled)!;
    const g1 = game([{ actor: 'allocator', step: a1.step, by: bot }]);
    const next = g1.choices.find((c) => c.actor === 'allocator')!;
    // The same actor: its step moved on, so the note says what it is now.
    const msg = staleMessage({ actor: 'allocator', step: a1.step, run: 1, steps: 0 }, g1, 'p-me');
    expect(msg).toContain('The Allocator (a lazy bot) moved first');
    if (next.enabled) expect(msg).toContain(`next step is now “${next.label}”`);
    else expect(msg).toContain('blocked now');
  });

  it('explains a restart and an undo', () => {
    expect(staleMessage({ actor: 'victim', step: 'x', run: 1, steps: 3 }, game([], 2), null)).toMatch(/^A new run started/);
    expect(staleMessage({ actor: 'victim', step: 'x', run: 1, steps: 3 }, game([]), null)).toMatch(/^The host took back a step/);
  });
});

describe('the note for a step that went in right after another', () => {
  it('names who moved first, and says nothing when nobody did', () => {
    const me: StepBy = { kind: 'human', playerId: 'p-me', name: 'Me' };
    // The messages read the trace only: any two steps by different players will do.
    const g0 = game([]);
    const a1 = g0.choices.find((c) => c.actor === 'allocator')!;
    const g1 = game([{ actor: 'allocator', step: a1.step, by: rui }]);
    const a2 = g1.choices.find((c) => c.actor === 'allocator')!;
    const late: GameView = { ...g1, actions: [...g1.actions, { actor: 'victim', step: 'v.x', by: me }] };
    expect(lateMessage({ actor: 'victim', step: 'v.x', run: 1, steps: 0 }, late, 'p-me')).toBe("Rui's Allocator moved first; your Victim step went in right after it.");
    const alone = game([{ actor: 'allocator', step: a1.step, by: me }, { actor: 'allocator', step: a2.step, by: me }]);
    expect(lateMessage({ actor: 'allocator', step: a1.step, run: 1, steps: 0 }, alone, 'p-me')).toBe('');
  });
});
