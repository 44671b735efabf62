// The memory colours (palette.ts) as an HTML legend, shown under memory charts (Plot's own legends
// carry inline styles, which the CSP refuses).
import { css, html } from 'lit';
import { MEMORY_NAMES, MEMORY_PARTS } from './labels.js';

export const legendStyles = css`
  .mem-legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.76rem; color: var(--rl-ink-2); margin-top: 2px; }
  .mem-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 1px solid rgba(0, 0, 0, 0.3); }
  .mem-legend i.free { background: var(--rl-mem-free); }
  .mem-legend i.victim { background: var(--rl-mem-victim); }
  .mem-legend i.bystanders { background: var(--rl-mem-bystander); }
  .mem-legend i.allocated { background: var(--rl-mem-allocated); }
`;

export function memoryLegend() {
  return html`<div class="mem-legend" aria-hidden="true">${MEMORY_PARTS.map((p) => html`<span><i class=${p}></i>${MEMORY_NAMES[p]}</span>`)}</div>`;
}
