// Players of a cluster test or benchmark: socket.io clients seated in a room, each connected
// to one node, playing at a chosen pace; when their node dies they connect to another living
// node and get their seat back with their token (as the browser does through the proxy).
// Every acknowledged step is recorded with its place (run, position) so that an audit can
// check it is in the room's final history (the current run, and the finished runs served by
// /api/rooms/:code/traces), and each player's last state can be compared with the server's.
// Players follow the game as the browser does: whole views and game:step deltas applied by
// protocol/game-step.ts (a gap, e.g. across a failover: game:sync).

import { performance } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ActorChoice } from '../../engine/index.js';
import type { ClassCreatedData, ClassJoinedData, GameStep, GameView, JoinedData, RunTrace } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { GameFollower } from '../../protocol/game-step.js';
import { adminQuery } from './services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROLES = ['victim', 'reaper', 'allocator'] as const;

/** Resolves once `ok` holds (polled every 25 ms); fails after `ms` naming what it waited for. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export type Reply<T> = { ok: boolean; data?: T; error?: { code: string; message: string } };

export function connectTo(url: string): Promise<Socket> {
  const s = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((res, rej) => {
    s.once('connect', () => res(s));
    s.once('connect_error', (e) => {
      s.close();
      rej(e);
    });
  });
}

export function ask<T>(s: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Reply<T>> {
  return new Promise((res) => {
    s.timeout(timeoutMs).emit(event, payload, (err: Error | null, r: Reply<T>) => res(err ? { ok: false, error: { code: 'timeout', message: err.message } } : r));
  });
}

/** Where the players are: the nodes' URLs now (a restarted node has a new port) and which are alive. */
export interface Site {
  urls(): string[];
  alive(node: number): boolean;
}

export interface Seat {
  name: string;
  node: number;
  socket: Socket | null;
  token: string;
  role: string;
  joined: boolean;
  /** The newest state this player holds, and when it arrived. */
  game: GameView | null;
  at: number;
}

export interface AckedStep { run: number; pos: number; actor: string; step: string }

export interface PlayOptions {
  /** Think time of a player, ms: [min, max). */
  think: [number, number];
  rng: () => number;
  /** Race rooms restart a finished run (the host); class rooms leave that to the teacher. */
  restart: boolean;
}

export class PlayedRoom {
  readonly acked: AckedStep[] = [];
  maxAcked = 0;
  lastAckAt = 0;
  running = false;
  /** After a kill: step at once, retry refusals quickly. */
  eager = false;
  private closed = false;
  private timers: ReturnType<typeof setTimeout>[] = [];

  constructor(readonly code: string, readonly seats: Seat[], private readonly site: Site, private readonly o: PlayOptions) {
    for (const s of seats) this.listen(s);
  }

  /** The run has ended and nobody here may restart it (a class room waits for its teacher): no step can come. */
  get idle(): boolean {
    return !this.o.restart && (this.seats[0]?.game?.result ?? null) !== null;
  }

  private actor(role: string): Seat | undefined {
    return this.seats.find((s) => s.role === role && s.joined);
  }

  /** Each seat's follower of the game on its current connection. */
  private readonly followers = new Map<Seat, GameFollower>();

  private listen(p: Seat): void {
    const s = p.socket!;
    const f = new GameFollower({
      sync: (code) => ask<GameView>(s, 'game:sync', { code }).then((r) => (r.ok ? r.data! : null)),
      changed: (g) => this.seen(p, g),
    });
    if (p.game) f.joined(p.game);
    this.followers.set(p, f);
    s.on('game:state', (g: GameView) => f.full(g));
    s.on('game:step', (d: GameStep) => f.step(d));
    s.once('disconnect', () => {
      p.joined = false;
      void this.reconnect(p);
    });
  }

  private seen(p: Seat, g: GameView): void {
    if (p.game && g.version < p.game.version) return;
    p.game = g;
    p.at = performance.now();
    if (p === this.seats[0]) this.next();
  }

