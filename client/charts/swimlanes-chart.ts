// The interleaving as swimlanes: one lane per actor, one cell per accepted step, labelled
// with the step's name; the outcome closes the last cell. A pure builder: (data, options) → SVG.
import * as Plot from '@observablehq/plot';
import type { OutcomeId } from '../../engine/index.js';
import { ACTOR_COLORS, actorName, actorRole, OUTCOME_COLORS, OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { PALETTE } from '../lib/palette.js';
import type { LaneCell } from '../lib/model.js';
import { cspSafe, truncate, type ChartOptions } from './plot-util.js';

export interface SwimlanesData {
  actors: readonly string[];
  cells: readonly LaneCell[];
  outcome?: OutcomeId | null;
  /** Highlight this step (replay slider). */
  current?: number;
}

export interface SwimlanesOptions extends ChartOptions {
  /** Minimum number of step columns (keeps cells a stable size in short runs). */
  minSteps?: number;
}

/** Narrowest readable step column (px): a run fits its box when it can, else it scrolls. */
export const LANE_MIN_CELL = 16;
const LANE_MARGINS = 96 + 12;

/** The chart width for `steps` columns in `available` px: the box's width when the whole run fits, wider (to scroll) when not. */
export function swimlanesWidth(available: number, steps: number): number {
  return Math.max(available, LANE_MARGINS + LANE_MIN_CELL * steps);
}

export function swimlanesChart(data: SwimlanesData, options: SwimlanesOptions = {}): SVGSVGElement | HTMLElement {
  const n = Math.max(data.cells.length, options.minSteps ?? 12);
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const height = options.height ?? 36 + 64 * data.actors.length;
  const margin = { top: 26, bottom: 22 };
  const laneHeight = (height - margin.top - margin.bottom) / Math.max(1, data.actors.length);
  // Labels run up the cell: as many characters as the lane is tall.
  const maxChars = Math.max(3, Math.floor((laneHeight - 8) / 6.2));
  const current = data.current;
  const cells = data.cells.map((c) => ({ ...c, color: ACTOR_COLORS[actorRole(c.actor)], short: truncate(c.name, maxChars) }));
  const marks: Plot.Markish[] = [
    Plot.cell(data.actors.flatMap((a) => steps.map((s) => ({ a, s }))), { x: 's', y: 'a', fill: PALETTE.surface2, inset: 1 }),
    Plot.cell(cells, {
      x: 'step', y: 'actor', fill: 'color', inset: 1, rx: 3,
      fillOpacity: (d: LaneCell) => (current === undefined || d.step <= current ? 1 : 0.25),
      // the player's words: the step's label and its VMA, never the engine's step id
      title: (d: LaneCell) => `${d.step}. ${actorName(d.actor)}: ${d.label}${/:(\d+)$/.test(d.name) ? ` on VMA ${/:(\d+)$/.exec(d.name)![1]}` : ''}`,
    }),
    Plot.text(cells, {
      x: 'step', y: 'actor', text: 'short', rotate: -90, fill: PALETTE.onDark, fontSize: 10, fontWeight: 600,
      fillOpacity: (d: LaneCell) => (current === undefined || d.step <= current ? 1 : 0.5),
    }),
  ];
  if (current !== undefined && current > 0) {
    marks.push(Plot.cell([{ s: current }], { x: 's', fill: 'none', stroke: PALETTE.focus, strokeWidth: 3 }));
  }
  const lastCell = data.cells[data.cells.length - 1];
  if (data.outcome && lastCell) {
    const o = data.outcome;
    marks.push(Plot.cell([lastCell], { x: 'step', y: 'actor', fill: 'none', stroke: o === 'panic' ? PALETTE.focus : PALETTE.ink, strokeWidth: 3, rx: 3 }));
    marks.push(Plot.text([lastCell], {
      x: 'step', frameAnchor: 'top', dy: -10,
      text: () => `${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}`, fill: OUTCOME_COLORS[o], fontWeight: 700, fontSize: 12,
      textAnchor: 'end',
    }));
  }
  const width = options.width ?? Math.max(520, LANE_MARGINS + n * 24);
  return cspSafe(Plot.plot({
    ...(options.document ? { document: options.document } : {}),
    width,
    height,
    marginLeft: 96,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    marginRight: 12,
    ariaLabel: 'The interleaving: one lane per actor, one cell per step',
    ariaDescription: data.cells.map((c) => `${c.step}. ${actorName(c.actor)} ${c.name}`).join('; ') || 'no steps yet',
    x: { domain: steps, label: null, tickSize: 0, tickFormat: (d: number) => (d === 1 || d % 5 === 0 ? String(d) : '') },
    y: { domain: [...data.actors], label: null, tickSize: 0, tickFormat: (a: string) => actorName(a) },
    color: { type: 'identity' },
    marks,
  }));
}
