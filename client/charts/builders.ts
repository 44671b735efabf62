// Everything that draws with @observablehq/plot, as one chunk: load.ts fetches it when the
// first chart is about to be shown, so nothing else on a screen waits for it.
export { memoryChart } from './memory-chart.js';
export { swimlanesChart, swimlanesWidth } from './swimlanes-chart.js';
export { coverageChart } from '../notebook/coverage-chart.js';
