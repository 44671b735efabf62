// Failover figures of bench:cluster: rooms play at human rate on a 3-node cluster while a
// node that owns busy rooms is SIGKILLed at seeded random moments, then started again.
//
// A client of an affected room (one the killed node owned, or one connected to it) is
// consistent again once (1) it is joined on a living node, (2) it holds a state received
// after the kill whose version is at least every version acknowledged before the kill, and
// (3) its room has acknowledged a step after the kill (the takeover is done). Players of
// affected rooms step again as soon as they can, so no think time is in the figure.
// Lost: an acknowledged step that is not at its place in the room's final history (the
// current run from a fresh join, finished runs from /api/rooms/:code/traces).

import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import type { ActorChoice } from '../../engine/index.js';
import type { GameView, JoinedData, RunTrace } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { adminQuery } from '../../test/cluster/services.js';
import type { Target } from './targets.js';
import { call, connectOne, mulberry, percentile } from './load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROLES = ['victim', 'reaper', 'allocator'] as const;

interface Player {
  name: string;
  socket: Socket | null;
  node: number;
  token: string;
  joined: boolean;
  /** The newest state this player holds, and when it arrived. */
  game: GameView | null;
  at: number;
}

interface Acked { run: number; pos: number; actor: string; step: string }

/** A room whose players reconnect to another node when theirs dies and get their seat back by token. */
class FailoverRoom {
  readonly players: Player[] = [];
  code = '';
  readonly acked: Acked[] = [];
  maxAcked = 0;
  lastAckAt = 0;
  running = false;
  /** After a kill: step at once, retry refusals quickly. */
  eager = false;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private readonly actorOf = new Map<string, Player>();

  constructor(private readonly site: Target, private readonly index: number, private readonly size: number, private readonly rng: () => number, private readonly alive: (node: number) => boolean) {}

  async setup(): Promise<void> {
    const n = this.site.urls.length;
    for (let i = 0; i < this.size; i++) {
      const node = (this.index + i) % n;
      this.players.push({ name: i === 0 ? 'host' : `p${i}`, socket: null, node, token: '', joined: false, game: null, at: 0 });
    }
    const host = this.players[0]!;
    host.socket = await connectOne(this.site.urls[host.node]!);
    const r = await call<JoinedData>(host.socket, 'room:create', { protocol: PROTOCOL_VERSION, name: 'host', mode: 'scheduler', scenario: { variant: 'tetsuo-timeout', config: 'mlocked' } });
    if (!r.ok) throw new Error(`room:create: ${r.error?.code} ${r.error?.message}`);
    this.code = r.data!.room.code;
    this.joinedAs(host, r.data!);
    for (const role of ROLES) await call(host.socket, 'bot:set', { role, kind: null });
    await call(host.socket, 'game:mode', { mode: 'race' });
    for (let i = 1; i < this.size; i++) {
      const p = this.players[i]!;
      p.socket = await connectOne(this.site.urls[p.node]!);
      const j = await call<JoinedData>(p.socket, 'room:join', { protocol: PROTOCOL_VERSION, code: this.code, name: p.name });
      if (!j.ok) throw new Error(`room:join: ${j.error?.code} ${j.error?.message}`);
      this.joinedAs(p, j.data!);
      const role = ROLES[i - 1];
      if (role) {
        const c = await call(p.socket, 'role:claim', { role });
        if (!c.ok) throw new Error(`role:claim: ${c.error?.code}`);
        this.actorOf.set(role, p);
      }
    }
  }

  private joinedAs(p: Player, d: JoinedData): void {
    p.token = d.token;
    p.joined = true;
    this.seen(p, d.game);
    const s = p.socket!;
    s.on('game:state', (g: GameView) => this.seen(p, g));
    s.once('disconnect', () => {
      p.joined = false;
      void this.reconnect(p);
    });
  }

  private seen(p: Player, g: GameView): void {
    if (p.game && g.version < p.game.version) return;
    p.game = g;
    p.at = performance.now();
    if (p === this.players[0]) this.next();
  }

