// The transcript is the accessible text version of a run: for the shortest run to every
// reachable outcome of every version × memory layout, each step is one line in words —
// who moved, the step's name as the code listing says it, what the engine said happened —
// and the outcome is named. Checked against the engine's own replay, not the transcript's code.
import { describe, expect, it } from 'vitest';
import { CONFIG_IDS, enabledActions, explore, initialState, isScenarioError, makeScenario, replay, VARIANT_IDS } from '../../engine/index.js';
import { actorName, OUTCOME_NAMES } from './labels.js';
import { runView } from './model.js';

describe('transcript', () => {
  it('has every step of a run in words, and its outcome', () => {
    let runs = 0;
    const problems: string[] = [];
    for (const variant of VARIANT_IDS) {
      for (const config of CONFIG_IDS) {
        const sc = makeScenario(variant, config);
        if (isScenarioError(sc)) throw new Error(sc.message);
        for (const [outcome, found] of Object.entries(explore(sc).outcomes)) {
          if (!found.reachable) continue;
          runs++;
          const where = `${variant} × ${config} → ${outcome}`;
          const lines = runView(sc, found.trace).transcript;
          const r = replay(sc, found.trace);
          if (!r.ok) throw new Error(`${where}: ${r.error.message}`);
          if (lines.length !== found.trace.length) problems.push(`${where}: ${lines.length} lines for ${found.trace.length} steps`);
          found.trace.forEach((a, i) => {
            const line = lines[i];
            const before = i === 0 ? initialState(sc) : r.frames[i - 1]!.state;
            const choice = enabledActions(before).find((c) => c.actor === a.actor);
            const label = choice?.step === a.step ? choice.label : '';
            if (!line || line.step !== i + 1) { problems.push(`${where}: no line for step ${i + 1}`); return; }
            if (!label) problems.push(`${where}: step ${i + 1} (${a.step}) has no name in words`);
            if (!line.text.startsWith(`${actorName(a.actor)}: ${label}`)) problems.push(`${where}: step ${i + 1} reads “${line.text}”`);
            for (const e of r.frames[i]!.events) {
              if (e.type === 'log' && !line.text.includes(e.text)) problems.push(`${where}: step ${i + 1} leaves out “${e.text}”`);
            }
          });
          const text = lines.map((l) => l.text).join('\n');
          const last = lines.at(-1)?.text ?? '';
          if (outcome === 'needless_kill') {
            if (!/needless kill/i.test(text)) problems.push(`${where}: the needless kill is not said`);
          } else if (!last.includes(OUTCOME_NAMES[outcome as keyof typeof OUTCOME_NAMES])) {
            problems.push(`${where}: the last line does not name the outcome: “${last}”`);
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
