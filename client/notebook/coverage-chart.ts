// Coverage as a chart: per ending outcome, one bar as long as the number of distinct final
// states the explorer found, filled as far as recorded runs have reached. A pure builder,
// (data, options) → SVG, like the game's charts (client/charts/).
import * as Plot from '@observablehq/plot';
import type { EndingOutcomeId } from '../../engine/index.js';
import { cspSafe, type ChartOptions } from '../charts/plot-util.js';
import { OUTCOME_COLORS, OUTCOME_ICONS, OUTCOME_NAMES } from '../lib/labels.js';
import { PALETTE } from '../lib/palette.js';
import { ENDINGS } from './coverage.js';

export interface CoverageChartData {
  byOutcome: Record<EndingOutcomeId, { total: number; found: number }>;
}

interface Row { outcome: EndingOutcomeId; label: string; total: number; found: number }

export function coverageChart(data: CoverageChartData, options: ChartOptions = {}): SVGSVGElement | HTMLElement {
  const rows: Row[] = ENDINGS.filter((o) => data.byOutcome[o].total > 0).map((o) => ({
    outcome: o, label: `${OUTCOME_ICONS[o]} ${OUTCOME_NAMES[o]}`, total: data.byOutcome[o].total, found: data.byOutcome[o].found,
  }));
  const max = Math.max(1, ...rows.map((r) => r.total));
  return cspSafe(Plot.plot({
    ...(options.document ? { document: options.document } : {}),
    width: options.width ?? 520,
    height: options.height ?? 28 + 30 * Math.max(1, rows.length),
    marginLeft: 118,
    marginRight: 92,
    marginTop: 6,
    marginBottom: 22,
    ariaLabel: 'Distinct final states found, per outcome',
    ariaDescription: rows.map((r) => `${OUTCOME_NAMES[r.outcome]}: ${r.found} of ${r.total} found`).join('; ') || 'no final states',
    // a tick label every 40 px at most, so that numbers never touch on a narrow screen
    x: { domain: [0, max], label: null, ticks: Math.max(1, Math.min(max, 5, Math.floor(((options.width ?? 520) - 118 - 92) / 40))), tickFormat: 'd', grid: true },
    y: { domain: rows.map((r) => r.label), label: null, tickSize: 0 },
    color: { type: 'identity' },
    marks: [
      Plot.barX(rows, { y: 'label', x1: 0, x2: 'total', fill: PALETTE.surface2, stroke: (d: Row) => OUTCOME_COLORS[d.outcome], strokeWidth: 1, insetTop: 3, insetBottom: 3 }),
      Plot.barX(rows.filter((r) => r.found > 0), { y: 'label', x1: 0, x2: 'found', fill: (d: Row) => OUTCOME_COLORS[d.outcome], insetTop: 3, insetBottom: 3 }),
      Plot.text(rows, { y: 'label', x: 'total', text: (d: Row) => `${d.found} of ${d.total}`, textAnchor: 'start', dx: 6, fontWeight: 600, fill: PALETTE.ink }),
      Plot.ruleX([0], { stroke: PALETTE.ink }),
    ],
  }));
}