  /** Tries the living nodes in turn until one gives the player its seat back. */
  private async reconnect(p: Seat): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const n = this.site.urls().length;
      const node = (p.node + 1 + attempt) % n;
      if (!this.site.alive(node)) {
        await sleep(50);
        continue;
      }
      try {
        const s = await connectTo(this.site.urls()[node]!);
        const j = await ask<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code: this.code, name: p.name, token: p.token });
        if (!j.ok) {
          s.disconnect();
          if (j.error?.code === 'bad_token' || j.error?.code === 'unknown_room') throw new Error(`rejoin ${this.code}: ${j.error.code}`);
          await sleep(100);
          continue;
        }
        if (this.closed) {
          s.disconnect();
          return;
        }
        p.socket = s;
        p.node = node;
        p.joined = true;
        this.listen(p);
        this.followers.get(p)!.full(j.data!.game);
        // A seat back may unblock the steps that waited for its actor (no broadcast says so).
        this.next();
        return;
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('rejoin')) throw e;
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

  private think(): number {
    return this.eager ? 0 : this.o.think[0] + this.o.rng() * (this.o.think[1] - this.o.think[0]);
  }

  private next(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    const g = this.seats[0]!.game;
    if (!this.running || !g) return;
    if (g.result !== null) {
      if (this.o.restart) this.timers.push(setTimeout(() => this.restart(g), this.eager ? 0 : this.o.think[1]));
      return;
    }
    for (const c of g.choices.filter((x) => x.enabled)) this.timers.push(setTimeout(() => this.send(c, g), this.think()));
  }

  private retry(code: string | undefined): void {
    if (this.running && code !== 'stale_version') this.timers.push(setTimeout(() => this.next(), this.eager ? 100 : 500));
  }

  private restart(g: GameView): void {
    const host = this.seats[0]!;
    if (!host.joined || !this.running) return;
    void ask<{ version: number }>(host.socket!, 'game:restart', { version: g.version }).then((r) => {
      if (r.ok) this.ack(r.data!.version);
      else this.retry(r.error?.code);
    });
  }

  private send(c: ActorChoice, g: GameView): void {
    const from = this.actor(c.role);
    if (!this.running || !from || this.seats[0]!.game?.version !== g.version) return;
    const sent = { run: g.run, pos: g.actions.length, actor: c.actor, step: c.step };
    void ask<{ version: number }>(from.socket!, 'game:act', { actor: c.actor, step: c.step, version: g.version }).then((r) => {
      if (r.ok) {
        // A step accepted at the version it was made against sits at that run's next position.
        if (r.data!.version === g.version + 1) this.acked.push(sent);
        this.ack(r.data!.version);
      } else this.retry(r.error?.code);
    });
  }

  private ack(version: number): void {
    this.maxAcked = Math.max(this.maxAcked, version);
    this.lastAckAt = performance.now();
  }

  close(): void {
    this.stop();
    this.closed = true;
    for (const p of this.seats) {
      p.socket?.removeAllListeners('disconnect');
      p.socket?.disconnect();
    }
  }
}

const seat = (name: string, node: number, socket: Socket, d: JoinedData): Seat => ({ name, node, socket, token: d.token, role: d.role, joined: true, game: d.game, at: performance.now() });

/** A race room of `size` players (host, the three actors, spectators), member i on node (index + i) mod N, bots off. */
export async function raceRoom(site: Site, index: number, size: number, o: PlayOptions): Promise<PlayedRoom> {
  const n = site.urls().length;
  const seats: Seat[] = [];
  const hostNode = index % n;
  const hs = await connectTo(site.urls()[hostNode]!);
  const r = await ask<JoinedData>(hs, 'room:create', { protocol: PROTOCOL_VERSION, name: 'host', mode: 'scheduler', scenario: { variant: 'tetsuo-timeout', config: 'mlocked' } });
  if (!r.ok) throw new Error(`room:create: ${r.error?.code} ${r.error?.message}`);
  const code = r.data!.room.code;
  seats.push(seat('host', hostNode, hs, r.data!));
  for (const role of ROLES) await ask(hs, 'bot:set', { role, kind: null });
  const m = await ask(hs, 'game:mode', { mode: 'race' });
  if (!m.ok) throw new Error(`game:mode: ${m.error?.code}`);
  for (let i = 1; i < size; i++) {
    const node = (index + i) % n;
    const s = await connectTo(site.urls()[node]!);
    const j = await ask<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code, name: `p${i}` });
    if (!j.ok) throw new Error(`room:join on node ${node + 1}: ${j.error?.code} ${j.error?.message}`);
    const p = seat(`p${i}`, node, s, j.data!);
    const role = ROLES[i - 1];
    if (role) {
      const c = await ask(s, 'role:claim', { role });
      if (!c.ok) throw new Error(`role:claim: ${c.error?.code}`);
      p.role = role;
    }
    seats.push(p);
  }
  return new PlayedRoom(code, seats, site, o);
}