  /** Tries the living nodes in turn until one takes the player back. */
  private async reconnect(p: Player): Promise<void> {
    const n = this.site.urls.length;
    for (let attempt = 0; this.running || attempt === 0; attempt++) {
      const node = (p.node + 1 + attempt) % n;
      if (!this.alive(node)) {
        await sleep(50);
        continue;
      }
      try {
        const s = await connectOne(this.site.urls[node]!);
        const j = await call<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code: this.code, name: p.name, token: p.token });
        if (!j.ok) {
          s.disconnect();
          await sleep(100);
          continue;
        }
        p.socket = s;
        p.node = node;
        this.joinedAs(p, j.data!);
        return;
      } catch {
        await sleep(100);
      }
    }
  }

  start(): void {
    this.running = true;
    this.next();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  private next(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    const g = this.players[0]!.game;
    if (!this.running || !g) return;
    if (g.result !== null) {
      this.timers.push(setTimeout(() => this.restart(g), this.eager ? 0 : 500));
      return;
    }
    for (const c of g.choices.filter((x) => x.enabled)) this.timers.push(setTimeout(() => this.send(c, g), this.eager ? 0 : 400 + this.rng() * 1200));
  }

  private restart(g: GameView): void {
    const host = this.players[0]!;
    if (!host.joined || !this.running) return;
    void call<{ version: number }>(host.socket!, 'game:restart', { version: g.version }).then((r) => {
      if (r.ok) this.ack(r.data!.version);
      else if (this.eager && r.error?.code !== 'stale_version') this.timers.push(setTimeout(() => this.next(), 200));
    });
  }

  private send(c: ActorChoice, g: GameView): void {
    const from = this.actorOf.get(c.role)!;
    if (!this.running || !from.joined || this.players[0]!.game?.version !== g.version) return;
    const sent = { run: g.run, pos: g.actions.length, actor: c.actor, step: c.step };
    void call<{ version: number }>(from.socket!, 'game:act', { actor: c.actor, step: c.step, version: g.version }).then((r) => {
      if (r.ok) {
        if (r.data!.version === g.version + 1) this.acked.push(sent);
        this.ack(r.data!.version);
      } else if (this.eager && r.error?.code !== 'stale_version') this.timers.push(setTimeout(() => this.next(), 200));
    });
  }

  private ack(version: number): void {
    this.maxAcked = Math.max(this.maxAcked, version);
    this.lastAckAt = performance.now();
  }

  close(): void {
    this.stop();
    for (const p of this.players) {
      p.socket?.removeAllListeners('disconnect');
      p.socket?.disconnect();
    }
  }
}

/** The rooms whose lease the node holds, by the database (owner ids start with the node's id). */
async function ownedBy(schema: string, nodeId: string): Promise<Set<string>> {
  const r = await adminQuery(`SELECT code FROM ${schema}.room_owner WHERE owner LIKE $1 AND expires_at > clock_timestamp()`, [`${nodeId}%`]);
  return new Set(r.rows.map((x: { code: string }) => x.code));
}

export interface FailoverOptions {
  rooms: number;
  players: number;
  kills: number;
  seed: number;
  out: (s: string) => void;
  load: () => string;
}

