// Memory over the steps of a run: stacked areas of free / victim / bystander / allocated
// pages (their sum is conserved), the allocator's need as a rule, kills as dashed rules and
// the outcome as a labelled dot. Each step's memory is drawn as a band one step wide, the
// last one too (so the final allocation shows), and outcome labels that would collide are
// stacked in rows above the chart. A pure builder: (data, options) → SVG.
import * as Plot from '@observablehq/plot';
import { count, type OutcomeId } from '../../engine/index.js';
import { MEMORY_COLORS, MEMORY_NAMES, MEMORY_PARTS, OUTCOME_COLORS, OUTCOME_ICONS, OUTCOME_NAMES, OUTCOME_TEXT_COLORS } from '../lib/labels.js';
import { PALETTE } from '../lib/palette.js';
import type { MemoryRow, RunMark } from '../lib/model.js';
import { cspSafe, placeLabels, type ChartOptions, type Placed } from './plot-util.js';

export interface MemoryChartData {
  rows: readonly MemoryRow[];
  marks: readonly RunMark[];
  /** Pages the allocator asks for (drawn as a rule on the free band). */
  need?: number;
  /** Step shown as "now" (replay slider); omitted: the last step. */
  current?: number;
}

export interface MemoryChartOptions extends ChartOptions {
  /** Minimum number of steps on the x axis, so a short run does not fill the width. */
  minSteps?: number;
}

interface Long { step: number; part: string; pages: number }

export function memoryChart(data: MemoryChartData, options: MemoryChartOptions = {}): SVGSVGElement | HTMLElement {
  const long: Long[] = [];
  for (const r of data.rows) for (const p of MEMORY_PARTS) long.push({ step: r.step, part: MEMORY_NAMES[p], pages: r[p] });
  const last = data.rows.length ? data.rows[data.rows.length - 1]!.step : 0;
  // The state after the last step holds for one more step width: a step-after area would draw it zero wide.
  const end = data.rows.at(-1);
  if (end) for (const p of MEMORY_PARTS) long.push({ step: end.step + 1, part: MEMORY_NAMES[p], pages: end[p] });
  const total = data.rows.length ? MEMORY_PARTS.reduce((n, p) => n + data.rows[0]![p], 0) : 0;
  const xMax = Math.max(last + 1, options.minSteps ?? 10);
  const width = options.width ?? 640;
  const margin = { left: 40, right: 16 };
  const pxPerStep = (width - margin.left - margin.right) / xMax;
  const kills = data.marks.filter((m) => m.kind === 'kill');
  const outcomes = placeLabels(data.marks.filter((m) => m.kind !== 'kill').map((m) => ({
    ...m, text: `${OUTCOME_ICONS[m.outcome as OutcomeId]} ${OUTCOME_NAMES[m.outcome as OutcomeId]}`,
  })), pxPerStep, width - margin.left - margin.right);
  const rows = outcomes.reduce((n, o) => Math.max(n, o.row + 1), 0);
  const current = data.current ?? last;
  const marks: Plot.Markish[] = [
    Plot.areaY(long, Plot.stackY({
      x: 'step', y: 'pages', fill: 'part', z: 'part', curve: 'step-after', order: MEMORY_PARTS.map((p) => MEMORY_NAMES[p]),
      title: (d: Long) => `step ${d.step}: ${count(d.pages, 'page')} ${d.part}`,
    })),
    Plot.ruleY([0], { stroke: PALETTE.ink }),
    Plot.ruleX([Math.min(current, last)], { stroke: PALETTE.ink, strokeWidth: 2, strokeOpacity: 0.55 }),
    Plot.ruleX(kills, { x: 'step', stroke: PALETTE.ink, strokeDasharray: '4,3', strokeWidth: 1.5 }),
    // Kill labels sit low, right of their rule; outcome labels sit on top: they never collide.
    Plot.text(kills.filter((k) => k.step <= xMax * 0.8), { x: 'step', y: 0, text: 'label', dy: -8, dx: 4, textAnchor: 'start', fontWeight: 700, fill: PALETTE.ink, stroke: PALETTE.surface, strokeWidth: 3, paintOrder: 'stroke' }),
    Plot.text(kills.filter((k) => k.step > xMax * 0.8), { x: 'step', y: 0, text: 'label', dy: -8, dx: -4, textAnchor: 'end', fontWeight: 700, fill: PALETTE.ink, stroke: PALETTE.surface, strokeWidth: 3, paintOrder: 'stroke' }),
    Plot.dot(outcomes, { x: 'step', y: total, r: 7, fill: (d: RunMark) => OUTCOME_COLORS[d.outcome as OutcomeId], stroke: PALETTE.surface, strokeWidth: 1.5 }),
    // One text mark per row and direction (Plot's dy is a constant per mark).
    ...[...new Set(outcomes.map((o) => `${o.row}|${o.anchor}`))].map((key) => {
      const [row, anchor] = [Number(key.split('|')[0]), key.split('|')[1] as Placed['anchor']];
      return Plot.text(outcomes.filter((o) => o.row === row && o.anchor === anchor), {
        x: 'step', y: total, dy: -14 - 14 * row, dx: anchor === 'end' ? -4 : 4, fontWeight: 700, text: 'text', textAnchor: anchor,
        fill: (d: RunMark) => OUTCOME_TEXT_COLORS[d.outcome as OutcomeId],
        stroke: PALETTE.surface, strokeWidth: 3, paintOrder: 'stroke',
      });
    }),
  ];
  if (data.need !== undefined) {
    // White under black dashes: visible on every band colour.
    marks.push(Plot.ruleY([data.need], { stroke: PALETTE.surface, strokeWidth: 3, strokeOpacity: 0.85 }));
    marks.push(Plot.ruleY([data.need], { stroke: PALETTE.ink, strokeWidth: 1.5, strokeDasharray: '5,3' }));
    marks.push(Plot.text([data.need], { x: xMax, y: (d: number) => d, text: (d: number) => `need ${d}`, dy: -7, textAnchor: 'end', fill: PALETTE.ink, stroke: PALETTE.surface, strokeWidth: 3, paintOrder: 'stroke', fontWeight: 700 }));
  }
  return cspSafe(Plot.plot({
    ...(options.document ? { document: options.document } : {}),
    width,
    height: (options.height ?? 220) + 14 * Math.max(0, rows - 1),
    marginTop: 16 + 14 * Math.max(1, rows),
    marginLeft: margin.left,
    marginRight: margin.right,
    ariaLabel: 'Memory over the steps of the run',
    ariaDescription: `Pages free, held by the victim, held by bystanders and allocated, over ${count(last, 'step')}.`,
    // a tick label every 32 px at most: step numbers never touch on a phone
    x: { domain: [0, xMax], label: 'step →', labelAnchor: 'right', ticks: Math.max(2, Math.min(xMax, 12, Math.floor((width - margin.left - margin.right) / 32))), tickFormat: 'd' },
    y: { domain: [0, Math.max(total, 1)], label: '↑ pages', grid: true, ticks: Math.min(total, 6), tickFormat: 'd' },
    color: { domain: MEMORY_PARTS.map((p) => MEMORY_NAMES[p]), range: MEMORY_PARTS.map((p) => MEMORY_COLORS[p]) },
    marks,
  }));
}
