// Notebook benchmark: `npm run bench:notebook`.
//
// Drives the real server (server/main.ts, the production entry point, in a child process)
// and, as the baseline, a bare y-protocols relay speaking the same wire
// events with no validation and no persistence (this file with --serve relay), from this
// process with the real NotebookProvider over socket.io:
//   1. 30 editors in one notebook, each typing into their own note at a human rate
//      (Poisson, 3 keystrokes/s — about 36 words a minute — 8% backspaces, a cursor update
//      with every keystroke);
//   2. 200 notebooks with 3 editors each, typing the same way.
// For each: update propagation latency (keystroke → applied at every other editor, p50 /
// p99), the server's CPU (from /proc), and for the real server the bytes stored per
// notebook against the size of its encoded snapshot, before and after compaction. Then
// the load time of a notebook holding 1,000 recorded runs (trace cells), from a cold
// server (its update log read from SQLite) and a warm one, in Node and in Chromium when
// /usr/bin/chromium exists. Figures only: nothing here asserts.
//
// Options: --seconds S (8, per typing phase) --rounds N (3, of each server, in turn) --warmup S (2) --rate R (3 keystrokes/s)
//          --big N (30 editors) --many N (200 notebooks) --traces N (1000) --no-browser
//          --profile (both servers write V8 CPU profiles into .prof/notebook-<server>-<scenario>-r<round>/)
// On a small machine the clients (all in this process) can be the bottleneck: the table
// shows this process's event-loop use ("bench loop"), and says so when it is saturated.

import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Server } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { NotebookProvider, type NotebookSocket } from '../client/notebook/provider.js';
import { initialState, legalActions, makeScenario, nextRandom, step, type Action, type Scenario } from '../engine/index.js';
import { insertCell, insertCells, readCells, setTitle, type TraceRecord } from '../protocol/notebook/doc.js';
import { NOTEBOOK_NAMESPACE } from '../protocol/notebook/events.js';
import { NO_EDGE_LIMITS } from './no-limits.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = parseArgs({
  options: {
    serve: { type: 'string' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    rate: { type: 'string', default: '3' },
    big: { type: 'string', default: '30' },
    many: { type: 'string', default: '200' },
    traces: { type: 'string', default: '1000' },
    'no-browser': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
}).values;

// ------------------------------------------------------------------ the servers

