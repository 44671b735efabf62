// Runs the Promela model of bench/spin/promela.ts through SPIN: `spin -a`, gcc, pan.
//
//   spinOutcomes(variant, config)   reachable outcomes and shortest trace lengths (BFS)
//   spinTrace(variant, config, o)   one shortest trace to an outcome, replayed with `spin -t`
//   spinBenchmark(variant, config)  a full exhaustive DFS run with pan's statistics
//
// Each function has an async twin (…Async) that runs several pans at once (the cross-check
// test uses those). Compiled pan binaries are cached per model text and compiler flags under
// bench/spin/out/cache/ (gitignored), so a second run only runs pan.
//
// Counting steps. Every reference step is exactly one transition of the model (see promela.ts),
// and pan's breadth-first search (-DBFS) stores each state with its shortest depth. pan reports
// an assertion "at depth d" where d is the depth of the state the asserting transition leaves,
// so an outcome produced by a step is reached in d + 1 steps. A lockup is reported by the
// monitor from the stuck state itself, so it takes d steps. `spinTrace` replays the trail with
// `spin -t -p` and counts actor transitions; `--verify` on the CLI checks both counts agree.
//
// CLI:
//   npx tsx bench/spin/run-spin.ts --variant v4.19 --config mlocked [--json] [--trace <outcome>]
//   npx tsx bench/spin/run-spin.ts --all [--verify] [--write-expected] [--json] [--optimize -O0]
//   npx tsx bench/spin/run-spin.ts --bench --variant v4.19 --config mlocked \
//       [--allocators k --bystanders k --vmas n --max-attempts n --stall-limit n --deadline n] [--hash-bits n]
//   npx tsx bench/spin/run-spin.ts --family [--variant v] [--config c]   (the scaled benchmark family)

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CONFIGS, scaledConfig } from '../../engine/configs.js';
import type { Config, OutcomeId, VariantId } from '../../engine/types.js';
import { CONFIG_IDS, OUTCOMES, VARIANT_IDS } from '../../engine/types.js';
import { buildPromela, OOPS_DETAILS, OUTCOME_CODES, outcomeOfCode, type OutcomeCodeName, type PromelaBuild, type StepInfo } from './promela.js';

// ---------------------------------------------------------------------------------------------
// Types

export interface SpinOutcome {
  reachable: boolean;
  /** Length of a shortest trace, in actor steps (REFERENCE's step counting). */
  steps?: number;
  /** For oops: which check fired on a shortest trace. */
  detail?: string;
}

export interface SpinOutcomes {
  outcomes: Record<OutcomeId, SpinOutcome>;
  /** States stored by pan (the same number as a plain exhaustive run of the benchmark model). */
  states: number;
  /** Transitions between states (pan's count less the initial state and the monitor's loops). */
  transitions: number;
  /** Distinct states where nobody can move and the run is not over. */
  lockupStates: number;
  stateVectorBytes: number;
  /** pan's "depth reached" (the BFS depth). */
  depth: number;
  /** The gcc flags pan was compiled with. */
  cflags: string;
}

export interface SpinBenchmark {
  variant: VariantId;
  config: string;
  states: number;
  transitions: number;
  /** pan's own elapsed time for the search (excludes spin -a and gcc). */
  seconds: number;
  /** Wall-clock time of the pan process (includes start-up and the hash-table memset). */
  wallSeconds: number;
  statesPerSecond: number;
  /** CPU time of pan (user + system), when GNU time is available. */
  cpuSeconds?: number;
  statesPerCpuSecond?: number;
  /** Peak resident set of pan in MB, when GNU time is available. */
  maxRssMb?: number;
  /** pan's "actual memory usage for states" divided by stored states. */
  bytesPerState: number;
  stateVectorBytes: number;
  /** pan's "total actual memory usage" (includes the hash table and the DFS stack). */
  memoryMb: number;
  /** pan's "actual memory usage for states". */
  stateMemoryMb: number;
  hashTableMb: number;
  hashBits: number;
  depth: number;
  compileSeconds: number;
  /** The gcc flags pan was compiled with. */
  cflags: string;
}

