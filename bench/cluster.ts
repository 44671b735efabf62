// Cluster benchmark: `npm run bench:cluster`.
//
// 1. Latency: 30 rooms × 10 players (3 stepping at human rate, a host, 6 watching) whose
//    members are spread over the nodes, against the echo peer (bench/cluster/echo-node.ts:
//    bare socket.io on the same Redis Streams adapter) on 1 and 3 nodes, reaplab as one
//    SQLite process, and reaplab in cluster mode on 1 and 3 nodes. Rounds alternate the
//    sites. Action → broadcast p50/p99: at the sender, at members on the sender's node, at
//    members on another node, and until the whole room has it.
// 2. Idle capacity: 5,000 idle connections per node (held by child processes), RSS per
//    connection on 1 node and on each of 3.
// 3. Failover (cluster mode): SIGKILL a node that owns busy rooms, many times at seeded
//    random moments; from the kill until every client of its rooms is joined again and holds
//    a state of a step accepted after the kill; acknowledged steps lost (bench/cluster/failover.ts).
//
// Prints the machine's load and the load generator's own event-loop use and delay with every
// round, and says when the generator (or the machine) rather than the site is the bottleneck.
// Figures only: nothing here asserts on time.
//
// The echo peer broadcasts a payload of the size of reaplab's game:step delta, measured at the start of the
// run on a probe room of the single process (its /metrics).
//
// Options: --rooms 30 --players 10 --rounds 2 --seconds 15 --idle 5000 --kills 20 --seed N
//          --lease-ms 2000 --skip latency,idle,failover

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runFailover } from './cluster/failover.js';
import { LoadRoom, merge, percentile, type Delivery } from './cluster/load.js';
import { clusterSite, echoSite, roomsCrossNodes, singleProcess, type NodeMetrics, type Target } from './cluster/targets.js';
import { randomStream } from '../engine/index.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (s: string) => process.stdout.write(`${s}\n`);
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

/** The load generator watches itself: a busy or late event loop here inflates every figure. */
class GeneratorMeter {
  private elu = performance.eventLoopUtilization();
  private delay = monitorEventLoopDelay({ resolution: 5 });
  constructor() { this.delay.enable(); }
  reset(): void {
    this.elu = performance.eventLoopUtilization();
    this.delay.reset();
  }
  read(): { elu: number; delayP99: number } {
    const e = performance.eventLoopUtilization(this.elu);
    return { elu: e.utilization, delayP99: this.delay.percentile(99) / 1e6 };
  }
}
const generator = new GeneratorMeter();
const BUSY = { elu: 0.5, delayMs: 10 };
/** What reaplab broadcasts per step in these rooms: a game:step delta of about this many bytes (bench:server prints the measured mean). */
const busyNote = (g: { elu: number; delayP99: number }) =>
  g.elu >= BUSY.elu || g.delayP99 >= BUSY.delayMs ? ' ← load generator busy: its delay is in these figures' : '';

interface Round {
  site: string;
  d: Delivery;
  seconds: number;
  nodes: NodeMetrics[];
  gen: { elu: number; delayP99: number };
  load: string;
}

async function playRound(t: Target, rooms: LoadRoom[], seconds: number): Promise<Round> {
  for (const r of rooms) r.stats = merge([]);
  await t.metrics(); // opens the nodes' ELU window
  generator.reset();
  const t0 = performance.now();
  for (const r of rooms) r.start();
  await sleep(seconds * 1000);
  const nodes = await t.metrics();
  const gen = generator.read();
  for (const r of rooms) r.stop();
  const dt = (performance.now() - t0) / 1000;
  await sleep(300);
  return { site: t.name, d: merge(rooms.map((r) => r.stats)), seconds: dt, nodes, gen, load: load() };
}

function roundLine(r: Round): string {
  const d = r.d;
  const elus = r.nodes.map((n) => `${f(n.elu * 100, 0)}%`).join('/');
  return `${r.site.padEnd(24)} ${f(percentile(d.sender, 50)).padStart(7)} ${f(percentile(d.sender, 99)).padStart(7)} ${f(percentile(d.sameNode, 99)).padStart(8)} ${f(percentile(d.crossNode, 50)).padStart(8)} ${f(percentile(d.crossNode, 99)).padStart(8)} ${f(percentile(d.fanout, 99)).padStart(8)} ${(d.accepted / r.seconds).toFixed(0).padStart(6)} ${String(d.rejected).padStart(5)}  nodes ELU ${elus}; generator ELU ${f(r.gen.elu * 100, 0)}%, delay p99 ${f(r.gen.delayP99, 1)} ms; load ${r.load}${busyNote(r.gen)}`;
}
const HEADER = `${'site'.padEnd(24)} ${'snd p50'.padStart(7)} ${'snd p99'.padStart(7)} ${'same p99'.padStart(8)} ${'x-n p50'.padStart(8)} ${'x-n p99'.padStart(8)} ${'fan p99'.padStart(8)} ${'acts/s'.padStart(6)} ${'stale'.padStart(5)}`;

