// The chart builders and @observablehq/plot are the heaviest part of the game and notebook
// screens, and their first paint (the board and actors, a notebook's text) needs none of
// it. So the builders are fetched once, when the first chart comes near the viewport
// (rl-chart asks), and every chart on the page draws as soon as they are here.
import type * as Builders from './builders.js';

export type Charts = typeof Builders;

let resolveReady: (charts: Charts) => void = () => {};
/** Resolves once the builders are loaded, whichever chart asked for them. */
export const chartsReady: Promise<Charts> = new Promise((resolve) => { resolveReady = resolve; });

let fetching: Promise<Charts> | null = null;

/** Fetches the builders (once; again after a failed fetch, say a dropped connection). */
export function loadCharts(): Promise<Charts> {
  fetching ??= import('./builders.js').then(
    (charts) => { resolveReady(charts); return charts; },
    (e: unknown) => { fetching = null; throw e; },
  );
  return fetching;
}
