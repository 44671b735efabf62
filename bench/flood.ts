// Creation flood benchmark: `npm run bench:flood`.
//
// Starts the real server (server/main.ts) in a child process twice: with its default edge
// limits, and with the limits off (every allowance a million, a 4 GiB graph cache) as the
// peer. Against each, in the same run: the health endpoint's latency while the server is
// idle, then the same latency while one address floods it for --seconds with
//  - custom-scenario room:create from two connections (a new scenario each time),
//  - notebooks created (join a new id, leave, again) from one connection,
//  - --conns connections opened at once,
//  - code guessing: GET /api/codes/<random> from 4 concurrent loops.
// Prints what was sent and how it was answered, the server's RSS before and after, this
// process's own event-loop use during the flood (flagged when saturated), and
// health latency p50/p95 idle and under the flood, per round. Figures only; nothing here
// asserts on time.
//
// Options: --seconds S (10) --conns N (150) --rounds N (2)
// The flood's own three connections open first, then the --conns ones, then the loops run.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io as ioClient, type Socket } from 'socket.io-client';
import { CONFIGS } from '../engine/configs.js';
import { VARIANTS } from '../engine/variants/index.js';
import { PROTOCOL_VERSION } from '../protocol/events.js';
import { NOTEBOOK_NAMESPACE, NOTEBOOK_PROTOCOL_VERSION } from '../protocol/notebook/events.js';
import { NO_EDGE_LIMITS } from './no-limits.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, conns: { type: 'string', default: '150' }, rounds: { type: 'string', default: '2' } } });
const SECONDS = Number(args.seconds);
const CONNS = Number(args.conns);
const ROUNDS = Number(args.rounds);

const OFF = { ...NO_EDGE_LIMITS, REAPLAB_GRAPH_CACHE_MB: '4096' };

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-flood-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.resume();
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\d+)$/m.exec(out);
      if (m) res(`http://127.0.0.1:${m[1]}`);
      if (out.length > 1e6) out = out.slice(-1000);
    });
    child.once('exit', (c) => rej(new Error(`server exited (${c})`)));
  });
  return { child, url, dir };
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

