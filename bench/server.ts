// Server benchmark: `npm run bench:server`.
//
// Starts the reaplab server (server/main.ts) in a child process and drives it from this
// process with socket.io clients: 30 rooms × 10 players (3 actors, a host, 6 spectators)
// stepping at human rates, then a burst at maximum rate (each room steps as soon as it
// sees a state), then 5,000 idle connections while the rooms keep playing. The same
// phases run against a bare socket.io echo server (this file with --serve-echo) that
// broadcasts a payload of the same size as reaplab's per-step broadcast (the game:step
// delta, measured by the server in the same run), as the baseline. Reaplab's room members
// that decode broadcasts do what a browser does with them: apply each delta with the engine
// through protocol/game-step.ts (GameFollower, resyncing with game:sync on a gap). Prints action→broadcast latency
// (p50/p99, at the sender and until the last room member has it), accepted actions/s,
// the servers' event-loop utilisation and RSS per idle connection, and how many times
// each game:step / game:state broadcast was serialised. Figures only: nothing here asserts on time.
// The idle phase runs in rounds (--idle-rounds, 5): both servers hold their 5,000 idle
// connections at once and play in turn, reaplab then echo, so a noisy neighbour or a
// ping wave hits both alike; each round prints its p99 beside the machine's load, the
// server's GC pauses and event-loop delay, and this process's own event-loop use (when
// that is saturated, the load generator, not the server, sets the latency).
//
// The burst is then repeated in paired rounds (--burst-rounds, 3), before any idle connection
// is open: reaplab and the echo in turn, the order swapped every round, each round printing
// both rates and p99s, their ratios, the load and how busy the load generator was; the
// summary gives the median and the worst ratio over the rounds.
//
// Options: --rooms N (30) --players N (10) --idle N (5000) --human S (20) --burst S (10) --burst-rounds N (3) --idle-play S (8) --idle-rounds N (5)
// --profile DIR (both servers write a V8 CPU profile there when stopped)
// --full-decode (every member decodes every broadcast whole; by default only each room's host
// does, the others read the version from the packet's header: bench/version-only-parser.ts)

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { PauseMeter, type Pauses } from '../server/metrics.js';
import { CPU_SAMPLE_MS } from '../server/gate.js';
import { io as ioClient, type Socket } from 'socket.io-client';
import { randomStream, type ActorChoice } from '../engine/index.js';
import type { GameStep, GameView } from '../protocol/events.js';
import { PROTOCOL_VERSION } from '../protocol/events.js';
import { GameFollower } from '../protocol/game-step.js';
import { NO_EDGE_LIMITS } from './no-limits.js';
import { versionOnlyParser } from './version-only-parser.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

// ------------------------------------------------------------------ the echo baseline

