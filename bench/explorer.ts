// npm run bench:explorer [-- --quick | --capacity]
//
// Explores a family of larger scenarios (more allocators, more VMAs, more reaper retries —
// REFERENCE §6) with the engine's explorer, and in the same run checks the same scenarios
// with SPIN (gcc -O2, -DNOREDUCE -DSAFETY) on the independent Promela model in bench/spin.
// Prints states/s, transitions/s and bytes per state for both, and their ratios; then times
// the explorer on every shipped lesson. Figures only: nothing here asserts a time.

import { explore, scaledConfig, CONFIGS, type Config, type VariantId } from '../engine/index.js';
import { loadCampaign } from '../lessons/load.js';
import { lessonScenario } from '../lessons/parse.js';
import { spinBenchmark } from './spin/run-spin.js';

interface Member {
  name: string;
  variant: VariantId;
  config: Config;
}

const quick = process.argv.includes('--quick');

function member(name: string, variant: VariantId, base: keyof typeof CONFIGS, scale: Parameters<typeof scaledConfig>[1]): Member {
  return { name, variant, config: scaledConfig(CONFIGS[base], scale) };
}

const FAMILY: Member[] = [
  member('a5', 'v4.19', 'pgtable-heavy', { allocators: 5, bystanders: 2, maxAttempts: 4 }),
  member('a6', 'v4.19', 'pgtable-heavy', { allocators: 6, bystanders: 2, maxAttempts: 4 }),
  member('a6-mlocked-rfc', 'rfc-final', 'mlocked', { allocators: 6, bystanders: 3, vmas: 3, maxAttempts: 6 }),
  ...(quick ? [] : [
    member('a7-v2', 'v4.19', 'pgtable-heavy', { allocators: 7, bystanders: 2, vmas: 2, maxAttempts: 6 }),
    member('a8', 'v4.19', 'pgtable-heavy', { allocators: 8, bystanders: 2, maxAttempts: 4 }),
  ]),
];

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pad = (s: string, n: number) => s.padStart(n);

function cpuSeconds<T>(f: () => T): { value: T; seconds: number } {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, seconds: (c.user + c.system) / 1e6 };
}

function runFamily(): void {
  console.log('Explorer vs SPIN on the same scenarios (SPIN: gcc -O2 -DNOREDUCE -DSAFETY, exhaustive, no property)');
  console.log('  bytes/state: ours = everything the state store holds (vectors, predecessors, actors, hash table);');
  console.log('               SPIN = its state memory (vectors + per-state overhead) and, in brackets, its total memory incl. hash table\n');
  console.log(`${'scenario'.padEnd(16)}${pad('states', 12)}${pad('states/s', 11)}${pad('trans/s', 12)}${pad('B/state', 9)} |${pad('SPIN states', 12)}${pad('states/s', 11)}${pad('trans/s', 12)}${pad('B/state', 14)} | ${'speed ratio'.padEnd(12)} memory ratio`);
  for (const m of FAMILY) {
    const ours = cpuSeconds(() => explore({ variant: m.variant, config: m.config }, { maxStates: 60_000_000 }));
    const r = ours.value;
    const sps = r.states / ours.seconds;
    const bps = r.storeBytes / r.states;
    const spin = spinBenchmark(m.variant, m.config, { hashBits: r.states > 8_000_000 ? 26 : 24 });
    const spinTotal = (spin.memoryMb * 1024 * 1024) / spin.states;
    console.log(
      `${m.name.padEnd(16)}${pad(fmt(r.states), 12)}${pad(fmt(sps), 11)}${pad(fmt(r.transitions / ours.seconds), 12)}${pad(fmt(bps, 1), 9)} |`
      + `${pad(fmt(spin.states), 12)}${pad(fmt(spin.statesPerSecond), 11)}${pad(fmt(spin.transitions / spin.seconds), 12)}${pad(`${fmt(spin.bytesPerState, 1)} [${fmt(spinTotal, 0)}]`, 14)} | `
      + `${`${(sps / spin.statesPerSecond).toFixed(2)}×`.padEnd(12)} ${(bps / spin.bytesPerState).toFixed(2)}× (vs total ${(bps / spinTotal).toFixed(2)}×)`
      + `${r.complete ? '' : '  INCOMPLETE'}`,
    );
  }
  console.log(`\nheap+RSS after the family: ${fmt(process.memoryUsage().rss / 1e6)} MB`);
}

function runLessons(): void {
  const { lessons, errors } = loadCampaign();
  if (errors.length) console.log(`lesson errors: ${errors.length}`);
  console.log('\nEvery shipped lesson, explored (wall time, best of 3):');
  let worst = 0;
  for (const l of lessons) {
    const sc = lessonScenario(l);
    let best = Infinity;
    let states = 0;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      states = explore(sc).states;
      best = Math.min(best, performance.now() - t0);
    }
    worst = Math.max(worst, best);
    console.log(`  ${l.id.padEnd(34)} ${pad(fmt(states), 8)} states ${pad(best.toFixed(1), 7)} ms`);
  }
  console.log(`  slowest lesson: ${worst.toFixed(1)} ms`);
}

/** --capacity: one search past V8's 2^24-entry Map limit, up to 50 million states. */
function runCapacity(): void {
  const config = scaledConfig(CONFIGS['pgtable-heavy'], { allocators: 9, bystanders: 2, maxAttempts: 4 });
  console.log(`\nCapacity: v4.19 × ${config.id}, budget 50,000,000 states`);
  const t0 = performance.now();
  const r = explore({ variant: 'v4.19', config }, {
    maxStates: 50_000_000,
    progressEvery: 1 << 22,
    onProgress: (p) => process.stderr.write(`\r  ${fmt(p.states)} states, depth ${p.depth}, RSS ${fmt(process.memoryUsage().rss / 1e6)} MB   `),
  });
  const secs = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  console.log(`  ${fmt(r.states)} states (${r.complete ? 'complete' : 'budget reached'}), ${fmt(r.transitions)} transitions in ${secs.toFixed(0)} s: ${fmt(r.states / secs)} states/s`);
  console.log(`  store: ${fmt(r.storeBytes / r.states, 1)} bytes/state; process RSS ${fmt(process.memoryUsage().rss / 1e6)} MB`);
}

if (process.argv.includes('--capacity')) runCapacity();
else {
  runFamily();
  runLessons();
}
