// npm run bench:explorer [-- --quick] [-- --rounds N] [-- --lessons (only)] [-- --no-browser] [-- --capacity]
//
// Explores a family of larger scenarios (more allocators, more VMAs, more reaper retries —
// REFERENCE §6) with the engine's explorer, and in the same run checks the same scenarios
// with SPIN (gcc -O2, -DNOREDUCE -DSAFETY) on the independent Promela model in bench/spin.
// Ours and SPIN take turns, round after round, so a noisy neighbour hits both alike; each
// round prints the machine's load beside its figures. Speed is states per CPU-second on
// both sides (ours: this process's CPU time around explore(); SPIN: pan's user + system
// time from GNU time, else pan's own clock), since wall time on a shared machine measures
// the neighbours. SPIN's hash table is sized to the state space (-w = ⌈log2 states⌉ + 1),
// its fastest setting here: a table far too large costs it a memset and cache misses.
// Then times the explorer on every shipped lesson: in this process, and — where Debian's
// Chromium is installed — in the notebook's explorer Web Worker of the built client, which
// reports the time of its whole answer (explore with every final state listed).
// Figures only: nothing here asserts a time.

import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { explore, scaledConfig, CONFIGS, type Config, type ExploreResult, type Scenario, type VariantId } from '../engine/index.js';
import { loadCampaign } from '../lessons/load.js';
import { lessonScenario } from '../lessons/parse.js';
import { spinBenchmark, type SpinBenchmark } from './spin/run-spin.js';