function serveEcho(payloadBytes: number): void {
  const http = createServer((req, res) => {
    if (req.url === '/metrics') {
      const e = performance.eventLoopUtilization();
      const d = performance.eventLoopUtilization(e, lastElu);
      lastElu = e;
      res.setHeader('content-type', 'application/json');
      const c = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      res.end(JSON.stringify({ elu: d.utilization, rss: process.memoryUsage().rss, connections: io.engine.clientsCount, pauses: pauses.read(), cpuSeconds: (c.user + c.system) / 1e6 }));
    } else res.end('echo');
  });
  let lastElu = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  const pauses = new PauseMeter();
  // The same heartbeat as reaplab's (server/app.ts), so both send the same pings to their idle connections.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 16 * 1024, pingInterval: 20_000, pingTimeout: 20_000 });
  const versions = new Map<string, number>();
  const blob = 'x'.repeat(Math.max(0, payloadBytes - 60));
  io.on('connection', (socket) => {
    socket.on('join', (room: string, ack: (r: unknown) => void) => {
      void socket.join(room);
      ack({ ok: true, data: { version: versions.get(room) ?? 0 } });
    });
    socket.on('act', (p: { room: string; version: number }, ack: (r: unknown) => void) => {
      const v = versions.get(p.room) ?? 0;
      if (p.version !== v) return ack({ ok: false, error: { code: 'stale_version' } });
      versions.set(p.room, v + 1);
      io.to(p.room).emit('state', { code: p.room, version: v + 1, blob });
      ack({ ok: true, data: { version: v + 1 } });
    });
  });
  http.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${(http.address() as AddressInfo).port}\n`));
  // Exit on the bench's SIGTERM (so a --cpu-prof given through NODE_OPTIONS is written).
  process.on('SIGTERM', () => process.exit(0));
}

// ------------------------------------------------------------------ helpers

/** --profile DIR: both servers run with --cpu-prof into DIR (written when the bench stops them). */
let profileDir: string | null = null;

function startChild(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\d+)$/m.exec(out);
      if (m) res({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => rej(new Error(`child exited with ${code}`)));
  });
}

interface ActHandle { count: number; p50: number; p99: number; max: number; mean: number }

async function metrics(url: string): Promise<{ elu: number; rss: number; connections: number; pauses: Pauses; cpuSeconds?: number; actHandleUs?: ActHandle | null; actCpuUs?: { p50: number; p99: number; mean: number } | null; gameStateEncodes?: number; broadcasts?: number; gameStateBytes?: number; gameStateEncodeMs?: number; gameStepEncodes?: number; gameStepBytes?: number; gameStepEncodeMs?: number; acts?: number; stepCommits?: number; stepsCommitted?: number }> {
  return (await (await fetch(`${url}/metrics`)).json()) as never;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type AnySocket = Socket;
/** --full-decode: every member decodes every broadcast whole (by default only the hosts do; see version-only-parser.ts). */
let fullDecode = false;

function connectOne(url: string, versionsOnly = false): Promise<AnySocket> {
  const s = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(versionsOnly && !fullDecode ? { parser: versionOnlyParser } : {}) });
  return new Promise((res, rej) => {
    s.once('connect', () => res(s));
    s.once('connect_error', rej);
  });
}
function call<T>(s: AnySocket, event: string, payload: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }> {
  return new Promise((res) => s.emit(event, payload, res));
}

// ------------------------------------------------------------------ the load

type Mode = 'human' | 'burst' | 'stop';

interface Stats {
  sender: number[];
  fanout: number[];
  accepted: number;
  rejected: number;
}
const newStats = (): Stats => ({ sender: [], fanout: [], accepted: 0, rejected: 0 });

/** One room of players, driven the same way against reaplab and against the echo server. */
class BenchRoom {
  members: AnySocket[] = [];
  version = 0;
  choices: ActorChoice[] = [];
  ended = false;
  code = '';
  private pending = new Map<number, { at: number; from: AnySocket; got: number }>();
  private timers: ReturnType<typeof setTimeout>[] = [];
  private owner = new Map<string, AnySocket>();

  constructor(private readonly kind: 'reaplab' | 'echo', private readonly url: string, private readonly size: number, private readonly rng: () => number) {}

  async setup(index: number): Promise<void> {
    // The host (member 0) picks the room's next step from each broadcast; the others need only its version.
    for (let i = 0; i < this.size; i++) this.members.push(await connectOne(this.url, i > 0));
    const host = this.members[0]!;
    if (this.kind === 'reaplab') {
      const r = await call<{ room: { code: string }; game: GameView }>(host, 'room:create', {
        protocol: PROTOCOL_VERSION, name: 'host', mode: 'scheduler', scenario: { variant: 'tetsuo-timeout', config: 'mlocked' },
      });
      if (!r.ok) throw new Error(`create: ${r.error?.message}`);
      this.code = r.data!.room.code;
      this.take(r.data!.game);
      // Bots play race rooms as soon as anyone is connected: switch them off before racing.
      for (const role of ['victim', 'reaper', 'allocator']) await call(host, 'bot:set', { role, kind: null });
      await call(host, 'game:mode', { mode: 'race' });
      const roles = ['victim', 'reaper', 'allocator'];
      for (let i = 1; i < this.size; i++) {
        const j = await call(this.members[i]!, 'room:join', { protocol: PROTOCOL_VERSION, code: this.code, name: `p${i}` });
        if (!j.ok) throw new Error(`join: ${j.error?.message}`);
        const role = roles[i - 1];
        if (role) {
          await call(this.members[i]!, 'role:claim', { role });
          this.owner.set(role, this.members[i]!);
        }
      }
    } else {
      this.code = `echo${index}`;
      for (const m of this.members) await call(m, 'join', this.code);
      ['victim', 'reaper', 'allocator'].forEach((r, i) => this.owner.set(r, this.members[i + 1]!));
      this.choices = ['victim', 'reaper', 'allocator'].map((r) => ({ actor: r, role: r, step: 's', label: '', enabled: true, lines: [] }) as ActorChoice);
    }
    if (this.kind === 'echo') {
      for (const m of this.members) m.on('state', (g: { version: number }) => this.received(m, g.version));
      return;
    }
    this.members.forEach((m, i) => {
      if (i > 0 && !fullDecode) {
        // Reads only the version of each broadcast (bench/version-only-parser.ts).
        m.on('game:step', (g: { version: number }) => this.received(m, g.version));
        m.on('game:state', (g: { version: number }) => this.received(m, g.version));
        return;
      }
      // A member that decodes: it follows the game as the browser does, and counts a broadcast once it holds its view.
      const f = new GameFollower({
        sync: (code) => call<GameView>(m, 'game:sync', { code }).then((r) => (r.ok ? r.data! : null)),
        changed: (g) => {
          if (i === 0) this.take(g);
          this.received(m, g.version);
        },
      });
      if (i === 0) this.follower = f;
      f.full(this.joinedView!);
      m.on('game:step', (d: GameStep) => f.step(d));
      m.on('game:state', (g: GameView) => f.full(g));
    });
  }

  /** The host's follower: its view decides the room's next step. */
  private follower: GameFollower | null = null;
  private joinedView: GameView | null = null;

  /** Resyncs the decoding members had to ask for (a gap in the deltas). */
  get syncs(): number {
    return this.follower?.syncs ?? 0;
  }

  private take(g: GameView): void {
    this.joinedView ??= g;
    this.version = g.version;
    this.choices = g.choices;
    this.ended = g.result !== null;
  }

  stats = newStats();
  mode: Mode = 'stop';

  private received(m: AnySocket, version: number): void {
    const now = performance.now();
    const p = this.pending.get(version);
    if (p) {
      if (m === p.from) this.stats.sender.push(now - p.at);
      if (++p.got === this.members.length) {
        this.stats.fanout.push(now - p.at);
        this.pending.delete(version);
      }
    }
    if (m !== this.members[0]) return;
    if (this.kind === 'echo') this.version = version;
    this.next();
  }

  /** Decide the room's next step (called on every state the host sees). */
  next(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.mode === 'stop') return;
    const host = this.members[0]!;
    if (this.ended) {
      const v = this.version;
      const restart = () => void call(host, 'game:restart', { version: v });
      if (this.mode === 'burst') restart();
      else this.timers.push(setTimeout(restart, 500));
      return;
    }
    const enabled = this.choices.filter((c) => c.enabled);
    if (enabled.length === 0) return;
    const v = this.version;
    if (this.mode === 'burst') {
      const c = enabled[Math.floor(this.rng() * enabled.length)]!;
      this.send(c, v);
      return;
    }
    // Human rate: every enabled actor's player thinks 0.4–1.6 s; the first to finish steps.
    for (const c of enabled) this.timers.push(setTimeout(() => this.send(c, v), 400 + this.rng() * 1200));
  }

  private send(c: ActorChoice, version: number): void {
    if (version !== this.version || this.mode === 'stop') return;
    const from = this.owner.get(c.role)!;
    this.pending.set(version + 1, { at: performance.now(), from, got: 0 });
    const payload = this.kind === 'reaplab' ? { actor: c.actor, step: c.step, version } : { room: this.code, version };
    from.emit(this.kind === 'reaplab' ? 'game:act' : 'act', payload, (r: { ok: boolean }) => {
      if (r.ok) this.stats.accepted++;
      else {
        this.stats.rejected++;
        this.pending.delete(version + 1);
      }
    });
  }

  close(): void {
    this.mode = 'stop';
    for (const t of this.timers) clearTimeout(t);
    for (const m of this.members) m.disconnect();
  }
}


interface PhaseResult {
  p50: number;
  p99: number;
  fanP50: number;
  fanP99: number;
  acceptedPerSec: number;
  rejected: number;
  elu: number;
  samples: number;
  /** What stalled the server's loop during the phase, and how busy this process (the load generator) was. */
  pauses: Pauses;
  benchElu: number;
  load: string;
  /** Server-side game:act handling time (reaplab only). */
  server: ActHandle | null;
  serverCpu: { p50: number; p99: number; mean: number } | null;
  /** The server's CPU seconds over the phase (all its threads). */
  serverCpuSeconds: number;
}

async function phase(rooms: BenchRoom[], url: string, mode: Mode, seconds: number): Promise<PhaseResult> {
  for (const r of rooms) r.stats = newStats();
  await metrics(url); // reset the ELU window
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  for (const r of rooms) {
    r.mode = mode;
    r.next();
  }
  await sleep(seconds * 1000);
  const m = await metrics(url);
  const benchElu = performance.eventLoopUtilization(elu0).utilization;
  for (const r of rooms) r.mode = 'stop';
  const dt = (performance.now() - t0) / 1000;
  await sleep(300);
  const sender = rooms.flatMap((r) => r.stats.sender);
  const fanout = rooms.flatMap((r) => r.stats.fanout);
  return {
    p50: percentile(sender, 50),
    p99: percentile(sender, 99),
    fanP50: percentile(fanout, 50),
    fanP99: percentile(fanout, 99),
    acceptedPerSec: rooms.reduce((s, r) => s + r.stats.accepted, 0) / dt,
    rejected: rooms.reduce((s, r) => s + r.stats.rejected, 0),
    elu: m.elu,
    pauses: m.pauses,
    benchElu,
    load,
    samples: sender.length,
    server: m.actHandleUs ?? null,
    serverCpu: m.actCpuUs ?? null,
    serverCpuSeconds: m.cpuSeconds ?? NaN,
  };
}

async function idleConnections(url: string, n: number): Promise<{ sockets: AnySocket[]; seconds: number }> {
  const sockets: AnySocket[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i += 250) {
    const batch = await Promise.all(Array.from({ length: Math.min(250, n - i) }, () => connectOne(url)));
    sockets.push(...batch);
  }
  return { sockets, seconds: (performance.now() - t0) / 1000 };
}

interface TargetResult {
  human: PhaseResult;
  burst: PhaseResult;
  /** The human-rate rounds with the idle connections open. */
  idleRounds: PhaseResult[];
  rssPerConn: number;
  idleConnected: number;
  connectSeconds: number;
  rssBase: number;
  /** game:step (the per-step delta) and game:state (the whole view, after a restart) serialisations, their mean bytes and µs. */
  encodes?: { broadcasts: number; gameStateEncodes: number; bytes: number; encodeMs: number; gameStepEncodes: number; stepBytes: number; stepEncodeMs: number };
  /** Resyncs (game:sync) the rooms' hosts asked for: a gap in the deltas. */
  syncs?: number;
  /** Steps per SQLite commit over the human-rate and burst phases (group commit). */
  stepsPerCommit?: number;
}

type Opts = { rooms: number; players: number; idle: number; human: number; burst: number; idlePlay: number; idleRounds: number; burstRounds: number };

/** A server's rooms, set up and through the human-rate and burst phases, left connected for the idle rounds. */
interface Target { kind: 'reaplab' | 'echo'; url: string; rooms: BenchRoom[]; result: TargetResult; idle: AnySocket[]; baseConnections: number }

async function playTarget(kind: 'reaplab' | 'echo', url: string, o: Opts): Promise<Target> {
  const rng = randomStream(kind === 'reaplab' ? 1 : 2);
  const rooms = Array.from({ length: o.rooms }, () => new BenchRoom(kind, url, o.players, rng));
  await Promise.all(rooms.map((r, i) => r.setup(i)));
  process.stdout.write(`  ${kind}: ${o.rooms} rooms × ${o.players} players connected; human-rate phase ${o.human} s\n`);
  const human = await phase(rooms, url, 'human', o.human);
  process.stdout.write(`  ${kind}: burst phase ${o.burst} s\n`);
  const burst = await phase(rooms, url, 'burst', o.burst);
  await sleep(500);
  const base = await metrics(url);
  const end = await metrics(url);
  return {
    kind, url, rooms, idle: [], baseConnections: base.connections,
    result: {
      human, burst, idleRounds: [], rssPerConn: NaN, idleConnected: 0, connectSeconds: NaN, rssBase: base.rss,
      ...(end.stepCommits ? { stepsPerCommit: end.stepsCommitted! / end.stepCommits } : {}),
      ...(end.gameStateEncodes !== undefined
        ? {
            encodes: {
              broadcasts: end.broadcasts!, gameStateEncodes: end.gameStateEncodes, bytes: end.gameStateBytes! / Math.max(1, end.gameStateEncodes), encodeMs: end.gameStateEncodeMs! / Math.max(1, end.gameStateEncodes),
              gameStepEncodes: end.gameStepEncodes ?? 0, stepBytes: (end.gameStepBytes ?? 0) / Math.max(1, end.gameStepEncodes ?? 0), stepEncodeMs: (end.gameStepEncodeMs ?? 0) / Math.max(1, end.gameStepEncodes ?? 0),
            },
          }
        : {}),
      ...(kind === 'reaplab' ? { syncs: rooms.reduce((n, r) => n + r.syncs, 0) } : {}),
    },
  };
}

async function openIdle(t: Target, n: number): Promise<void> {
  process.stdout.write(`  ${t.kind}: opening ${n} idle connections\n`);
  const idle = await idleConnections(t.url, n);
  await sleep(1000);
  const withIdle = await metrics(t.url);
  t.idle = idle.sockets;
  t.result.rssPerConn = (withIdle.rss - t.result.rssBase) / n;
  t.result.idleConnected = withIdle.connections - t.baseConnections;
  t.result.connectSeconds = idle.seconds;
}

function closeTarget(t: Target): void {
  for (const s of t.idle) s.disconnect();
  for (const r of t.rooms) r.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'serve-echo': { type: 'string' },
      rooms: { type: 'string', default: '30' },
      players: { type: 'string', default: '10' },
      idle: { type: 'string', default: '5000' },
      human: { type: 'string', default: '20' },
      burst: { type: 'string', default: '10' },
      'idle-play': { type: 'string', default: '8' },
      'idle-rounds': { type: 'string', default: '5' },
      'burst-rounds': { type: 'string', default: '3' },
      /** Drive an already running server (started with REAPLAB_METRICS=1) instead of starting one. */
      url: { type: 'string' },
      'skip-echo': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'full-decode': { type: 'boolean', default: false },
    },
  });
  fullDecode = values['full-decode'];
  profileDir = values.profile ? resolve(values.profile) : null;
  if (values['serve-echo'] !== undefined) return serveEcho(Number(values['serve-echo']));
  const o: Opts = {
    rooms: Number(values.rooms), players: Number(values.players), idle: Number(values.idle), human: Number(values.human),
    burst: Number(values.burst), idlePlay: Number(values['idle-play']), idleRounds: Math.max(1, Number(values['idle-rounds'])),
    burstRounds: Math.max(0, Number(values['burst-rounds'])),
  };
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-'));
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  process.stdout.write(`load average before: ${load()}\n`);
  process.stdout.write(`bench:server — ${o.rooms} rooms × ${o.players} players (${o.rooms * 3} stepping), ${o.idle} idle connections, ${o.idleRounds} idle rounds of ${o.idlePlay} s; Node ${process.version}\n`);
  const server = values.url
    ? { url: values.url, child: null }
    : await startChild(['server/main.ts'], {
        PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dir, REAPLAB_METRICS: '1', REAPLAB_BOT_DELAY_MS: '0', REAPLAB_RATE: '1000,1000', ...NO_EDGE_LIMITS,
      });
  let echoServer: { child: ChildProcess; url: string } | null = null;
  try {
    const reaplab = await playTarget('reaplab', server.url, o);
    if (values['skip-echo']) {
      const r = reaplab.result;
      process.stdout.write(`reaplab only: human p50 ${r.human.p50.toFixed(2)} p99 ${r.human.p99.toFixed(2)} ms; burst ${r.burst.acceptedPerSec.toFixed(0)} acts/s at ELU ${(r.burst.elu * 100).toFixed(1)}%, all server CPU ÷ acts ${(1e6 * r.burst.serverCpuSeconds / Math.max(1, r.burst.server?.count ?? 0)).toFixed(0)} µs, load generator ELU ${(r.burst.benchElu * 100).toFixed(0)}%\n`);
      process.stdout.write(`server time per act: ${JSON.stringify({ human: r.human.server, humanCpu: r.human.serverCpu, burst: r.burst.server, burstCpu: r.burst.serverCpu, stepsPerCommit: r.stepsPerCommit })}\n`);
      closeTarget(reaplab);
      return;
    }
    // The echo broadcasts what reaplab broadcasts per step: the game:step delta's mean size in this run.
    const payload = Math.round(reaplab.result.encodes?.stepBytes || 400);
    echoServer = await startChild(['bench/server.ts', '--serve-echo', String(payload)], {});
    const echo = await playTarget('echo', echoServer.url, o);
    const bursts = await burstRounds(reaplab, echo, o);
    // Both hold their idle connections through every round; the rounds alternate.
    await openIdle(reaplab, o.idle);
    await openIdle(echo, o.idle);
    process.stdout.write(`  human rate + ${o.idle} idle connections each, ${o.idleRounds} rounds, reaplab and echo in turn:\n`);
    process.stdout.write(`  ${'round'.padEnd(6)}${'server'.padEnd(9)}${'load (1/5/15)'.padEnd(16)}${'p50'.padStart(7)}${'p99'.padStart(8)}${'max GC'.padStart(8)}${'GCs min/maj'.padStart(13)}${'loop delay p99/max'.padStart(20)}${'server ELU'.padStart(12)}${'CPU ms/act'.padStart(13)}${'bench ELU'.padStart(11)}\n`);
    for (let k = 1; k <= o.idleRounds; k++) {
      for (const t of [reaplab, echo]) {
        const p = await phase(t.rooms, t.url, 'human', o.idlePlay);
        t.result.idleRounds.push(p);
        const z = p.pauses;
        process.stdout.write(`  ${String(k).padEnd(6)}${t.kind.padEnd(9)}${p.load.padEnd(16)}${p.p50.toFixed(2).padStart(7)}${p.p99.toFixed(2).padStart(8)}${z.gcMaxMs.toFixed(1).padStart(8)}${`${z.minorGcs}/${z.majorGcs}`.padStart(13)}${`${z.loopDelayP99.toFixed(1)}/${z.loopDelayMax.toFixed(1)}`.padStart(20)}${`${(p.elu * 100).toFixed(1)}%`.padStart(12)}${(1e3 * p.serverCpuSeconds / Math.max(1, p.acceptedPerSec * o.idlePlay)).toFixed(2).padStart(13)}${`${(p.benchElu * 100).toFixed(0)}%`.padStart(11)}${p.benchElu > 0.85 ? '  ← the load generator is saturated' : ''}\n`);
      }
    }
    closeTarget(reaplab);
    closeTarget(echo);
    report(o, reaplab.result, echo.result);
    reportBursts(bursts);
  } finally {
    server.child?.kill('SIGTERM');
    echoServer?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`total ${((performance.now() - t0) / 1000).toFixed(0)} s; ${cpus().length} CPUs, load average at the end ${load()} (other work on the machine skews every figure)\n`);
  process.exit(0);
}

interface BurstRound { round: number; first: 'reaplab' | 'echo'; reaplab: PhaseResult; echo: PhaseResult }

/** Paired burst rounds: both servers at maximum rate in turn, the order swapped every round. */
async function burstRounds(reaplab: Target, echo: Target, o: Opts): Promise<BurstRound[]> {
  if (o.burstRounds === 0) return [];
  process.stdout.write(`  paired burst rounds: ${o.burstRounds} × ${o.burst} s each, the order swapped every round\n`);
  process.stdout.write(`  ${'round'.padEnd(7)}${'first'.padEnd(9)}${'load (1/5/15)'.padEnd(16)}${'reaplab acts/s'.padStart(15)}${'p99'.padStart(8)}${'gen'.padStart(6)} |${'echo acts/s'.padStart(12)}${'p99'.padStart(8)}${'gen'.padStart(6)} |${'rate ratio'.padStart(11)}${'p99 ratio'.padStart(11)}\n`);
  const rounds: BurstRound[] = [];
  for (let k = 1; k <= o.burstRounds; k++) {
    const order = k % 2 ? [reaplab, echo] : [echo, reaplab];
    const got = new Map<string, PhaseResult>();
    for (const t of order) got.set(t.kind, await phase(t.rooms, t.url, 'burst', o.burst));
    const r: BurstRound = { round: k, first: order[0]!.kind, reaplab: got.get('reaplab')!, echo: got.get('echo')! };
    rounds.push(r);
    const busy = [r.reaplab, r.echo].some((p) => p.benchElu > 0.85);
    process.stdout.write(`  ${String(k).padEnd(7)}${r.first.padEnd(9)}${r.reaplab.load.padEnd(16)}${r.reaplab.acceptedPerSec.toFixed(0).padStart(15)}${r.reaplab.p99.toFixed(2).padStart(8)}${`${(r.reaplab.benchElu * 100).toFixed(0)}%`.padStart(6)} |${r.echo.acceptedPerSec.toFixed(0).padStart(12)}${r.echo.p99.toFixed(2).padStart(8)}${`${(r.echo.benchElu * 100).toFixed(0)}%`.padStart(6)} |${`${rateRatio(r).toFixed(2)}×`.padStart(11)}${`${p99Ratio(r).toFixed(2)}×`.padStart(11)}${busy ? '  (the load generator was over 85% busy)' : ''}\n`);
  }
  return rounds;
}

const rateRatio = (r: BurstRound) => r.reaplab.acceptedPerSec / r.echo.acceptedPerSec;
const p99Ratio = (r: BurstRound) => r.reaplab.p99 / r.echo.p99;

function reportBursts(rounds: BurstRound[]): void {
  if (!rounds.length) return;
  const rates = rounds.map(rateRatio);
  const p99s = rounds.map(p99Ratio);
  process.stdout.write(`burst over ${rounds.length} paired rounds: rate ratio (reaplab ÷ echo) median ${median(rates).toFixed(2)}×, worst ${Math.min(...rates).toFixed(2)}× (goal ≥ 0.8×); p99 ratio median ${median(p99s).toFixed(2)}×, worst ${Math.max(...p99s).toFixed(2)}× (goal ≤ 1.5×); reaplab ${rounds.map((r) => r.reaplab.acceptedPerSec.toFixed(0)).join(' / ')} acts/s, echo ${rounds.map((r) => r.echo.acceptedPerSec.toFixed(0)).join(' / ')} acts/s\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function report(o: Opts, reaplab: TargetResult, echo: TargetResult): void {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  const row = (name: string, a: PhaseResult, b: PhaseResult) =>
    `${name.padEnd(34)} ${f(a.p50).padStart(8)} ${f(a.p99).padStart(8)} ${f(a.fanP99).padStart(9)} ${a.acceptedPerSec.toFixed(0).padStart(8)} ${(a.elu * 100).toFixed(1).padStart(6)}% ${(a.benchElu * 100).toFixed(0).padStart(4)}% | ${f(b.p50).padStart(8)} ${f(b.p99).padStart(8)} ${f(b.fanP99).padStart(9)} ${b.acceptedPerSec.toFixed(0).padStart(8)} ${(b.elu * 100).toFixed(1).padStart(6)}% ${(b.benchElu * 100).toFixed(0).padStart(4)}%`;
  process.stdout.write('\n');
  process.stdout.write(`${''.padEnd(34)} ${'reaplab'.padEnd(52)} | echo baseline\n`);
  process.stdout.write(`${'phase'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'fan p99'.padStart(9)} ${'acts/s'.padStart(8)} ${'ELU'.padStart(7)} ${'gen'.padStart(5)} | ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'fan p99'.padStart(9)} ${'acts/s'.padStart(8)} ${'ELU'.padStart(7)} ${'gen'.padStart(5)}\n`);
  process.stdout.write(row(`human rate (${o.rooms * 3} stepping)`, reaplab.human, echo.human) + '\n');
  process.stdout.write(row('burst (max rate)', reaplab.burst, echo.burst) + '\n');
  reaplab.idleRounds.forEach((r, k) => process.stdout.write(row(`human rate + ${o.idle} idle, round ${k + 1}`, r, echo.idleRounds[k]!) + '\n'));
  process.stdout.write('\n');
  const ours = reaplab.idleRounds.map((r) => r.p99);
  const theirs = echo.idleRounds.map((r) => r.p99);
  const gaps = ours.map((x, k) => x - theirs[k]!);
  process.stdout.write(`human rate + ${o.idle} idle, p99 over ${ours.length} rounds: reaplab median ${f(median(ours))} ms, worst ${f(Math.max(...ours))} ms; echo median ${f(median(theirs))} ms, worst ${f(Math.max(...theirs))} ms; paired gap (reaplab − echo, same round) median ${f(median(gaps))} ms, worst ${f(Math.max(...gaps))} ms\n`);
  const srv = (name: string, p: PhaseResult) => p.server
    ? `  ${name}: ${p.server.count} acts, wall p50 ${p.server.p50.toFixed(0)} µs, p99 ${p.server.p99.toFixed(0)} µs, max ${(p.server.max / 1000).toFixed(1)} ms; CPU (at most 1 act per ${CPU_SAMPLE_MS} ms) p50 ${p.serverCpu?.p50.toFixed(0)} µs, p99 ${p.serverCpu?.p99.toFixed(0)} µs; all server CPU ÷ acts ${(1e6 * p.serverCpuSeconds / p.server.count).toFixed(0)} µs\n`
    : '';
  process.stdout.write('reaplab server time per game:act (zod, checks, engine, SQLite commit, one broadcast, ack):\n');
  process.stdout.write(srv('human rate', reaplab.human) + srv('burst', reaplab.burst) + reaplab.idleRounds.map((r, k) => srv(`human rate + idle, round ${k + 1}`, r)).join(''));
  process.stdout.write(`p99 over the echo baseline at human rate: ${f(reaplab.human.p99 - echo.human.p99)} ms (goal ≤ 5 ms); with idle connections: median ${f(median(gaps))} ms, worst ${f(Math.max(...gaps))} ms over ${gaps.length} paired rounds\n`);
  process.stdout.write(`idle connections: reaplab ${reaplab.idleConnected} held, ${(reaplab.rssPerConn / 1024).toFixed(1)} KiB RSS each (opened in ${reaplab.connectSeconds.toFixed(1)} s); echo ${echo.idleConnected} held, ${(echo.rssPerConn / 1024).toFixed(1)} KiB each\n`);
  if (reaplab.encodes) {
    const e = reaplab.encodes;
    const encodes = e.gameStepEncodes + e.gameStateEncodes;
    process.stdout.write(`serialisation: ${encodes} game encodes for ${e.broadcasts} room broadcasts (${(encodes / Math.max(1, e.broadcasts)).toFixed(3)} per broadcast of ${o.players} members): ${e.gameStepEncodes} game:step deltas of ${e.stepBytes.toFixed(0)} bytes, ${(e.stepEncodeMs * 1000).toFixed(1)} µs each (the echo broadcasts this size); ${e.gameStateEncodes} whole game:state views (restarts) of ${e.bytes.toFixed(0)} bytes, ${(e.encodeMs * 1000).toFixed(1)} µs each\n`);
  }
  if (reaplab.stepsPerCommit !== undefined) process.stdout.write(`group commit: ${reaplab.stepsPerCommit.toFixed(2)} steps per SQLite commit (human-rate and burst phases)\n`);
  const rejected = (t: TargetResult) => t.human.rejected + t.burst.rejected + t.idleRounds.reduce((n, r) => n + r.rejected, 0);
  process.stdout.write(`stale/rejected intents: reaplab ${rejected(reaplab)}, echo ${rejected(echo)}; resyncs after a gap in the deltas (game:sync by the rooms' hosts): ${reaplab.syncs ?? 0}\n`);
  const busy = [reaplab, echo].flatMap((t) => [t.human, t.burst, ...t.idleRounds]).filter((p) => p.benchElu > 0.85).length;
  if (busy) process.stdout.write(`note: this process (the load generator, all clients) had its event loop over 85% busy in ${busy} phase(s): there its own delay, not the server's, bounds the latency\n`);
  process.stdout.write(`latency: sender = act emitted → the sender receives the room's broadcast; fan = until all ${o.players} members have it. Clients share one process with the load generator; gen = that process's event-loop use in the phase. ${fullDecode ? 'Every member decoded every broadcast whole (--full-decode).' : 'Room hosts decode each broadcast whole (reaplab\'s also apply each delta with the engine, as a browser does); the other members read only its version (both servers alike; --full-decode to decode and apply all).'}\n`);
}

void main();
