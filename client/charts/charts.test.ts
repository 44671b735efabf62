// Golden-SVG tests for the pure chart builders, on a run of rfc-v1 that reaches the oops
// and one with a needless kill.
import { describe, expect, it } from 'vitest';
import { explore, isScenarioError, makeScenario, type Scenario } from '../../engine/index.js';
import { runView } from '../lib/model.js';
import { memoryChart } from './memory-chart.js';
import { normaliseSvg, testDocument } from './snapshot-util.js';
import { placeLabels } from './plot-util.js';
import { swimlanesChart, swimlanesWidth } from './swimlanes-chart.js';

function scenario(variant: string, config: string): Scenario {
  const s = makeScenario(variant, config);
  if (isScenarioError(s)) throw new Error(s.message);
  return s;
}

function traceTo(s: Scenario, outcome: 'oops' | 'needless_kill') {
  const r = explore(s).outcomes[outcome];
  if (!r.reachable) throw new Error(`${outcome} unreachable`);
  return r.trace;
}

const ACTORS = ['victim', 'reaper', 'allocator'];

describe('chart builders', () => {
  const oopsScenario = scenario('rfc-v1', 'pgtable-heavy');
  const oops = runView(oopsScenario, traceTo(oopsScenario, 'oops'));
  const nkScenario = scenario('rfc-v1', 'mlocked');
  const nk = runView(nkScenario, traceTo(nkScenario, 'needless_kill'));

  it('draws memory over an oopsing run', async () => {
    const svg = memoryChart({ rows: oops.memory, marks: oops.marks, need: 3 }, { document: testDocument() });
    expect(svg.querySelector('style')).toBeNull();
    await expect(normaliseSvg(svg)).toMatchFileSnapshot('__snapshots__/memory-oops.svg');
  });

  it('marks kills and the needless kill', async () => {
    const svg = memoryChart({ rows: nk.memory, marks: nk.marks, need: 3, current: 4 }, { document: testDocument() });
    await expect(normaliseSvg(svg)).toMatchFileSnapshot('__snapshots__/memory-needless.svg');
  });

  it('draws the interleaving as swimlanes', async () => {
    const svg = swimlanesChart({ actors: ACTORS, cells: oops.lanes, outcome: 'oops' }, { document: testDocument() });
    expect(svg.querySelector('style')).toBeNull();
    await expect(normaliseSvg(svg)).toMatchFileSnapshot('__snapshots__/swimlanes-oops.svg');
  });

  it('draws empty lanes before the first step, and a replay cursor', async () => {
    const empty = swimlanesChart({ actors: ACTORS, cells: [] }, { document: testDocument() });
    expect(normaliseSvg(empty)).toContain('no steps yet');
    const cursor = swimlanesChart({ actors: ACTORS, cells: nk.lanes, current: 5 }, { document: testDocument() });
    await expect(normaliseSvg(cursor)).toMatchFileSnapshot('__snapshots__/swimlanes-cursor.svg');
  });

  it('draws the memory after the last step one step wide, so the final allocation shows', () => {
    const svg = memoryChart({ rows: oops.memory, marks: oops.marks, need: 3 }, { document: testDocument() });
    const last = oops.memory.at(-1)!;
    // The x axis runs one step past the end of the run.
    const ticks = [...svg.querySelectorAll('[data-mark="x-axis tick label"] text')].map((t) => Number(t.textContent));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(Math.min(last.step + 1, 10));
    expect(last.step).toBe(oops.lanes.length);
  });

  it('never overlaps outcome labels, and keeps them inside the chart', () => {
    const labels = [{ step: 27, text: '✕ Needless kill' }, { step: 28, text: '✓ Success' }, { step: 1, text: '! Kernel oops' }];
    const placed = placeLabels(labels, 20, 600);
    const spans = placed.map((p) => { const x = p.step * 20; const w = p.text.length * 7 + 6; return { row: p.row, a: p.anchor === 'end' ? x - w : x, b: p.anchor === 'end' ? x : x + w }; });
    for (const [i, s1] of spans.entries()) {
      expect(s1.a).toBeGreaterThanOrEqual(0);
      expect(s1.b).toBeLessThanOrEqual(600);
      for (const s2 of spans.slice(i + 1)) if (s1.row === s2.row) expect(s1.b <= s2.a || s2.b <= s1.a).toBe(true);
    }
    expect(new Set(placed.map((p) => p.row)).size).toBe(2);
    for (const run of [oops, nk]) expect(normaliseSvg(memoryChart({ rows: run.memory, marks: run.marks, need: 3 }, { document: testDocument() }))).not.toContain('NaN');
  });

  it('fits a whole run in its box when the steps fit, else the chart is wider (and scrolls to the end)', () => {
    expect(swimlanesWidth(600, 28)).toBe(600);
    expect(swimlanesWidth(300, 28)).toBeGreaterThan(300);
  });

  it('derives conserved memory and marks from a replay', () => {
    const totals = oops.memory.map((r) => r.free + r.victim + r.bystanders + r.allocated);
    expect(new Set(totals).size).toBe(1);
    expect(oops.marks.map((m) => m.label)).toEqual(['kill V', 'oops']);
    expect(nk.marks.map((m) => m.kind)).toEqual(['kill', 'kill', 'needless_kill']);
  });
});
