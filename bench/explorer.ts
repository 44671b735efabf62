// npm run bench:explorer [-- --quick] [-- --rounds N] [-- --only a5,a6] [-- --lessons (only)] [-- --no-browser] [-- --capacity] [-- --symmetry (only)]
//
// Explores a family of larger scenarios (more allocators, more VMAs, more reaper retries —
// REFERENCE §6) with the engine's explorer, and in the same run checks the same scenarios
// with SPIN (gcc -O2, -DNOREDUCE -DSAFETY) on the independent Promela model in bench/spin.
// First, per scenario, an untimed warm-up round (printed: ours is then a cold first search,
// JIT compilation included, as SPIN's gcc compilation is not) and the proof that both sides
// explore the same state space: equal state and transition counts, and equal outcome sets
// with equal shortest lengths (SPIN's breadth-first run with every outcome asserted, compiled
// with the same -O level as its timed runs). Then ours and SPIN take turns, round after round,
// the order swapped each round, so a noisy neighbour hits both alike; each round prints the
// machine's load and flags rounds the load dominates. Speed is states per CPU-second on both
// sides (ours: this process's CPU time around explore(), all its threads; SPIN: pan's user +
// system time from GNU time, else pan's own clock), since wall time on a shared machine
// measures the neighbours. Both sides get the state count to size their hash table: SPIN
// -w = ⌈log2 states⌉ + 1 (its fastest setting here), ours expectedStates; ours is also timed
// without the hint (its table doubling as it fills), as a search of an unknown scenario runs.
// Then, on its own, the time to answer with the symmetry reduction beside the unreduced
// search (runSymmetry). Then times the explorer on every shipped lesson: in this process, and — where Debian's
// Chromium is installed — in the notebook's explorer Web Worker of the built client, which
// reports the time of its whole answer (explore with every final state listed).
// Figures only: nothing here asserts a time.

import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { explore, scaledConfig, CONFIGS, OUTCOMES, type ExploreResult, type OutcomeId, type Scenario } from '../engine/index.js';
import { loadCampaign } from '../lessons/load.js';
import { lessonScenario } from '../lessons/parse.js';
import { ALLOCATOR_LADDER, FAMILY, QUICK_FAMILY, type Member } from './family.js';
import { spinBenchmark, spinOutcomes, type SpinBenchmark } from './spin/run-spin.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const argAfter = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rounds = Math.max(1, Number(argAfter('--rounds')) || 5);
const only = argAfter('--only')?.split(',');

const FAMILY_RUN: Member[] = (quick ? QUICK_FAMILY : FAMILY).filter((m) => !only || only.includes(m.name));

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pad = (s: string, n: number) => s.padStart(n);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[], digits = 2) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