export interface TraceStep extends StepInfo {
  /** pan's process id of the actor. */
  pid: number;
}

export interface SpinTrace {
  outcome: OutcomeId;
  steps: TraceStep[];
  /** Steps by the BFS depth pan reported (must equal steps.length). */
  depthSteps: number;
  detail?: string;
}

export interface RunOptions {
  /** gcc optimisation flag; default -O2. */
  optimize?: string;
  /** pan -w (log2 of hash-table slots). */
  hashBits?: number;
  /** pan -m (maximum search depth). */
  maxDepth?: number;
  /** Where compiled pans are cached; default bench/spin/out/cache. */
  cacheDir?: string;
}

// ---------------------------------------------------------------------------------------------
// Process plumbing: the pipelines below are generators that yield commands, so the same code
// runs synchronously (spawnSync) or asynchronously (spawn, with a concurrency limit).

interface Cmd {
  file: string;
  args: string[];
  cwd: string;
}
interface CmdResult {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}
type Pipeline<T> = Generator<Cmd, T, CmdResult>;

const MAX_BUFFER = 1 << 30;

function execSync(cmd: Cmd): CmdResult {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd.file, cmd.args, { cwd: cmd.cwd, encoding: 'utf8', maxBuffer: MAX_BUFFER });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

let running = 0;
const waiting: (() => void)[] = [];
const concurrency = (): number => Math.max(1, Number(process.env.SPIN_JOBS) || cpus().length);