/** A class (auto grouping) opened on node 0 by a teacher; `students` join on nodes 1, 2, 0, …; their rooms, played. */
export async function classRooms(site: Site, lesson: string, students: number, o: PlayOptions): Promise<{ code: string; teacher: Socket; teacherToken: string; rooms: PlayedRoom[] }> {
  const n = site.urls().length;
  const teacher = await connectTo(site.urls()[0]!);
  const c = await ask<ClassCreatedData>(teacher, 'class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson, grouping: 'auto', mode: 'race' });
  if (!c.ok) throw new Error(`class:create: ${c.error?.code} ${c.error?.message}`);
  const byRoom = new Map<string, Seat[]>();
  for (let i = 0; i < students; i++) {
    const node = (i + 1) % n;
    const s = await connectTo(site.urls()[node]!);
    const j = await ask<ClassJoinedData>(s, 'class:join', { protocol: PROTOCOL_VERSION, code: c.data!.code, name: `student${i}` });
    if (!j.ok || !j.data!.joined) throw new Error(`class:join on node ${node + 1}: ${j.error?.code ?? 'not seated'} ${j.error?.message ?? ''}`);
    const d = j.data!.joined;
    const list = byRoom.get(d.room.code) ?? [];
    list.push(seat(`student${i}`, node, s, d));
    byRoom.set(d.room.code, list);
  }
  const rooms = [...byRoom].map(([code, seats]) => new PlayedRoom(code, seats, site, { ...o, restart: false }));
  return { code: c.data!.code, teacher, teacherToken: c.data!.teacherToken, rooms };
}

export interface Audit {
  checked: number;
  lost: AckedStep[];
  /** Players whose last state differs from the server's. */
  unequal: string[];
}

/** Every acknowledged step at its place in the room's final history; every player's last state equal to a fresh join's. */
export async function audit(url: string, rooms: PlayedRoom[]): Promise<Audit> {
  const out: Audit = { checked: 0, lost: [], unequal: [] };
  for (const r of rooms) {
    const s = await connectTo(url);
    const j = await ask<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code: r.code, name: 'auditor' });
    s.disconnect();
    if (!j.ok) throw new Error(`audit: room:join ${r.code}: ${j.error?.code} ${j.error?.message}`);
    const g = j.data!.game;
    const traces = (await (await fetch(`${url}/api/rooms/${r.code}/traces`)).json()) as { data: RunTrace[] };
    const runs = new Map<number, { actor: string; step: string }[]>(traces.data.map((t) => [t.run, t.actions]));
    runs.set(g.run, g.actions);
    for (const a of r.acked) {
      out.checked++;
      const got = runs.get(a.run)?.[a.pos];
      if (!got || got.actor !== a.actor || got.step !== a.step) out.lost.push(a);
    }
    for (const p of r.seats) {
      if (!p.game || p.game.version !== g.version || JSON.stringify(p.game.actions) !== JSON.stringify(g.actions)) out.unequal.push(`${r.code}/${p.name} (has v${p.game?.version}, server v${g.version})`);
    }
  }
  return out;
}

/** The homes (room codes; a class's rooms live under the class code) whose lease the node holds, by the database (owner ids start with the node's id). */
export async function ownedBy(schema: string, nodeId: string): Promise<Set<string>> {
  const r = await adminQuery(`SELECT code FROM ${schema}.room_owner WHERE owner LIKE $1 AND expires_at > clock_timestamp()`, [`${nodeId}%`]);
  return new Set(r.rows.map((x: { code: string }) => x.code));
}

/**
 * Waits until every client affected by the kill of node `victim` is consistent again: joined on a
 * living node, holding a state received after the kill at least as new as every version
 * acknowledged before it (`before`), and — for rooms the node owned — its room has acknowledged a
 * step since (players of affected rooms step at once meanwhile; a room whose run has ended with
 * nobody to restart it counts once its players hold a state sent after the kill). The time of each, ms after the kill.
 */
export async function recovery(rooms: PlayedRoom[], owned: Set<string>, victim: number, tKill: number, before: Map<PlayedRoom, number>, limitMs: number): Promise<{ times: number[]; waited: number }> {
  const affected = rooms.filter((r) => owned.has(r.code) || r.seats.some((p) => p.node === victim));
  for (const r of affected) r.eager = true;
  const waitFor = affected.flatMap((r) => (owned.has(r.code) ? r.seats : r.seats.filter((p) => p.node === victim)).map((p) => ({ r, p })));
  const done = new Map<Seat, number>();
  while (done.size < waitFor.length && performance.now() < tKill + limitMs) {
    for (const { r, p } of waitFor) {
      if (done.has(p)) continue;
      // A room it owned is taken over once it acknowledges a step again, or — when no step can come —
      // once its state has been sent again after the kill (the new owner's replay).
      const taken = !owned.has(r.code) || r.lastAckAt > tKill || r.idle;
      if (p.joined && p.game && p.at > tKill && p.game.version >= before.get(r)! && taken) done.set(p, Math.max(p.at, owned.has(r.code) ? r.lastAckAt : 0) - tKill);
    }
    await sleep(20);
  }
  for (const r of affected) r.eager = false;
  return { times: [...done.values()], waited: waitFor.length };
}