interface Member {
  name: string;
  variant: VariantId;
  config: Config;
}

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const roundsAt = argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Math.max(1, Number(argv[roundsAt + 1]) || 1) : 3;

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
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function timed<T>(f: () => T): { value: T; cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

interface Round { ours: number; spin: number; oursWall: number; spinWall: number; load: string }

function runFamily(): void {
  console.log(`reaplab explorer benchmark — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load()}, node ${process.version}, ${rounds} round(s)`);
  console.log('Explorer vs SPIN on the same scenarios (SPIN: gcc -O2 -DNOREDUCE -DSAFETY, exhaustive DFS, no property)');
  console.log('  states/s are per CPU-second on both sides; "wall" beside them is elapsed time (a busy machine inflates it)');
  console.log('  bytes/state: ours = the most the state store held at once (hash table with the states in it, predecessors,');
  console.log('               actors, the BFS frontier); SPIN = its state memory (vectors + per-state overhead, no hash table)');
  const summary: string[] = [];
  for (const m of FAMILY) {
    console.log(`\n${m.name} (${m.variant} × ${m.config.id})`);
    console.log(`  ${'round'.padEnd(6)}${pad('load (1/5/15 min)', 18)} |${pad('ours states/s', 15)}${pad('wall', 8)} |${pad('SPIN states/s', 15)}${pad('wall', 8)} | ratio`);
    const rs: Round[] = [];
    let r: ExploreResult | null = null;
    let spin: SpinBenchmark | null = null;
    for (let k = 1; k <= rounds; k++) {
      const before = load();
      const ours = timed(() => explore({ variant: m.variant, config: m.config }, { maxStates: 60_000_000 }));
      r = ours.value;
      const hashBits = Math.max(16, Math.ceil(Math.log2(r.states)) + 1);
      spin = spinBenchmark(m.variant, m.config, { hashBits });
      if (spin.states !== r.states) throw new Error(`${m.name}: SPIN stored ${spin.states} states, the explorer ${r.states}: not the same state space`);
      const spinRate = spin.statesPerCpuSecond ?? spin.statesPerSecond;
      const round: Round = { ours: r.states / ours.cpu, spin: spinRate, oursWall: ours.wall, spinWall: spin.wallSeconds, load: before };
      rs.push(round);
      console.log(`  ${String(k).padEnd(6)}${pad(before, 18)} |${pad(fmt(round.ours), 15)}${pad(`${round.oursWall.toFixed(2)} s`, 8)} |${pad(fmt(round.spin), 15)}${pad(`${round.spinWall.toFixed(2)} s`, 8)} | ${(round.ours / round.spin).toFixed(2)}×`);
    }
    const res = r!;
    const sp = spin!;
    const ours = median(rs.map((x) => x.ours));
    const theirs = median(rs.map((x) => x.spin));
    const ratios = rs.map((x) => x.ours / x.spin);
    const bps = res.storeBytes / res.states;
    console.log(`  states ${fmt(res.states)} (SPIN ${fmt(sp.states)}), transitions ${fmt(res.transitions)} (SPIN ${fmt(sp.transitions)})${res.complete ? '' : '  INCOMPLETE'}`);
    console.log(`  bytes/state: ours ${fmt(bps, 1)}, SPIN ${fmt(sp.bytesPerState, 1)} (its total incl. the -w${sp.hashBits} hash table: ${fmt((sp.memoryMb * 1024 * 1024) / sp.states, 1)})`);
    if (!sp.statesPerCpuSecond) console.log('  note: GNU time (/usr/bin/time) is missing, so SPIN\'s rate is by its own wall clock, not CPU time');
    summary.push(`| ${m.name} | ${fmt(res.states)} | ${fmt(ours)} | ${fmt(theirs)} | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${fmt(bps, 1)} | ${fmt(sp.bytesPerState, 1)} | ${(bps / sp.bytesPerState).toFixed(2)}× |`);
  }
  console.log('\nSummary (medians over the rounds; ratio range in brackets):');
  console.log('| scenario | states | ours states/CPU-s | SPIN states/CPU-s | speed ratio | ours B/state | SPIN B/state | memory ratio |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const line of summary) console.log(line);
  console.log(`\nRSS after the family: ${fmt(process.memoryUsage().rss / 1e6)} MB; load ${load()}`);
}

function runLessons(): void {
  const { lessons, errors } = loadCampaign();
  if (errors.length) console.log(`lesson errors: ${errors.length}`);
  console.log('\nEvery shipped lesson, explored in this process (CPU ms and wall ms, best of 3; the first run includes JIT warm-up):');
  let worst = 0;
  let worstFirst = 0;
  for (const l of lessons) {
    const sc = lessonScenario(l);
    let best = Infinity;
    let bestWall = Infinity;
    let firstMs = 0;
    let states = 0;
    for (let k = 0; k < 3; k++) {
      const t = timed(() => explore(sc, { listFinals: true }).states);
      states = t.value;
      if (k === 0) firstMs = t.cpu * 1000;
      best = Math.min(best, t.cpu * 1000);
      bestWall = Math.min(bestWall, t.wall * 1000);
    }
    worst = Math.max(worst, best);
    worstFirst = Math.max(worstFirst, firstMs);
    console.log(`  ${l.id.padEnd(34)} ${pad(fmt(states), 8)} states ${pad(best.toFixed(1), 7)} ms CPU (wall ${bestWall.toFixed(1)}, first ${firstMs.toFixed(1)} CPU)`);
  }
  console.log(`  slowest lesson: ${worst.toFixed(1)} ms CPU best, ${worstFirst.toFixed(1)} ms first run; load ${load()}`);
}

/** The explorer cell's worker in Chromium, on every lesson: its own report of each answer's time, best of 3. */
async function runBrowserWorker(): Promise<void> {
  const kit = await import('../test/browser/chromium.js');
  if (argv.includes('--no-browser') || !existsSync(kit.CHROMIUM)) {
    console.log('\nBrowser worker: skipped (--no-browser, or no Chromium at ' + kit.CHROMIUM + ')');
    return;
  }
  await kit.ensureClientBuilt();
  const file = readdirSync(join(kit.CLIENT_DIR, 'assets')).find((f) => /^explorer\.worker-.*\.js$/.test(f));
  if (!file) throw new Error('the built client has no explorer worker');
  const { lessons } = loadCampaign();
  const scenarios: [string, Scenario][] = lessons.map((l) => [l.id, lessonScenario(l)]);
  const server = await kit.startServer();
  const browser = await kit.launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    // Plain JavaScript source: tsx would wrap a TypeScript function in helpers the page lacks.
    const times = await page.evaluate(`(async () => {
      const scenarios = ${JSON.stringify(scenarios.map(([, sc]) => sc))};
      const w = new Worker(${JSON.stringify(`/assets/${file}`)}, { type: 'module' });
      const ask = (id, scenario) => new Promise((resolve) => {
        w.onmessage = (e) => resolve(e.data);
        w.postMessage({ id, scenario, maxStates: 300000 });
      });
      const out = [];
      let id = 1;
      for (const sc of scenarios) {
        const ms = [];
        let states = 0;
        for (let k = 0; k < 3; k++) {
          const a = await ask(id++, sc);
          if (!a.ok) throw new Error(a.message);
          ms.push(a.report.ms);
          states = a.report.states;
        }
        out.push({ first: ms[0], best: Math.min(...ms), states });
      }
      w.terminate();
      return out;
    })()`) as { first: number; best: number; states: number }[];
    console.log(`\nEvery shipped lesson in Chromium's explorer worker (the cell's whole answer; the worker's own clock, whole ms; best of 3):`);
    scenarios.forEach(([id], k) => {
      const t = times[k]!;
      console.log(`  ${id.padEnd(34)} ${pad(fmt(t.states), 8)} states ${pad(String(t.best), 5)} ms (first ${t.first} ms)`);
    });
    console.log(`  slowest lesson: ${Math.max(...times.map((t) => t.best))} ms best, ${Math.max(...times.map((t) => t.first))} ms first run; load ${load()}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** --capacity: one search past V8's 2^24-entry Map limit, up to 50 million states. */
function runCapacity(): void {
  const config = scaledConfig(CONFIGS['pgtable-heavy'], { allocators: 9, bystanders: 2, maxAttempts: 4 });
  console.log(`\nCapacity: v4.19 × ${config.id}, budget 50,000,000 states; load ${load()}`);
  const t0 = performance.now();
  const r = explore({ variant: 'v4.19', config }, {
    maxStates: 50_000_000,
    progressEvery: 1 << 22,
    onProgress: (p) => process.stderr.write(`\r  ${fmt(p.states)} states, depth ${p.depth}, RSS ${fmt(process.memoryUsage().rss / 1e6)} MB   `),
  });
  const secs = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  console.log(`  ${fmt(r.states)} states (${r.complete ? 'complete' : 'budget reached'}), ${fmt(r.transitions)} transitions in ${secs.toFixed(0)} s: ${fmt(r.states / secs)} states/s`);
  console.log(`  store: ${fmt(r.storeBytes / r.states, 1)} bytes/state; process RSS ${fmt(process.memoryUsage().rss / 1e6)} MB; load ${load()}`);
}

if (argv.includes('--capacity')) runCapacity();
else {
  if (!argv.includes('--lessons')) runFamily();
  runLessons();
  await runBrowserWorker();
}