async function execAsync(cmd: Cmd): Promise<CmdResult> {
  if (running >= concurrency()) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise<CmdResult>((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const child = spawn(cmd.file, cmd.args, { cwd: cmd.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (status) =>
        resolve({
          status,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        }),
      );
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function driveSync<T>(p: Pipeline<T>): T {
  let r = p.next();
  while (!r.done) r = p.next(execSync(r.value));
  return r.value;
}

async function driveAsync<T>(p: Pipeline<T>): Promise<T> {
  let r = p.next();
  while (!r.done) r = p.next(await execAsync(r.value));
  return r.value;
}

function check(r: CmdResult, what: string): CmdResult {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Building pan

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CACHE = join(HERE, 'out', 'cache');
const BASE_CFLAGS = ['-DNOREDUCE', '-DSAFETY'];

interface Built {
  dir: string;
  pan: string;
  compileSeconds: number;
  /** The gcc flags pan was compiled with. */
  cflags: string;
}

/** spin -a + gcc, cached by model text and flags. */
function* buildPan(model: string, cflags: string[], opts: RunOptions): Pipeline<Built> {
  const flags = [opts.optimize ?? '-O2', ...BASE_CFLAGS, ...cflags];
  const key = createHash('sha256').update(model).update('\0').update(flags.join(' ')).update('\0spin -a -o2').digest('hex').slice(0, 24);
  const cache = opts.cacheDir ?? DEFAULT_CACHE;
  const dir = join(cache, key);
  const pan = join(dir, 'pan');
  if (existsSync(pan)) return { dir, pan, compileSeconds: 0, cflags: flags.join(' ') };
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `${key}.tmp-`));
  try {
    writeFileSync(join(tmp, 'model.pml'), model);
    // -o2: keep write-only variables (e.g. UNSTABLE where nothing reads it) in the state vector,
    // so pan stores exactly the reference state and its state count can be compared with the engine's.
    const a = check(yield { file: 'spin', args: ['-a', '-o2', 'model.pml'], cwd: tmp }, 'spin -a');
    const c = check(yield { file: 'gcc', args: [...flags, '-o', 'pan', 'pan.c'], cwd: tmp }, 'gcc pan.c');
    for (const f of ['pan.c', 'pan.h', 'pan.b', 'pan.m', 'pan.p', 'pan.t']) rmSync(join(tmp, f), { force: true });
    writeFileSync(join(tmp, 'flags.txt'), flags.join(' ') + '\n');
    try {
      renameSync(tmp, dir);
    } catch {
      // another process built the same model first
      rmSync(tmp, { recursive: true, force: true });
    }
    return { dir, pan, compileSeconds: a.seconds + c.seconds, cflags: flags.join(' ') };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing pan's output

export interface PanStats {
  stateVectorBytes: number;
  depth: number;
  errors: number;
  states: number;
  matched: number;
  transitions: number;
  stateMemoryMb: number;
  hashTableMb: number;
  totalMemoryMb: number;
  elapsed: number;
  /** First (= shallowest, in BFS) report of each assertion code: code → depth. */
  firstAssert: Map<number, number>;
  /** How many times each assertion code failed (with -c0: once per state that fires it). */
  assertCounts: Map<number, number>;
  invalidEndStates: number;
  truncated: boolean;
}

export function parsePan(out: string): PanStats {
  const num = (re: RegExp, what: string): number => {
    const m = re.exec(out);
    if (!m) throw new Error(`pan output has no ${what}:\n${out.slice(-3000)}`);
    return Number(m[1]);
  };
  const header = /State-vector (\d+) byte, depth reached (\d+), errors: (\d+)/.exec(out);
  if (!header) throw new Error(`cannot parse pan output:\n${out.slice(-3000)}`);
  const errors = Number(header[3]);
  const firstAssert = new Map<number, number>();
  const assertCounts = new Map<number, number>();
  let invalidEndStates = 0;
  // pan numbers every error but prints one only when its text differs from the previous one:
  // the first error of each kind is always printed (in BFS order, at the smallest depth), and
  // the unprinted ones between two printed errors repeat the earlier one.
  const printed = [...out.matchAll(/^pan:(\d+): (.*) \(at depth (\d+)\)$/gm)];
  printed.forEach((m, i) => {
    const n = Number(m[1]);
    const text = m[2]!;
    const depth = Number(m[3]);
    const next = i + 1 < printed.length ? Number(printed[i + 1]![1]) : errors + 1;
    const a = /^assertion violated \((\d+)==0\)$/.exec(text);
    if (a) {
      const code = Number(a[1]);
      const prev = firstAssert.get(code);
      if (prev === undefined || depth < prev) firstAssert.set(code, depth);
      assertCounts.set(code, (assertCounts.get(code) ?? 0) + (next - n));
    } else if (text.startsWith('invalid end state')) invalidEndStates += next - n;
    else throw new Error(`unexpected pan error: ${text}`);
  });
  return {
    stateVectorBytes: Number(header[1]),
    depth: Number(header[2]),
    errors,
    states: num(/^\s*([\d.e+]+) states, stored/m, 'stored states'),
    matched: num(/^\s*([\d.e+]+) states, matched/m, 'matched states'),
    transitions: num(/^\s*([\d.e+]+) transitions/m, 'transitions'),
    stateMemoryMb: num(/^\s*([\d.]+)\s+actual memory usage for states/m, 'state memory'),
    hashTableMb: num(/^\s*([\d.]+)\s+memory used for hash table/m, 'hash-table memory'),
    totalMemoryMb: num(/^\s*([\d.]+)\s+total actual memory usage/m, 'total memory'),
    elapsed: num(/^pan: elapsed time ([\d.e+-]+) seconds/m, 'elapsed time'),
    firstAssert,
    assertCounts,
    invalidEndStates,
    truncated: /max search depth too small/.test(out),
  };
}

// ---------------------------------------------------------------------------------------------
// Outcomes

const emptyOutcomes = (): Record<OutcomeId, SpinOutcome> =>
  Object.fromEntries(OUTCOMES.map((o) => [o, { reachable: false }])) as Record<OutcomeId, SpinOutcome>;

function stepsFor(outcome: OutcomeId, depth: number): number {
  // An asserting step leaves a state at `depth`; the lockup monitor fires in the stuck state.
  return outcome === 'lockup' ? depth : depth + 1;
}

function* outcomesPipeline(variant: VariantId, config: Config, opts: RunOptions): Pipeline<SpinOutcomes> {
  const model = buildPromela(variant, config, { property: 'all' });
  const built = yield* buildPan(model.text, ['-DBFS'], opts);
  const run = check(
    yield {
      file: built.pan,
      args: ['-c0', '-n', `-m${opts.maxDepth ?? 1_000_000}`, `-w${opts.hashBits ?? 20}`],
      cwd: built.dir,
    },
    `pan (${variant}/${config.id})`,
  );
  const s = parsePan(run.stdout);
  if (s.truncated) throw new Error(`pan: search depth too small for ${variant}/${config.id}`);
  if (s.invalidEndStates > 0) throw new Error(`model bug: pan found an invalid end state in ${variant}/${config.id}`);
  const outcomes = emptyOutcomes();
  for (const [code, depth] of s.firstAssert) {
    const o = outcomeOfCode(code);
    if (!o) throw new Error(`unknown assertion code ${code}`);
    const steps = stepsFor(o.outcome, depth);
    const prev = outcomes[o.outcome];
    if (!prev.reachable || (prev.steps ?? Infinity) > steps) {
      outcomes[o.outcome] = { reachable: true, steps, ...(o.outcome === 'oops' ? { detail: OOPS_DETAILS[o.name as OutcomeCodeName] } : {}) };
    }
  }
  // pan's "transitions" counts the initial state too, and the lockup monitor adds one self-loop
  // in each lockup state (it fires once per such state); neither is a step of the model.
  const lockupStates = s.assertCounts.get(OUTCOME_CODES.lockup) ?? 0;
  return {
    outcomes,
    states: s.states,
    transitions: s.transitions - 1 - lockupStates,
    lockupStates,
    stateVectorBytes: s.stateVectorBytes,
    depth: s.depth,
    cflags: built.cflags,
  };
}

export function spinOutcomes(variant: VariantId, config: Config, opts: RunOptions = {}): SpinOutcomes {
  return driveSync(outcomesPipeline(variant, config, opts));
}

export function spinOutcomesAsync(variant: VariantId, config: Config, opts: RunOptions = {}): Promise<SpinOutcomes> {
  return driveAsync(outcomesPipeline(variant, config, opts));
}

// ---------------------------------------------------------------------------------------------
// Shortest trace to one outcome, replayed with spin -t

/** Parses `spin -t -p` output into the actor steps it took. */
export function parseReplay(out: string, build: PromelaBuild): TraceStep[] {
  const steps: TraceStep[] = [];
  let lastDepth = -1;
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\d+):\s+proc\s+(\d+) \((\w+):\d+\) model\.pml:(\d+) \(state \d+\)(?:\s+<valid end state>)?\s+\[/.exec(lines[i]!);
    if (!m) continue;
    if (/transition failed/.test(lines[i + 1] ?? '')) continue;
    const depth = Number(m[1]);
    if (depth === lastDepth) continue; // further statements of the same d_step
    lastDepth = depth;
    const proc = m[3]!;
    if (proc === 'lockup_mon') continue;
    const info = build.lineSteps.get(Number(m[4]));
    if (!info) throw new Error(`replay: line ${m[4]} is not a step (${lines[i]})`);
    steps.push({ ...info, pid: Number(m[2]) });
  }
  return steps;
}

function* tracePipeline(variant: VariantId, config: Config, outcome: OutcomeId, opts: RunOptions): Pipeline<SpinTrace | null> {
  const model = buildPromela(variant, config, { property: outcome });
  const built = yield* buildPan(model.text, ['-DBFS'], opts);
  const work = mkdtempSync(join(tmpdir(), 'reaplab-spin-'));
  try {
    const run = yield { file: built.pan, args: ['-n', `-m${opts.maxDepth ?? 1_000_000}`, `-w${opts.hashBits ?? 20}`], cwd: work };
    const s = parsePan(run.stdout);
    if (s.firstAssert.size === 0) return null;
    const [code, depth] = [...s.firstAssert][0]!;
    const o = outcomeOfCode(code);
    if (!o) throw new Error(`unknown assertion code ${code}`);
    writeFileSync(join(work, 'model.pml'), model.text);
    const replay = check(yield { file: 'spin', args: ['-t', '-p', 'model.pml'], cwd: work }, 'spin -t');
    const steps = parseReplay(replay.stdout, model);
    return { outcome: o.outcome, steps, depthSteps: stepsFor(o.outcome, depth), ...(o.outcome === 'oops' ? { detail: OOPS_DETAILS[o.name] } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function spinTrace(variant: VariantId, config: Config, outcome: OutcomeId, opts: RunOptions = {}): SpinTrace | null {
  return driveSync(tracePipeline(variant, config, outcome, opts));
}

export function spinTraceAsync(variant: VariantId, config: Config, outcome: OutcomeId, opts: RunOptions = {}): Promise<SpinTrace | null> {
  return driveAsync(tracePipeline(variant, config, outcome, opts));
}

// ---------------------------------------------------------------------------------------------
// Benchmark: a plain exhaustive DFS of the model without assertions or monitor.

function* benchPipeline(variant: VariantId, config: Config, opts: RunOptions): Pipeline<SpinBenchmark> {
  const model = buildPromela(variant, config);
  const built = yield* buildPan(model.text, [], opts);
  const hashBits = opts.hashBits ?? 24;
  // -E: do not report invalid end states; -A: no assertion checks; -c0: never stop at errors.
  const panArgs = ['-E', '-A', '-c0', '-n', `-m${opts.maxDepth ?? 100_000}`, `-w${hashBits}`];
  // GNU time, when present, adds CPU time and peak RSS (pan's clock is wall time, which a busy
  // machine inflates).
  const gnuTime = existsSync('/usr/bin/time');
  const run = check(
    gnuTime
      ? yield { file: '/usr/bin/time', args: ['-f', 'GNUTIME %e %U %S %M', built.pan, ...panArgs], cwd: built.dir }
      : yield { file: built.pan, args: panArgs, cwd: built.dir },
    `pan (${variant}/${config.id})`,
  );
  const s = parsePan(run.stdout);
  const t = /GNUTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr);
  const cpuSeconds = t ? Number(t[2]) + Number(t[3]) : undefined;
  const maxRssMb = t ? Number(t[4]) / 1024 : undefined;
  if (s.truncated) throw new Error(`pan: search depth too small for ${variant}/${config.id}; raise maxDepth`);
  const seconds = s.elapsed > 0 ? s.elapsed : run.seconds;
  return {
    variant,
    config: config.id,
    states: s.states,
    transitions: s.transitions - 1, // pan counts the initial state as a transition
    seconds,
    wallSeconds: run.seconds,
    statesPerSecond: s.states / seconds,
    ...(cpuSeconds !== undefined ? { cpuSeconds, statesPerCpuSecond: s.states / Math.max(cpuSeconds, 1e-3) } : {}),
    ...(maxRssMb !== undefined ? { maxRssMb } : {}),
    bytesPerState: (s.stateMemoryMb * 1024 * 1024) / s.states,
    stateVectorBytes: s.stateVectorBytes,
    memoryMb: s.totalMemoryMb,
    stateMemoryMb: s.stateMemoryMb,
    hashTableMb: s.hashTableMb,
    hashBits,
    depth: s.depth,
    compileSeconds: built.compileSeconds,
    cflags: built.cflags,
  };
}

export function spinBenchmark(variant: VariantId, config: Config, opts: RunOptions = {}): SpinBenchmark {
  return driveSync(benchPipeline(variant, config, opts));
}

export function spinBenchmarkAsync(variant: VariantId, config: Config, opts: RunOptions = {}): Promise<SpinBenchmark> {
  return driveAsync(benchPipeline(variant, config, opts));
}

// ---------------------------------------------------------------------------------------------
// All 50 reference scenarios

export type ExpectedOutcomes = Record<string, Record<OutcomeId, SpinOutcome>>;

export async function referenceOutcomes(opts: RunOptions = {}): Promise<Map<string, SpinOutcomes>> {
  const jobs: Promise<[string, SpinOutcomes]>[] = [];
  for (const v of VARIANT_IDS) {
    for (const c of CONFIG_IDS) {
      jobs.push(spinOutcomesAsync(v, CONFIGS[c], opts).then((r) => [`${v}/${c}`, r]));
    }
  }
  return new Map(await Promise.all(jobs));
}

/**
 * The scaled benchmark family (REFERENCE §6): v4.19 on `mlocked` with 3 bystanders and 4 VMAs,
 * growing by allocators (about x4 each) and, for the 10M point, by max_attempts. Roughly 1M, 5M,
 * 10M and 20M states; `hashBits` keeps pan's hash table at or above 2x the states.
 */
export const BENCH_FAMILY: { name: string; variant: VariantId; config: () => Config; hashBits: number }[] = [
  { name: '1M', variant: 'v4.19', config: () => familyConfig(5, 6), hashBits: 22 },
  { name: '5M', variant: 'v4.19', config: () => familyConfig(6, 6), hashBits: 24 },
  { name: '10M', variant: 'v4.19', config: () => familyConfig(6, 12), hashBits: 25 },
  { name: '20M', variant: 'v4.19', config: () => familyConfig(7, 6), hashBits: 26 },
];

export function familyConfig(allocators: number, maxAttempts: number): Config {
  const c = scaledConfig(CONFIGS['mlocked'], { allocators, bystanders: 3, vmas: 4, maxAttempts });
  return { ...c, id: `${c.id}m${maxAttempts}` };
}

// ---------------------------------------------------------------------------------------------
// CLI

function fmtOutcome(o: SpinOutcome): string {
  return o.reachable ? String(o.steps) : '-';
}

function parseArgs(argv: string[]): Map<string, string | true> {
  const m = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      m.set(a.slice(2), next);
      i++;
    } else m.set(a.slice(2), true);
  }
  return m;
}

function configFromArgs(args: Map<string, string | true>): Config {
  const id = String(args.get('config') ?? 'mlocked');
  if (!(CONFIG_IDS as readonly string[]).includes(id)) throw new Error(`unknown config ${id} (${CONFIG_IDS.join(', ')})`);
  const base = CONFIGS[id as keyof typeof CONFIGS];
  const n = (k: string): number | undefined => (args.has(k) ? Number(args.get(k)) : undefined);
  const scale = {
    allocators: n('allocators'),
    bystanders: n('bystanders'),
    vmas: n('vmas'),
    maxAttempts: n('max-attempts'),
    stallLimit: n('stall-limit'),
    deadline: n('deadline'),
  };
  if (Object.values(scale).every((v) => v === undefined)) return base;
  return scaledConfig(base, Object.fromEntries(Object.entries(scale).filter(([, v]) => v !== undefined)));
}

function variantFromArgs(args: Map<string, string | true>): VariantId {
  const v = String(args.get('variant') ?? 'v4.19');
  if (!(VARIANT_IDS as readonly string[]).includes(v)) throw new Error(`unknown variant ${v} (${VARIANT_IDS.join(', ')})`);
  return v as VariantId;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const json = args.has('json');
  const opts: RunOptions = {};
  if (args.has('hash-bits')) opts.hashBits = Number(args.get('hash-bits'));
  if (args.has('max-depth')) opts.maxDepth = Number(args.get('max-depth'));
  if (args.has('optimize')) opts.optimize = String(args.get('optimize'));

  if (args.has('all')) {
    const t0 = Date.now();
    const all = await referenceOutcomes(opts);
    const expected: ExpectedOutcomes = {};
    for (const [k, r] of all) expected[k] = r.outcomes;
    if (args.has('verify')) {
      const problems: string[] = [];
      const jobs: Promise<void>[] = [];
      for (const [k, r] of all) {
        const [variant, cid] = k.split('/') as [VariantId, keyof typeof CONFIGS];
        for (const o of OUTCOMES) {
          if (!r.outcomes[o].reachable) continue;
          jobs.push(
            spinTraceAsync(variant, CONFIGS[cid], o, opts).then((t) => {
              if (!t) problems.push(`${k} ${o}: no trail`);
              else if (t.steps.length !== t.depthSteps || t.steps.length !== r.outcomes[o].steps)
                problems.push(`${k} ${o}: replay ${t.steps.length} steps, depth says ${t.depthSteps}, all-outcomes run says ${r.outcomes[o].steps}`);
            }),
          );
        }
      }
      await Promise.all(jobs);
      console.error(problems.length ? `verify: ${problems.length} problems\n${problems.join('\n')}` : `verify: all ${jobs.length} replayed trails match the BFS step counts`);
      if (problems.length) process.exitCode = 1;
    }
    if (args.has('write-expected')) {
      const file = join(HERE, 'expected-outcomes.json');
      writeFileSync(file, JSON.stringify(expected, null, 2) + '\n');
      console.error(`wrote ${file}`);
    }
    if (json) {
      console.log(JSON.stringify(Object.fromEntries([...all].map(([k, r]) => [k, { ...r.outcomes, states: r.states }])), null, 2));
    } else {
      console.log(`${'scenario'.padEnd(36)} ${OUTCOMES.map((o) => o.padStart(13)).join(' ')} ${'states'.padStart(7)}`);
      for (const [k, r] of all) console.log(`${k.padEnd(36)} ${OUTCOMES.map((o) => fmtOutcome(r.outcomes[o]).padStart(13)).join(' ')} ${String(r.states).padStart(7)}`);
      console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s; a number is the length of a shortest trace, - is unreachable)`);
    }
    return;
  }

  if (args.has('family')) {
    const rows: SpinBenchmark[] = [];
    for (const f of BENCH_FAMILY) {
      const r = await spinBenchmarkAsync(f.variant, f.config(), { ...opts, hashBits: opts.hashBits ?? f.hashBits });
      rows.push(r);
      if (!json) console.log(benchLine(r));
    }
    if (json) console.log(JSON.stringify(rows, null, 2));
    return;
  }

  const variant = variantFromArgs(args);
  const config = configFromArgs(args);
  if (args.has('bench')) {
    const r = await spinBenchmarkAsync(variant, config, opts);
    console.log(json ? JSON.stringify(r, null, 2) : benchLine(r));
    return;
  }
  if (args.has('trace')) {
    const o = String(args.get('trace')) as OutcomeId;
    if (!(OUTCOMES as readonly string[]).includes(o)) throw new Error(`unknown outcome ${o}`);
    const t = await spinTraceAsync(variant, config, o, opts);
    if (json) console.log(JSON.stringify(t, null, 2));
    else if (!t) console.log(`${o}: unreachable in ${variant}/${config.id}`);
    else {
      console.log(`${o} in ${variant}/${config.id}: ${t.steps.length} steps${t.detail ? ` (${t.detail})` : ''}`);
      t.steps.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${s.actor.padEnd(11)} ${s.step}`));
    }
    return;
  }
  const r = await spinOutcomesAsync(variant, config, opts);
  if (json) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`${variant} / ${config.id}: ${r.states} states, ${r.transitions} transitions, state vector ${r.stateVectorBytes} bytes`);
    for (const o of OUTCOMES) {
      const x = r.outcomes[o];
      console.log(`  ${o.padEnd(14)} ${x.reachable ? `reachable, shortest trace ${x.steps} steps${x.detail ? ` (${x.detail})` : ''}` : 'unreachable'}`);
    }
  }
}

function benchLine(r: SpinBenchmark): string {
  return (
    `${r.variant}/${r.config}: ${r.states} states, ${r.transitions} transitions in ${r.seconds.toFixed(2)} s ` +
    `(${Math.round(r.statesPerSecond)} states/s${r.cpuSeconds !== undefined ? `; ${r.cpuSeconds.toFixed(2)} s CPU, ${Math.round(r.statesPerCpuSecond!)} states/CPU-s` : ''}), vector ${r.stateVectorBytes} B, ${r.bytesPerState.toFixed(1)} B/state, ` +
    `${r.memoryMb.toFixed(1)} MB total (hash table ${r.hashTableMb.toFixed(0)} MB, -w${r.hashBits}), depth ${r.depth}`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