/** A bare y-protocols relay on the notebook wire events: one Y.Doc per notebook in memory, no checks, no disk. */
async function serveRelay(): Promise<void> {
  const http = createServer((_req, res) => res.end('relay'));
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 16 * 1024 });
  const docs = new Map<string, Y.Doc>();
  const docOf = (id: string) => {
    let d = docs.get(id);
    if (!d) docs.set(id, (d = new Y.Doc()));
    return d;
  };
  const nsp = io.of(NOTEBOOK_NAMESPACE);
  nsp.on('connection', (socket) => {
    socket.on('notebook:join', (p: { id: string; editor?: { clients: number[] } }, ack: (r: unknown) => void) => {
      void socket.join(p.id);
      // No ownership here: every client id a connection asks for is its own.
      ack({ ok: true, data: { meta: { id: p.id, kind: 'free', ref: null, policy: { spectators: 'read', visitors: 'player', locked: false }, createdAt: '' }, seat: 'player', canEdit: true, clients: p.editor?.clients ?? [] } });
      const e = encoding.createEncoder();
      syncProtocol.writeSyncStep1(e, docOf(p.id));
      socket.emit('notebook:sync', { id: p.id, data: encoding.toUint8Array(e) });
    });
    socket.on('notebook:sync', (p: { id: string; data: Uint8Array }, ack: (r: unknown) => void) => {
      const doc = docOf(p.id);
      const d = decoding.createDecoder(p.data);
      const type = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (type === syncProtocol.messageYjsSyncStep1) {
        const e = encoding.createEncoder();
        syncProtocol.writeSyncStep2(e, doc, payload);
        socket.emit('notebook:sync', { id: p.id, data: encoding.toUint8Array(e) });
      } else {
        Y.applyUpdate(doc, payload);
        socket.to(p.id).emit('notebook:sync', { id: p.id, data: p.data });
      }
      ack({ ok: true, data: {} });
    });
    socket.on('notebook:awareness', (p: { id: string; data: Uint8Array }, ack?: (r: unknown) => void) => {
      socket.to(p.id).emit('notebook:awareness', p);
      ack?.({ ok: true, data: {} });
    });
    socket.on('notebook:leave', (_p: unknown, ack: (r: unknown) => void) => ack({ ok: true, data: {} }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  process.once('SIGTERM', () => process.exit(0)); // an orderly exit writes the --cpu-prof profile
  process.stdout.write(`READY ${(http.address() as AddressInfo).port}\n`);
}

interface Child { child: ChildProcess; url: string; stopped: Promise<void> }

/**
 * The real server is the production entry point, server/main.ts, on a fresh data folder
 * (SQLite WAL with background checkpoints; SIGTERM compacts the loaded notebooks and
 * exits); the relay is this file with --serve relay.
 */
function startChild(mode: 'full' | 'relay', dir: string, label: string = mode): Promise<Child> {
  // One folder per server and round: tsx's loader thread writes a profile too, and a fixed file name would let it overwrite the main thread's.
  const prof = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(root, '.prof', `notebook-${label}`)}`] : [];
  const argv = [...prof, '--import', 'tsx', ...(mode === 'full' ? ['server/main.ts'] : ['bench/notebook.ts', '--serve', 'relay'])];
  const child = spawn(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dir, REAPLAB_BOT_DELAY_MS: '0', ...NO_EDGE_LIMITS },
  });
  const stopped = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolveUrl, reject) => {
    let out = '';
    let ready = false;
    child.stdout!.on('data', (d: Buffer) => {
      if (ready) return; // keep draining the server's log lines
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        ready = true;
        resolveUrl({ child, url: `http://127.0.0.1:${m[1]}`, stopped });
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before READY`)));
  });
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

// ------------------------------------------------------------------ editors

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Editor { doc: Y.Doc; provider: NotebookProvider; socket: NotebookSocket; text: Y.Text | null }

async function openEditor(url: string, id: string, name: string): Promise<Editor> {
  const socket = ioClient(`${url}${NOTEBOOK_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false, autoConnect: false }) as NotebookSocket;
  const doc = new Y.Doc();
  const provider = new NotebookProvider({ id, doc, socket, name, color: '#0072b2', ackTimeoutMs: 30_000 });
  await provider.whenSynced();
  return { doc, provider, socket, text: null };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** Median of an ascending list. */
function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface PhaseResult { p50: number; p99: number; max: number; samples: number; keystrokes: number; cpu: number; benchElu: number; benchCpu: number; raw: number[]; rounds: number[]; roundElu: number[] }

/**
 * Every editor types into its own note at `rate` keystrokes/s for `seconds`. Latency: from
 * the keystroke (the provider sends it synchronously) to its arrival at each other editor.
 */
async function typing(child: Child, groups: Editor[][], seconds: number, warmup: number, rate: number): Promise<PhaseResult> {
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let measuring = false;
  let keystrokes = 0;
  const offs: (() => void)[] = [];
  for (const group of groups) {
    for (const ed of group) {
      const onUpdate = (u: Uint8Array, origin: unknown) => {
        if (origin !== ed.provider || !measuring) return;
        const now = performance.now();
        for (const s of (Y.decodeUpdate(u).structs as { id: { client: number; clock: number } }[])) {
          const t = sent.get(`${s.id.client}:${s.id.clock}`);
          if (t !== undefined) samples.push(now - t);
        }
      };
      ed.doc.on('update', onUpdate);
      offs.push(() => ed.doc.off('update', onUpdate));
    }
  }
  let seed = 0x5eed;
  const rand = () => {
    const r = nextRandom(seed);
    seed = r.seed;
    return r.value;
  };
  let stop = false;
  const typists = groups.flat().map(async (ed, i) => {
    await sleep(rand() * 1000 / rate);
    while (!stop) {
      const t = ed.text!;
      if (t.length > 0 && rand() < 0.08) t.delete(t.length - 1, 1);
      else {
        const clock = Y.getState(ed.doc.store, ed.doc.clientID);
        sent.set(`${ed.doc.clientID}:${clock}`, performance.now());
        t.insert(t.length, 'abcdefghij klmnop qrstuv wxyz.'[(keystrokes + i) % 29]!);
        keystrokes++;
      }
      ed.provider.setCursor({ cell: 'bench', field: 'text', anchor: null, head: null });
      await sleep(-Math.log(1 - rand()) * 1000 / rate);
    }
  });
  await sleep(warmup * 1000);
  measuring = true;
  const pid = child.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const elu0 = performance.eventLoopUtilization();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const k0 = keystrokes;
  await sleep(seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuSeconds(pid) - cpu0) / wall;
  const benchElu = performance.eventLoopUtilization(elu0).utilization;
  const own = process.cpuUsage(own0);
  // The CPU this process got: far below its event-loop use means it waited for a core (a busy machine), not that it had too much to do.
  const benchCpu = (own.user + own.system) / 1e6 / wall;
  measuring = false;
  stop = true;
  await Promise.all(typists);
  await Promise.all(groups.flat().map((e) => e.provider.whenSaved()));
  for (const off of offs) off();
  samples.sort((a, b) => a - b);
  const p99 = percentile(samples, 99);
  return { p50: percentile(samples, 50), p99, max: samples[samples.length - 1] ?? NaN, samples: samples.length, keystrokes: keystrokes - k0, cpu, benchElu, benchCpu, raw: samples, rounds: [p99], roundElu: [benchElu] };
}

/** Opens `notebooks` notebooks with `editors` editors each; each editor gets a note of its own. */
async function openGroups(url: string, prefix: string, notebooks: number, editors: number): Promise<Editor[][]> {
  const groups: Editor[][] = [];
  for (let n = 0; n < notebooks; n++) {
    const id = `${prefix}-${n}`;
    const group = await Promise.all(Array.from({ length: editors }, (_, e) => openEditor(url, id, `Editor ${e + 1}`)));
    for (const ed of group) {
      insertCell(ed.doc, { kind: 'markdown', text: '' }, { by: 'bench', at: new Date().toISOString(), via: 'editor' });
    }
    // Each editor types into the last note it created.
    await Promise.all(group.map((ed) => ed.provider.whenSaved()));
    await Promise.all(group.map(async (ed) => {
      for (let i = 0; i < 200 && readCells(ed.doc).length < editors; i++) await sleep(10);
    }));
    for (const ed of group) {
      const mine = readCells(ed.doc).filter((c) => c.kind === 'markdown' && c.map._item?.id.client === ed.doc.clientID);
      const c = mine[mine.length - 1];
      if (c?.kind === 'markdown') ed.text = c.text;
    }
    groups.push(group);
  }
  return groups;
}

function closeGroups(groups: Editor[][]): void {
  for (const ed of groups.flat()) {
    ed.provider.destroy();
    ed.socket.disconnect();
  }
}

/** Bytes in each notebook's update log, and the size of its encoded snapshot. */
function storage(dbPath: string, prefix: string): { notebooks: number; stored: number; snapshot: number; worst: number; rows: number } {
  const db = new Database(dbPath, { readonly: true });
  const ids = db.prepare('SELECT id FROM notebooks WHERE id LIKE ?').pluck().all(`${prefix}-%`) as string[];
  let stored = 0;
  let snapshot = 0;
  let worst = 0;
  let rows = 0;
  for (const id of ids) {
    const data = (db.prepare('SELECT data FROM notebook_updates WHERE notebook = ? ORDER BY seq').pluck().all(id) as Buffer[]).map((b) => new Uint8Array(b));
    const doc = new Y.Doc();
    for (const u of data) Y.applyUpdate(doc, u);
    const bytes = data.reduce((n, u) => n + u.byteLength, 0);
    const snap = Y.encodeStateAsUpdate(doc).byteLength;
    stored += bytes;
    snapshot += snap;
    rows += data.length;
    worst = Math.max(worst, bytes / snap);
  }
  db.close();
  return { notebooks: ids.length, stored, snapshot, worst, rows };
}

// ------------------------------------------------------------------ 1,000 recorded runs

/** A random run of a scenario to its end (seeded), as a trace record. */
function randomRun(scenario: Scenario, seed: number, n: number): TraceRecord {
  let s = initialState(scenario);
  const actions: Action[] = [];
  let r = seed;
  while (!s.outcome && actions.length < 500) {
    const legal = legalActions(s);
    if (legal.length === 0) break;
    const next = nextRandom(r);
    r = next.seed;
    const a = legal[Math.floor(next.value * legal.length)]!;
    const st = step(s, a);
    if (!st.ok) break;
    s = st.state;
    actions.push(a);
  }
  const at = new Date(Date.UTC(2024, 0, 1, 9, 0, n)).toISOString();
  return {
    v: 1, traceId: `bench${String(n).padStart(6, '0')}`, room: 'BENCH1', classCode: null, lesson: null, run: n + 1, scenario, actions,
    by: actions.map((a) => (a.actor === 'reaper' ? 'bot:lazy' : 'Ada')), outcome: s.outcome?.id ?? 'lockup', needlessKill: s.needlessKill, verdict: 'none',
    players: { victim: ['Ada'], reaper: ['bot:lazy'], allocator: ['Ada'] }, startedAt: at, finishedAt: at,
  };
}

/** Writes a notebook with `count` trace cells, one update per run (as the server records them), into the SQLite file. */
async function seedThousand(dbPath: string, id: string, count: number): Promise<{ bytes: number; rows: number }> {
  const { SqliteStore } = await import('../server/store/sqlite.js');
  const game = new SqliteStore(dbPath);
  const store = game.notebooks;
  const doc = new Y.Doc();
  setTitle(doc, `${count} recorded runs`);
  store.create({ id, kind: 'free', ref: null, ownerHash: null, policy: { spectators: 'read', visitors: 'player', locked: false }, createdAt: Date.now() }, Y.encodeStateAsUpdate(doc));
  const scenarios = ['pgtable-heavy', 'mlocked', 'driver-close', 'hugetlb-ppc'].map((c) => makeScenario('rfc-v1', c) as Scenario);
  let bytes = 0;
  store.batch(() => {
    for (let n = 0; n < count; n++) {
      const trace = randomRun(scenarios[n % scenarios.length]!, 1000 + n, n);
      const sv = Y.encodeStateVector(doc);
      insertCells(doc, [{ spec: { kind: 'trace', trace }, created: { by: 'reaplab', at: trace.finishedAt, via: 'server' } }]);
      const u = Y.encodeStateAsUpdate(doc, sv);
      bytes += u.byteLength;
      store.append(id, n + 1, u, [trace.traceId]);
    }
  });
  game.close();
  return { bytes, rows: count + 1 };
}

async function loadTime(url: string, id: string, count: number): Promise<number> {
  const t0 = performance.now();
  const ed = await openEditor(url, id, 'Reader');
  const cells = readCells(ed.doc).length;
  const ms = performance.now() - t0;
  ed.provider.destroy();
  ed.socket.disconnect();
  if (cells !== count) throw new Error(`expected ${count} cells, loaded ${cells}`);
  return ms;
}

async function browserLoad(url: string, id: string, count: number): Promise<{ ms: number; note: string } | null> {
  if (args['no-browser'] || !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return null;
  const { launchBrowser } = await import('../test/browser/chromium.js');
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(`${url}/`);
    await page.getByText('Open a notebook').first().waitFor();
    const t0 = Date.now();
    await page.goto(`${url}/#/notebook/${id}`);
    await page.locator('nav h2').filter({ hasText: `Contents (${count})` }).waitFor({ timeout: 30_000 });
    await page.locator('rl-nb-trace').first().waitFor();
    return { ms: Date.now() - t0, note: 'navigation → all cells listed and the first drawn (the app shell cached)' };
  } finally {
    await browser.close();
  }
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const seconds = Number(args.seconds);
  const rounds = Math.max(1, Number(args.rounds));
  const warmup = Number(args.warmup);
  const rate = Number(args.rate);
  const big = Number(args.big);
  const many = Number(args.many);
  const traces = Number(args.traces);
  const started = performance.now();
  const lines: string[] = [];
  const say = (s: string) => { lines.push(s); console.log(s); };
  say(`reaplab notebook benchmark — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load()}, node ${process.version}`);
  say(`typing: ${rate} keystrokes/s per editor (Poisson, 8% backspaces, a cursor update each), ${warmup} s warm-up, ${seconds} s measured, ${rounds} rounds each, relay and reaplab in turn`);

  const results: Record<string, { relay: PhaseResult; full: PhaseResult }> = {};
  const stores: Record<string, { before: ReturnType<typeof storage>; after: ReturnType<typeof storage> }> = {};
  // Relay and reaplab take turns (`--rounds` each), so a noisy neighbour on the machine hits both alike; samples are pooled.
  const pool = (rs: PhaseResult[]): PhaseResult => {
    const raw = rs.flatMap((r) => r.raw).sort((a, b) => a - b);
    const n = rs.length;
    return {
      p50: percentile(raw, 50), p99: percentile(raw, 99), max: raw[raw.length - 1] ?? NaN, samples: raw.length, raw,
      keystrokes: rs.reduce((k, r) => k + r.keystrokes, 0), cpu: rs.reduce((c, r) => c + r.cpu, 0) / n,
      benchElu: Math.max(...rs.map((r) => r.benchElu)), benchCpu: Math.max(...rs.map((r) => r.benchCpu)), rounds: rs.map((r) => r.p99), roundElu: rs.map((r) => r.benchElu),
    };
  };
  for (const [name, notebooks, editors] of [[`${big} editors in one notebook`, 1, big], [`${many} notebooks × 3 editors`, many, 3]] as const) {
    const runs = { relay: [] as PhaseResult[], full: [] as PhaseResult[] };
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['relay', 'full'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-nb-'));
        const child = await startChild(mode, dir, `${mode}-${notebooks}x${editors}-r${round + 1}`);
        try {
          const prefix = `nb-bench-${notebooks}`;
          const groups = await openGroups(child.url, prefix, notebooks, editors);
          const before = load();
          const r = await typing(child, groups, seconds, warmup, rate);
          runs[mode].push(r);
          say(`  ${name}, round ${round + 1}, ${mode === 'relay' ? 'relay  ' : 'reaplab'}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, server CPU ${(100 * r.cpu).toFixed(0)}%, bench loop ${(100 * r.benchElu).toFixed(0)}% (CPU ${(100 * r.benchCpu).toFixed(0)}%), load ${before} → ${load()}`);
          closeGroups(groups);
          if (mode === 'full' && round === rounds - 1) {
            await sleep(200);
            const db = join(dir, 'reaplab.sqlite');
            const before = storage(db, prefix);
            child.child.kill('SIGTERM');
            await child.stopped;
            stores[name] = { before, after: storage(db, prefix) };
          }
        } finally {
          if (mode === 'relay' && child.child.exitCode === null) child.child.kill('SIGTERM');
          await Promise.race([child.stopped, sleep(5000)]);
          if (child.child.exitCode === null) child.child.kill('SIGKILL');
          await child.stopped;
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    results[name] = { relay: pool(runs.relay), full: pool(runs.full) };
  }

  say('');
  say('update propagation (keystroke → applied at every other editor), server CPU (share of one core)');
  say('| scenario | server | p50 ms | p99 ms | p99 per round | max ms | samples | keystrokes | server CPU | bench loop (CPU) |');
  say('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    for (const mode of ['relay', 'full'] as const) {
      const x = r[mode];
      say(`| ${name} | ${mode === 'relay' ? 'bare y-protocols relay' : 'reaplab (validate + SQLite + ack)'} | ${x.p50.toFixed(2)} | ${x.p99.toFixed(2)} | ${x.rounds.map((v) => v.toFixed(1)).join(' / ')} | ${x.max.toFixed(1)} | ${x.samples} | ${x.keystrokes} | ${(100 * x.cpu).toFixed(1)}% | ${(100 * x.benchElu).toFixed(0)}% (${(100 * x.benchCpu).toFixed(0)}%) |`);
    }
    say(`| ${name} | p99 over the relay (pooled; quietest rounds) | | **${(r.full.p99 - r.relay.p99).toFixed(2)}** | **${(Math.min(...r.full.rounds) - Math.min(...r.relay.rounds)).toFixed(2)}** | | | | | |`);
  }
  // The paired gap: round r of reaplab against round r of the relay (run back to back, so the
  // same neighbours), over the rounds where neither phase's load generator was saturated.
  say('');
  say('p99 gap per paired round (reaplab − relay, same round; * = the load generator was over 85% busy, so the clients set that latency)');
  for (const [name, r] of Object.entries(results)) {
    const gaps = r.full.rounds.map((p, i) => ({ gap: p - r.relay.rounds[i]!, saturated: r.full.roundElu[i]! > 0.85 || r.relay.roundElu[i]! > 0.85 }));
    const valid = gaps.filter((g) => !g.saturated).map((g) => g.gap).sort((a, b) => a - b);
    const summary = valid.length
      ? `median ${median(valid).toFixed(2)} ms, worst ${valid[valid.length - 1]!.toFixed(2)} ms over ${valid.length} unsaturated round(s) (goal: within 5 ms)`
      : 'no round without a saturated load generator: no valid comparison';
    say(`  ${name}: ${gaps.map((g) => `${g.gap.toFixed(1)}${g.saturated ? '*' : ''}`).join(' / ')} ms — ${summary}`);
  }
  const saturated = Object.values(results).some((r) => r.relay.benchElu > 0.85 || r.full.benchElu > 0.85);
  if (saturated) say('note: the benchmark\'s own event loop was over 85% busy in a phase — there the clients (this load generator), not the server, set the latency; compare relay and reaplab with care. Its CPU share far below its loop use means it waited for a core: the machine was busy.');
  say(`load at the end: ${load()}`);
  say('');
  say('storage (the real server): bytes in the update log per notebook vs its encoded snapshot (Y.encodeStateAsUpdate)');
  say('| scenario | notebooks | log rows | stored bytes / notebook | snapshot bytes / notebook | stored ÷ snapshot (all) | worst notebook |');
  say('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, s] of Object.entries(stores)) {
    for (const [when, x] of [['before compaction', s.before], ['after compaction', s.after]] as const) {
      say(`| ${name}, ${when} | ${x.notebooks} | ${x.rows} | ${Math.round(x.stored / x.notebooks)} | ${Math.round(x.snapshot / x.notebooks)} | ${(x.stored / x.snapshot).toFixed(2)}× | ${x.worst.toFixed(2)}× |`);
    }
  }

  // A notebook with 1,000 recorded runs (the browser measure needs the built client).
  if (!args['no-browser'] && existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    const { ensureClientBuilt } = await import('../test/browser/chromium.js');
    await ensureClientBuilt();
  }
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-nb-'));
  const id = 'nb-thousand-runs';
  const seeded = await seedThousand(join(dir, 'reaplab.sqlite'), id, traces);
  const child = await startChild('full', dir);
  try {
    const cold = await loadTime(child.url, id, traces);
    const warm = await loadTime(child.url, id, traces);
    const browser = await browserLoad(child.url, id, traces).catch((e: unknown) => ({ ms: NaN, note: `failed: ${String(e).split('\n')[0]}` }));
    say('');
    say(`load: a notebook with ${traces} trace cells (${(seeded.bytes / 1024).toFixed(0)} KiB of updates in ${seeded.rows} log rows, uncompacted)`);
    say('| where | load time |');
    say('|---|---:|');
    say(`| Node client, cold server (log read from SQLite and applied) | ${cold.toFixed(0)} ms |`);
    say(`| Node client, warm server | ${warm.toFixed(0)} ms |`);
    if (browser) say(`| Chromium, ${browser.note} | ${Number.isNaN(browser.ms) ? '—' : `${browser.ms} ms`} |`);
  } finally {
    child.child.kill('SIGTERM');
    await child.stopped;
    rmSync(dir, { recursive: true, force: true });
  }
  say('');
  say(`benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (args.serve === 'relay') void serveRelay();
else {
  main().then(() => process.exit(0), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