function timed<T>(f: () => T): { value: T; cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

/**
 * A round is load-dominated when the machine has at least one runnable job per CPU (1-minute
 * load average) or either side waited for a CPU a fifth of its time (wall ≥ 1.25 × CPU): the
 * CPU-time figures still count only each side's own work, but caches and memory bandwidth were
 * shared, so they are a floor and their spread is mostly the neighbours'.
 */
const WAIT_RATIO = 1.25;
function loadDominated(load1: number, ...wallPerCpu: number[]): boolean {
  return load1 >= cpus().length || wallPerCpu.some((r) => r >= WAIT_RATIO);
}

type Summary = Record<OutcomeId, number | null>;
const outcomeSummary = (o: Record<OutcomeId, { reachable: boolean; steps?: number }>): Summary =>
  Object.fromEntries(OUTCOMES.map((k) => [k, o[k].reachable ? o[k].steps! : null])) as Summary;
const showSummary = (s: Summary) => OUTCOMES.map((k) => `${k} ${s[k] ?? '–'}`).join(', ');

interface Round { sized: number; growing: number; spin: number; load1: number; dominated: boolean }

function runMember(m: Member): string {
  const sc: Scenario = { variant: m.variant, config: m.config };
  console.log(`\n${m.name} (${m.variant} × ${m.config.id})`);
  // Warm-up round: ours cold (first search of this scenario in the process), SPIN's first run.
  const cold = timed(() => explore(sc, { maxStates: 60_000_000 }));
  const r: ExploreResult = cold.value;
  const hashBits = Math.max(16, Math.ceil(Math.log2(r.states)) + 1);
  const spinCold = spinBenchmark(m.variant, m.config, { hashBits });
  const spinRate = (b: SpinBenchmark) => b.statesPerCpuSecond ?? b.statesPerSecond;
  if (spinCold.states !== r.states || spinCold.transitions !== r.transitions) {
    throw new Error(`${m.name}: SPIN has ${spinCold.states} states / ${spinCold.transitions} transitions, the explorer ${r.states} / ${r.transitions}: not the same state space`);
  }
  const spinBfs = spinOutcomes(m.variant, m.config, { hashBits });
  const ours = outcomeSummary(r.outcomes as Record<OutcomeId, { reachable: boolean; steps?: number }>);
  const theirs = outcomeSummary(spinBfs.outcomes);
  const same = OUTCOMES.every((k) => ours[k] === theirs[k]) && spinBfs.states === r.states;
  console.log(`  states ${fmt(r.states)} (SPIN ${fmt(spinCold.states)}, its BFS run ${fmt(spinBfs.states)}), transitions ${fmt(r.transitions)} (SPIN ${fmt(spinCold.transitions)})${r.complete ? '' : '  INCOMPLETE'}`);
  console.log(`  outcomes, shortest steps: ours  ${showSummary(ours)}`);
  console.log(`                            SPIN  ${showSummary(theirs)}  ${same ? '(the same)' : 'DIFFERENT'}`);
  console.log(`  SPIN pan: timed runs gcc ${spinCold.cflags}; outcome run gcc ${spinBfs.cflags}; -w${hashBits}`);
  if (!same) throw new Error(`${m.name}: the explorer and SPIN disagree on the outcomes or the state count`);
  if (optLevel(spinCold.cflags) !== optLevel(spinBfs.cflags)) throw new Error(`${m.name}: SPIN's timed and outcome runs were compiled at different -O levels`);
  console.log(`  ${'round'.padEnd(11)}${pad('load 1/5/15 min', 17)} |${pad('ours sized', 12)}${pad('wall', 8)}${pad('growing', 11)} |${pad('SPIN', 11)}${pad('wall', 8)} | ratio sized / growing`);
  const coldRatio = (r.states / cold.cpu) / spinRate(spinCold);
  console.log(`  ${'0 warm-up'.padEnd(11)}${pad(load(), 17)} |${pad('', 12)}${pad('', 8)}${pad(fmt(r.states / cold.cpu), 11)} |${pad(fmt(spinRate(spinCold)), 11)}${pad(`${spinCold.wallSeconds.toFixed(2)} s`, 8)} | ${coldRatio.toFixed(2)}× cold (JIT compilation included), not in the medians`);
  const rs: Round[] = [];
  let sizedBytes = 0;
  let growingBytes = r.storeBytes;
  for (let k = 1; k <= rounds; k++) {
    const before = load();
    const load1 = loadavg()[0]!;
    const runOurs = () => {
      const sized = timed(() => explore(sc, { maxStates: 60_000_000, expectedStates: r.states }));
      const growing = timed(() => explore(sc, { maxStates: 60_000_000 }));
      for (const x of [sized, growing]) if (x.value.states !== r.states) throw new Error(`${m.name}: a later search found ${x.value.states} states`);
      sizedBytes = sized.value.storeBytes;
      growingBytes = Math.max(growingBytes, growing.value.storeBytes);
      return { sized, growing };
    };
    let o: ReturnType<typeof runOurs>;
    let b: SpinBenchmark;
    if (k % 2) { o = runOurs(); b = spinBenchmark(m.variant, m.config, { hashBits }); } else { b = spinBenchmark(m.variant, m.config, { hashBits }); o = runOurs(); }
    const spinCpu = b.cpuSeconds ?? b.seconds;
    const round: Round = {
      sized: r.states / o.sized.cpu,
      growing: r.states / o.growing.cpu,
      spin: spinRate(b),
      load1,
      dominated: loadDominated(load1, o.sized.wall / o.sized.cpu, o.growing.wall / o.growing.cpu, b.wallSeconds / spinCpu),
    };
    rs.push(round);
    console.log(`  ${`${k} ${k % 2 ? 'ours 1st' : 'SPIN 1st'}`.padEnd(11)}${pad(before, 17)} |${pad(fmt(round.sized), 12)}${pad(`${o.sized.wall.toFixed(2)} s`, 8)}${pad(fmt(round.growing), 11)} |${pad(fmt(round.spin), 11)}${pad(`${b.wallSeconds.toFixed(2)} s`, 8)} | ${(round.sized / round.spin).toFixed(2)}× / ${(round.growing / round.spin).toFixed(2)}×${round.dominated ? '  load-dominated' : ''}`);
  }
  const sizedRatios = rs.map((x) => x.sized / x.spin);
  const growingRatios = rs.map((x) => x.growing / x.spin);
  const bps = Math.max(sizedBytes, growingBytes) / r.states;
  const dominated = rs.filter((x) => x.dominated).length;
  console.log(`  bytes/state: ours ${fmt(growingBytes / r.states, 1)} growing, ${fmt(sizedBytes / r.states, 1)} sized; SPIN ${fmt(spinCold.bytesPerState, 1)} (its total incl. the -w${hashBits} hash table: ${fmt((spinCold.memoryMb * 1024 * 1024) / spinCold.states, 1)})`);
  console.log(`  load average over the rounds ${spread(rs.map((x) => x.load1), 1)}; ${dominated ? `${dominated} of ${rs.length} rounds load-dominated: the figures are a floor and their spread mostly the neighbours'` : 'no round load-dominated'}`);
  if (!spinCold.statesPerCpuSecond) console.log('  note: GNU time (/usr/bin/time) is missing, so SPIN\'s rate is by its own wall clock, not CPU time');
  return `| ${m.name} | ${fmt(r.states)} | ${fmt(median(rs.map((x) => x.sized)))} | ${fmt(median(rs.map((x) => x.growing)))} | ${fmt(median(rs.map((x) => x.spin)))} | ${median(sizedRatios).toFixed(2)}× (${spread(sizedRatios)}) | ${median(growingRatios).toFixed(2)}× (${spread(growingRatios)}) | ${coldRatio.toFixed(2)}× | ${fmt(bps, 1)} | ${fmt(spinCold.bytesPerState, 1)} | ${(bps / spinCold.bytesPerState).toFixed(2)}× | ${spread(rs.map((x) => x.load1), 1)}${dominated ? ` (${dominated}/${rs.length} load-dominated)` : ''} |`;
}

const optLevel = (cflags: string) => /(^| )(-O\S*)/.exec(cflags)?.[2] ?? '(none)';

function runFamily(): void {
  console.log(`reaplab explorer benchmark — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load()}, node ${process.version}, ${rounds} round(s) after a warm-up`);
  console.log('Explorer vs SPIN on the same scenarios (SPIN: exhaustive DFS, no property; its gcc flags are printed per scenario)');
  console.log('  states/s are per CPU-second on both sides; "wall" beside them is elapsed time (a busy machine inflates it)');
  console.log('  "sized": both sides size their hash table from the state count; "growing": ours without that hint');
  console.log('  bytes/state: ours = the most the state store held at once (hash table with the states in it — both tables');
  console.log('               while it doubles —, predecessors, actors, the BFS frontier); SPIN = its state memory (no hash table)');
  const summary = FAMILY_RUN.map(runMember);
  console.log(`\nSummary (${rounds} rounds; medians, per-round range in brackets; cold = the warm-up round, not in the medians):`);
  console.log('| scenario | states | ours states/CPU-s sized | ours growing | SPIN states/CPU-s | ratio sized | ratio growing | ratio cold | ours B/state | SPIN B/state | memory ratio | load (1 min) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
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

/**
 * Time to answer with the symmetry reduction (`explore(…, { symmetry: true })`), beside the
 * unreduced search of the same scenario, in the same round, the order swapped each round. Its
 * own section, in milliseconds to the whole answer rather than states per second: the reduced
 * search answers the same question by searching far fewer states. Both are growing searches
 * (no size hint), as for an unknown scenario. The outcome sets and shortest lengths are
 * compared on every scenario, and the bench stops if they differ.
 */
function runSymmetry(): void {
  const extra = (quick ? [] : FAMILY.filter((m) => m.name === 'a7-v2'));
  const ladder = ALLOCATOR_LADDER.filter((m) => !quick || m.config.need.length <= 6);
  const members = [...ladder, ...QUICK_FAMILY.filter((m) => m.name === 'a6-mlocked-rfc'), ...extra];
  const n = Math.min(rounds, 3);
  console.log(`\nTime to answer: symmetry-reduced vs unreduced search (${n} rounds, order swapped each round; wall ms of the whole explore(), CPU ms beside; load ${load()})`);
  console.log(`  ${'scenario'.padEnd(17)}${'round'.padEnd(7)}${pad('load 1/5/15', 16)} |${pad('unreduced states', 17)}${pad('ms', 9)}${pad('CPU ms', 9)} |${pad('reduced states', 15)}${pad('ms', 8)}${pad('CPU ms', 8)} | faster`);
  const rows: string[] = [];
  for (const m of members) {
    const sc: Scenario = { variant: m.variant, config: m.config };
    const full: { wall: number; cpu: number }[] = [];
    const reduced: { wall: number; cpu: number }[] = [];
    const last: { full?: ExploreResult; reduced?: ExploreResult } = {};
    const loads: number[] = [];
    for (let k = 1; k <= n; k++) {
      const before = load();
      loads.push(loadavg()[0]!);
      const runFull = () => { const t = timed(() => explore(sc, { maxStates: 60_000_000 })); last.full = t.value; full.push({ wall: t.wall * 1000, cpu: t.cpu * 1000 }); };
      const runReduced = () => { const t = timed(() => explore(sc, { maxStates: 60_000_000, symmetry: true })); last.reduced = t.value; reduced.push({ wall: t.wall * 1000, cpu: t.cpu * 1000 }); };
      if (k % 2) { runFull(); runReduced(); } else { runReduced(); runFull(); }
      const f = full.at(-1)!;
      const r = reduced.at(-1)!;
      console.log(`  ${m.name.padEnd(17)}${String(k).padEnd(7)}${pad(before, 16)} |${pad(fmt(last.full!.states), 17)}${pad(fmt(f.wall), 9)}${pad(fmt(f.cpu), 9)} |${pad(fmt(last.reduced!.states), 15)}${pad(fmt(r.wall), 8)}${pad(fmt(r.cpu), 8)} | ${(f.wall / r.wall).toFixed(0)}×`);
    }
    const a = last.full!;
    const b = last.reduced!;
    const same = a.complete && b.complete && a.depth === b.depth && OUTCOMES.every((o) => {
      const x = a.outcomes[o];
      const y = b.outcomes[o];
      return x.reachable === y.reachable && (!x.reachable || !y.reachable || x.steps === y.steps);
    });
    const shown = showSummary(outcomeSummary(b.outcomes as Record<OutcomeId, { reachable: boolean; steps?: number }>));
    console.log(`  ${''.padEnd(17)}outcomes, shortest steps: ${shown} (${same ? 'the same in both' : 'DIFFERENT'})`);
    if (!same) throw new Error(`${m.name}: the reduced search disagrees with the unreduced one`);
    const mf = median(full.map((x) => x.wall));
    const mr = median(reduced.map((x) => x.wall));
    rows.push(`| ${m.name} (${m.variant}, ${m.config.need.length} allocators) | ${fmt(a.states)} | ${fmt(mf)} | ${fmt(b.states)} | ${fmt(mr)} | ${fmt(a.states / b.states)}× | ${fmt(mf / mr)}× | ${spread(loads, 1)} |`);
  }
  console.log('\nSummary (medians of the rounds; ms = wall time of the whole answer):');
  console.log('| scenario | unreduced states | ms | reduced states | ms | fewer states | faster | load (1 min) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) console.log(r);
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
else if (argv.includes('--symmetry')) runSymmetry();
else {
  if (!argv.includes('--lessons') && FAMILY_RUN.length) runFamily();
  if (!argv.includes('--lessons')) runSymmetry();
  runLessons();
  await runBrowserWorker();
}
