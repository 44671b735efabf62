// Shared helpers for the pure chart builders. Plot adds a <style> element to every SVG;
// the server's CSP (style-src 'self') would block it, so builders remove it and the
// client's own CSS carries the same few rules.

export interface ChartOptions {
  width?: number;
  height?: number;
  /** The document to build in (a small server-side DOM in tests). */
  document?: Document;
}

/** Removes Plot's inline <style> elements so the chart is CSP-clean, and its marks' names (see below). */
export function cspSafe<T extends Element>(el: T): T {
  for (const s of Array.from(el.querySelectorAll('style'))) s.remove();
  // Plot names each mark's <g> ("rule", "cell"): an aria-label on an element without a role is
  // not allowed, and the chart's own label and description already say what it shows.
  // The name stays as data-mark, for whoever looks for a mark.
  for (const g of Array.from(el.querySelectorAll('g[aria-label]'))) {
    g.setAttribute('data-mark', g.getAttribute('aria-label')!);
    g.removeAttribute('aria-label');
  }
  return el;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A label placed above a chart: its row (0 nearest the chart) and which way it runs from its step. */
export type Placed<T = object> = T & { step: number; text: string; row: number; anchor: 'start' | 'end' };

/** Rough width of a bold 10 px label (Plot's default font size), in px. */
const CHAR_PX = 7;

/**
 * Places labels at their steps so none overlaps another: each runs left of its step (right
 * when it would leave the chart) in the lowest row where it fits. `plotWidth` is the
 * drawing area's width in px, `pxPerStep` the x scale.
 */
export function placeLabels<T extends { step: number; text: string }>(items: readonly T[], pxPerStep: number, plotWidth: number): Placed<T>[] {
  const taken: [number, number][][] = [];
  return [...items].sort((a, b) => b.step - a.step).map((it) => {
    const x = it.step * pxPerStep;
    const w = it.text.length * CHAR_PX + 6;
    const anchor: 'start' | 'end' = x - w < 0 && x + w <= plotWidth ? 'start' : 'end';
    const span: [number, number] = anchor === 'end' ? [x - w, x] : [x, x + w];
    let row = 0;
    while ((taken[row] ?? []).some(([a, b]) => span[0] < b && a < span[1])) row++;
    (taken[row] ??= []).push(span);
    return { ...it, row, anchor };
  });
}