export async function runFailover(site: Target, o: FailoverOptions): Promise<void> {
  const cluster = site.cluster!;
  const rng = mulberry(o.seed);
  const alive = (i: number) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; };
  const rooms = Array.from({ length: o.rooms }, (_, i) => new FailoverRoom(site, i, o.players, rng, alive));
  for (let i = 0; i < rooms.length; i += 10) await Promise.all(rooms.slice(i, i + 10).map((r) => r.setup()));
  for (const r of rooms) r.start();
  const times: number[] = [];
  const clientTimes: number[] = [];
  let timedOut = 0;
  try {
    await sleep(3000);
    for (let k = 0; k < o.kills; k++) {
      await sleep(500 + rng() * 2500);
      // The owner of a random busy room.
      const room = rooms[Math.floor(rng() * rooms.length)]!;
      const owners = await Promise.all(cluster.nodes.map((n) => ownedBy(cluster.schema, n.id)));
      const victim = owners.findIndex((s) => s.has(room.code));
      if (victim < 0) { k--; continue; }
      const owned = owners[victim]!;
      const before = new Map(rooms.map((r) => [r, r.maxAcked]));
      const tKill = performance.now();
      await cluster.signal(victim, 'SIGKILL');
      const affected = rooms.filter((r) => owned.has(r.code) || r.players.some((p) => p.node === victim));
      for (const r of affected) r.eager = true;
      // Whom to wait for: every client of an owned room, and the killed node's clients elsewhere.
      const waitFor = affected.flatMap((r) => (owned.has(r.code) ? r.players : r.players.filter((p) => p.node === victim)).map((p) => ({ r, p })));
      const done = new Map<Player, number>();
      const deadline = tKill + 30_000;
      while (done.size < waitFor.length && performance.now() < deadline) {
        for (const { r, p } of waitFor) {
          if (done.has(p)) continue;
          const taken = !owned.has(r.code) || r.lastAckAt > tKill;
          if (p.joined && p.game && p.at > tKill && p.game.version >= before.get(r)! && taken) done.set(p, Math.max(p.at, owned.has(r.code) ? r.lastAckAt : 0) - tKill);
        }
        await sleep(20);
      }
      for (const r of affected) r.eager = false;
      const all = [...done.values()];
      clientTimes.push(...all);
      const t = all.length === waitFor.length ? Math.max(...all) : NaN;
      if (!Number.isFinite(t)) timedOut++;
      else times.push(t);
      o.out(`kill ${String(k + 1).padStart(2)}: node ${victim + 1} (owned ${owned.size} rooms), ${waitFor.length} clients affected, all consistent after ${Number.isFinite(t) ? `${(t / 1000).toFixed(2)} s` : `— (${waitFor.length - done.size} not within 30 s)`}; load ${o.load()}`);
      await cluster.restart(victim);
    }
  } finally {
    for (const r of rooms) r.stop();
  }
  await sleep(1500);
  const { lost, unequal, checked } = await verify(site, rooms);
  for (const r of rooms) r.close();
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  o.out(`failover over ${times.length} kills: p50 ${s(percentile(times, 50))}, p95 ${s(percentile(times, 95))}, max ${s(Math.max(...times))} (goal p95 ≤ 3 s); per client p50 ${s(percentile(clientTimes, 50))}, p95 ${s(percentile(clientTimes, 95))}; ${timedOut} kills not recovered within 30 s`);
  o.out(`acknowledged steps: ${checked} checked, ${lost} lost (goal 0); clients not equal to the server at the end: ${unequal}`);
}

/** Every acknowledged step at its place in the final history; every client's last state equal to a fresh join's. */
async function verify(site: Target, rooms: FailoverRoom[]): Promise<{ lost: number; unequal: number; checked: number }> {
  let lost = 0;
  let unequal = 0;
  let checked = 0;
  const url = site.urls[0]!;
  for (const r of rooms) {
    const s = await connectOne(url);
    const j = await call<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code: r.code, name: 'auditor' });
    s.disconnect();
    if (!j.ok) throw new Error(`audit join ${r.code}: ${j.error?.code}`);
    const g = j.data!.game;
    const traces = (await (await fetch(`${url}/api/rooms/${r.code}/traces`)).json()) as { data: RunTrace[] };
    const runs = new Map<number, { actor: string; step: string }[]>(traces.data.map((t) => [t.run, t.actions]));
    runs.set(g.run, g.actions);
    for (const a of r.acked) {
      checked++;
      const got = runs.get(a.run)?.[a.pos];
      if (!got || got.actor !== a.actor || got.step !== a.step) lost++;
    }
    for (const p of r.players) if (!p.game || p.game.version !== g.version || JSON.stringify(p.game.actions) !== JSON.stringify(g.actions)) unequal++;
  }
  return { lost, unequal, checked };
}