/** Health latency, one request every 50 ms, until stop() (which resolves with the samples). */
function sampleHealth(url: string): { stop(): Promise<number[]> } {
  const ms: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = performance.now();
      try {
        await (await fetch(`${url}/api/health`)).arrayBuffer();
        ms.push(performance.now() - t);
      } catch {
        ms.push(Infinity);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { async stop() { on = false; await loop; return ms; } };
}

const tally = () => new Map<string, number>();
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const show = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');

function dial(url: string, path = ''): Promise<Socket | null> {
  const s = ioClient(`${url}${path}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((res) => {
    s.once('connect', () => res(s));
    s.once('connect_error', () => { s.close(); res(null); });
  });
}

const call = (s: Socket, e: string, p: unknown) => new Promise<{ ok: boolean; error?: { code: string } }>((res) => { s.emit(e, p, res); });

const variants = Object.keys(VARIANTS);
const configs = Object.keys(CONFIGS);
/** The i-th distinct custom scenario. */
const scenario = (i: number) => ({
  variant: variants[i % variants.length], config: configs[Math.floor(i / variants.length) % configs.length],
  overrides: { maxAttempts: 1 + (Math.floor(i / 50) % 60), stallLimit: Math.floor(i / 3000) % 61 },
});

async function flood(url: string, round: number) {
  // The flooding connections first (so that the address's own limit does not keep them
  // out), then --conns more at once, then the loops run for --seconds.
  const [c1, c2, nb] = await Promise.all([dial(url), dial(url), dial(url, NOTEBOOK_NAMESPACE)]);
  const opened = await Promise.all(Array.from({ length: CONNS }, () => dial(url)));
  const conns = { sent: CONNS, accepted: opened.filter(Boolean).length };
  const until = performance.now() + SECONDS * 1000;
  const rooms = tally();
  const notebooks = tally();
  const codes = tally();
  let next = round * 100_000;
  const creator = async (s: Socket | null) => {
    if (!s) return bump(rooms, 'no connection');
    while (performance.now() < until) {
      const r = await call(s, 'room:create', { protocol: PROTOCOL_VERSION, name: 'Flood', scenario: scenario(next++) });
      bump(rooms, r.ok ? 'ok' : r.error!.code);
    }
    s.close();
  };
  const notebooker = async (s: Socket | null) => {
    if (!s) return bump(notebooks, 'no connection');
    let i = 0;
    while (performance.now() < until) {
      const id = `flood-${round}-${i++}`;
      const r = await call(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id, name: 'Flood' });
      bump(notebooks, r.ok ? 'ok' : r.error!.code);
      if (r.ok) await call(s, 'notebook:leave', { id });
    }
    s.close();
  };
  const guesser = async () => {
    const A = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    while (performance.now() < until) {
      const code = Array.from({ length: 6 }, () => A[Math.floor(Math.random() * A.length)]).join('');
      const r = await fetch(`${url}/api/codes/${code}`);
      await r.arrayBuffer();
      bump(codes, String(r.status));
    }
  };
  await Promise.all([creator(c1), creator(c2), notebooker(nb), guesser(), guesser(), guesser(), guesser()]);
  for (const s of opened) s?.close();
  return { rooms, notebooks, codes, conns };
}

async function measure(label: string, env: Record<string, string>) {
  const srv = await startServer(env);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const idle = sampleHealth(srv.url);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const idleMs = await idle.stop();
      const rssBefore = rssMb(srv.child.pid!);
      const load = loadavg()[0]!.toFixed(2);
      const busy = sampleHealth(srv.url);
      const elu0 = performance.eventLoopUtilization();
      const f = await flood(srv.url, round);
      const floodMs = await busy.stop();
      const generatorElu = performance.eventLoopUtilization(elu0).utilization;
      const rssAfter = rssMb(srv.child.pid!);
      console.log(`\n${label}, round ${round} (load ${load} on ${cpus().length} cores, ${SECONDS} s flood from one address):`);
      console.log(`  room:create (custom scenarios, 2 connections): ${[...f.rooms.values()].reduce((a, b) => a + b, 0)} sent — ${show(f.rooms)}`);
      console.log(`  notebooks created (1 connection):             ${[...f.notebooks.values()].reduce((a, b) => a + b, 0)} sent — ${show(f.notebooks)}`);
      console.log(`  connections opened at once:                   ${f.conns.sent} sent — ${f.conns.accepted} accepted, ${f.conns.sent - f.conns.accepted} refused`);
      console.log(`  GET /api/codes guesses (4 loops):             ${[...f.codes.values()].reduce((a, b) => a + b, 0)} sent — ${show(f.codes)}`);
      console.log(`  RSS ${rssBefore.toFixed(0)} MB before → ${rssAfter.toFixed(0)} MB after`);
      console.log(`  load generator (this process): event loop ${(100 * generatorElu).toFixed(0)}% busy during the flood${generatorElu > 0.85 ? ' — saturated: the flood sent what this process could, not what the server could take' : ''}`);
      console.log(`  /api/health ms: idle p50 ${pct(idleMs, 50).toFixed(1)} p95 ${pct(idleMs, 95).toFixed(1)} (n=${idleMs.length}); under the flood p50 ${pct(floodMs, 50).toFixed(1)} p95 ${pct(floodMs, 95).toFixed(1)} (n=${floodMs.length})`);
    }
  } finally {
    srv.child.kill('SIGTERM');
    await new Promise((r) => srv.child.once('exit', r));
    rmSync(srv.dir, { recursive: true, force: true });
  }
}

console.log(`bench:flood — node ${process.version}, ${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await measure('default limits', {});
await measure('limits off (peer)', OFF);