/** All deliveries of a site (sender, same node, other nodes): what a player sees. */
const all = (d: Delivery) => [...d.sender, ...d.sameNode, ...d.crossNode];

async function holdIdle(url: string, n: number): Promise<{ stop: () => void; held: number; failed: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cluster/hold.ts', url, String(n)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let text = '';
    child.stdout!.on('data', (b: Buffer) => {
      text += b.toString();
      const m = /^HELD (\d+) (\d+)$/m.exec(text);
      if (m) res({ stop: () => child.kill('SIGTERM'), held: Number(m[1]), failed: Number(m[2]) });
    });
    child.once('exit', (code) => rej(new Error(`hold.ts exited with ${code}`)));
  });
}

/**
 * The mean size of reaplab's per-step broadcast (the game:step delta), measured: one room
 * plays on the single process for a few seconds, then the server's /metrics says how many
 * game:step packets it encoded and their bytes. The echo peer broadcasts this size.
 */
async function measuredStepBytes(t: Target, players: number, seed: number): Promise<{ bytes: number; steps: number }> {
  const room = new LoadRoom(t.kind, t.urls, 0, players, randomStream(seed));
  await room.setup();
  room.start();
  await sleep(5000);
  room.stop();
  room.close();
  const m = (await (await fetch(`${t.urls[0]}/metrics`)).json()) as { gameStepEncodes?: number; gameStepBytes?: number };
  const steps = m.gameStepEncodes ?? 0;
  if (steps === 0) throw new Error('bench:cluster: the probe room took no step, so the delta size is unknown (is REAPLAB_METRICS on?)');
  return { bytes: Math.round((m.gameStepBytes ?? 0) / steps), steps };
}

async function idleCapacity(t: Target, perNode: number): Promise<string> {
  const before = await t.metrics();
  const holders = await Promise.all(t.urls.map((u) => holdIdle(u, perNode)));
  await sleep(2000);
  const after = await t.metrics();
  for (const h of holders) h.stop();
  await sleep(1000);
  const per = after.map((a, i) => (a.rss - before[i]!.rss) / Math.max(1, a.connections - before[i]!.connections));
  const held = holders.reduce((s, h) => s + h.held, 0);
  const failed = holders.reduce((s, h) => s + h.failed, 0);
  return `${t.name.padEnd(24)} ${held} held${failed ? ` (${failed} failed)` : ''}; RSS per connection ${per.map((p) => `${f(p / 1024, 1)} KiB`).join(' / ')}; node RSS ${after.map((a) => `${f(a.rss / 2 ** 20, 0)} MiB`).join(' / ')} with them; load ${load()}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rooms: { type: 'string', default: '30' },
      players: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '15' },
      idle: { type: 'string', default: '5000' },
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
      'lease-ms': { type: 'string', default: '2000' },
      skip: { type: 'string', default: '' },
    },
  });
  const o = {
    rooms: Number(values.rooms), players: Number(values.players), rounds: Number(values.rounds), seconds: Number(values.seconds),
    idle: Number(values.idle), kills: Number(values.kills), seed: Number(values.seed), leaseMs: Number(values['lease-ms']),
    skip: new Set(values.skip.split(',').filter(Boolean)),
  };
  const t0 = performance.now();
  out(`bench:cluster — ${o.rooms} rooms × ${o.players} players (${o.rooms * 3} stepping at human rate), members spread over the nodes; ${o.rounds} rounds of ${o.seconds} s; ${o.idle} idle connections per node; ${o.kills} kills (seed ${o.seed}); lease ${o.leaseMs} ms`);
  out(`machine: ${cpus().length} CPUs, load average ${load()}; Node ${process.version}; every site, the load generator and the idle holders share this machine`);

  // The echo broadcasts what reaplab broadcasts per step, a game:step delta, at the size measured here.
  const single = await singleProcess();
  const step = await measuredStepBytes(single, o.players, o.seed);
  out(`echo payload: ${step.bytes} bytes, the mean game:step delta reaplab broadcast over ${step.steps} steps of a probe room in this run`);
  const sites: Target[] = [await echoSite(1, step.bytes), await echoSite(3, step.bytes), single];
  const c1 = await clusterSite(1, o.leaseMs);
  const c3 = await clusterSite(3, o.leaseMs);
  const why = await roomsCrossNodes(c3);
  if (why) {
    out(`reaplab cluster mode: not measured — this build does not run a room across nodes (${why})`);
    await c1.stop();
    await c3.stop();
  } else sites.push(c1, c3);
  const clusterOn = why === null;

  try {
    if (!o.skip.has('latency')) {
      out('\n## Action → broadcast, ms (snd: at the sender; same: other members on the sender\'s node; x-n: members on another node; fan: the whole room)');
      const roomsOf = new Map<Target, LoadRoom[]>();
      for (const t of sites) {
        const rng = randomStream(o.seed + sites.indexOf(t));
        const rooms = Array.from({ length: o.rooms }, (_, i) => new LoadRoom(t.kind, t.urls, i, o.players, rng));
        for (let i = 0; i < rooms.length; i += 10) await Promise.all(rooms.slice(i, i + 10).map((r) => r.setup()));
        roomsOf.set(t, rooms);
      }
      const rounds: Round[] = [];
      out(HEADER);
      for (let k = 0; k < o.rounds; k++) {
        out(`round ${k + 1}`);
        // Rotate the order so that no site always runs first (or last) on a drifting machine.
        const order = sites.map((_, i) => sites[(i + k) % sites.length]!);
        for (const t of order) {
          const r = await playRound(t, roomsOf.get(t)!, o.seconds);
          rounds.push(r);
          out(roundLine(r));
        }
      }
      for (const rooms of roomsOf.values()) for (const r of rooms) r.close();
      out('\nall rounds pooled');
      out(HEADER);
      const pooled = new Map<string, Delivery>();
      for (const t of sites) {
        const rs = rounds.filter((r) => r.site === t.name);
        const d = merge(rs.map((r) => r.d));
        pooled.set(t.name, d);
        const gen = { elu: Math.max(...rs.map((r) => r.gen.elu)), delayP99: Math.max(...rs.map((r) => r.gen.delayP99)) };
        out(roundLine({ site: t.name, d, seconds: rs.reduce((s, r) => s + r.seconds, 0), nodes: rs.at(-1)!.nodes, gen, load: load() }));
      }
      const gap = (three: string, one: string) => {
        const a = pooled.get(three);
        const b = pooled.get(one);
        if (!a || !b) return null;
        return { cross: percentile(a.crossNode, 99), single: percentile(all(b), 99) };
      };
      const e = gap('echo × 3', 'echo × 1');
      if (e) out(`echo peer: cross-node p99 ${f(e.cross)} ms vs one node's p99 ${f(e.single)} ms (${f(e.cross - e.single)} ms apart)`);
      const r = gap('reaplab cluster × 3', 'reaplab cluster × 1');
      if (r) out(`reaplab: cross-node p99 ${f(r.cross)} ms vs one node's p99 ${f(r.single)} ms: ${f(r.cross - r.single)} ms apart (goal ≤ 5 ms)${e ? `; the echo peer's gap was ${f(e.cross - e.single)} ms` : ''}`);
      const s = pooled.get('reaplab, SQLite');
      if (s) out(`reaplab as one SQLite process (npm start): p99 ${f(percentile(all(s), 99))} ms over all deliveries`);
    }

    if (!o.skip.has('idle')) {
      out(`\n## Idle capacity: ${o.idle} idle connections per node`);
      for (const t of sites) out(await idleCapacity(t, o.idle));
    }

    if (!o.skip.has('failover')) {
      out(`\n## Failover: SIGKILL of a node owning busy rooms, ${o.kills} times (seed ${o.seed})`);
      if (!clusterOn) out('not measured: cluster mode is not available in this build (see above)');
      else await runFailover(c3, { rooms: o.rooms, players: o.players, kills: o.kills, seed: o.seed, out, load });
    }
  } finally {
    for (const t of sites) await t.stop().catch(() => {});
  }
  out(`\ntotal ${((performance.now() - t0) / 1000).toFixed(0)} s; load average at the end ${load()} (other work on this 2-core machine skews every figure)`);
  process.exit(0);
}

void main();
