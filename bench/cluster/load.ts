// The load of bench:cluster: rooms of players at human rate whose members are spread over
// the nodes of a site (member i of room r on node (r + i) mod N), driven the same way
// against reaplab and against the echo peer. Every broadcast a member receives is timed
// from the moment its step was emitted, and filed by where the member sits: the sender
// itself, another member on the sender's node, or a member on another node. Reaplab's
// members follow the game as the browser does: whole views and game:step deltas applied by
// protocol/game-step.ts (a gap: game:sync); a broadcast counts once its view is held.

import { performance } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ActorChoice } from '../../engine/index.js';
import type { GameStep, GameView } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { GameFollower } from '../../protocol/game-step.js';

export type Kind = 'reaplab' | 'echo';

export interface Delivery {
  sender: number[];
  sameNode: number[];
  crossNode: number[];
  /** Until every member of the room had the broadcast. */
  fanout: number[];
  accepted: number;
  rejected: number;
}
export const newDelivery = (): Delivery => ({ sender: [], sameNode: [], crossNode: [], fanout: [], accepted: 0, rejected: 0 });

export function connectOne(url: string, opts: { reconnection?: boolean } = {}): Promise<Socket> {
  const s = ioClient(url, { transports: ['websocket'], reconnection: opts.reconnection ?? false, forceNew: true });
  return new Promise((res, rej) => {
    s.once('connect', () => res(s));
    s.once('connect_error', (e) => {
      s.close();
      rej(e);
    });
  });
}

export type Reply<T> = { ok: boolean; data?: T; error?: { code: string; message: string } };
export function call<T>(s: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Reply<T>> {
  return new Promise((res) => {
    s.timeout(timeoutMs).emit(event, payload, (err: Error | null, r: Reply<T>) => res(err ? { ok: false, error: { code: 'timeout', message: err.message } } : r));
  });
}

interface Member {
  socket: Socket;
  node: number;
  /** The highest version this member has seen (later duplicates are not counted). */
  seen: number;
}

const ROLES = ['victim', 'reaper', 'allocator'] as const;

/** One room: a host (member 0), three actors (members 1–3) and spectators. */
export class LoadRoom {
  readonly members: Member[] = [];
  code = '';
  stats = newDelivery();
  running = false;
  private version = 0;
  private choices: ActorChoice[] = [];
  private ended = false;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private readonly actorOf = new Map<string, Member>();
  private readonly pending = new Map<number, { at: number; from: Member; got: number }>();

  constructor(private readonly kind: Kind, private readonly urls: string[], private readonly index: number, private readonly size: number, private readonly rng: () => number) {}

  async setup(): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const node = (this.index + i) % this.urls.length;
      this.members.push({ socket: await connectOne(this.urls[node]!), node, seen: 0 });
    }
    const host = this.members[0]!.socket;
    if (this.kind === 'reaplab') {
      const r = await call<{ room: { code: string }; game: GameView }>(host, 'room:create', {
        protocol: PROTOCOL_VERSION, name: 'host', mode: 'scheduler', scenario: { variant: 'tetsuo-timeout', config: 'mlocked' },
      });
      if (!r.ok) throw new Error(`room:create: ${r.error?.code} ${r.error?.message}`);
      this.code = r.data!.room.code;
      this.take(r.data!.game);
      // Bots play free race seats at once: switch them off before the players sit down.
      for (const role of ROLES) await call(host, 'bot:set', { role, kind: null });
      await call(host, 'game:mode', { mode: 'race' });
      for (let i = 1; i < this.size; i++) {
        const m = this.members[i]!;
        const j = await call(m.socket, 'room:join', { protocol: PROTOCOL_VERSION, code: this.code, name: `p${i}` });
        if (!j.ok) throw new Error(`room:join on node ${m.node + 1}: ${j.error?.code} ${j.error?.message}`);
        const role = ROLES[i - 1];
        if (role) {
          const c = await call(m.socket, 'role:claim', { role });
          if (!c.ok) throw new Error(`role:claim: ${c.error?.code} ${c.error?.message}`);
          this.actorOf.set(role, m);
        }
      }
    } else {
      this.code = `echo${this.index}`;
      for (const m of this.members) await call(m.socket, 'join', this.code);
      ROLES.forEach((r, i) => this.actorOf.set(r, this.members[i + 1]!));
      this.choices = ROLES.map((r) => ({ actor: r, role: r, step: 's', label: '', enabled: true, lines: [] }) as unknown as ActorChoice);
    }
    if (this.kind === 'echo') {
      for (const m of this.members) m.socket.on('state', (g: { version: number }) => this.received(m, g));
      return;
    }
    const first = this.view!;
    for (const m of this.members) {
      const f = new GameFollower({
        sync: (code) => call<GameView>(m.socket, 'game:sync', { code }).then((r) => (r.ok ? r.data! : null)),
        changed: (g) => this.received(m, g),
      });
      f.joined(first);
      m.socket.on('game:state', (g: GameView) => f.full(g));
      m.socket.on('game:step', (d: GameStep) => f.step(d));
    }
  }

  /** The room's view as its host last held it. */
  private view: GameView | null = null;

  private take(g: GameView): void {
    this.view = g;
    this.version = g.version;
    this.choices = g.choices;
    this.ended = g.result !== null;
  }

  private received(m: Member, g: { version: number }): void {
    const now = performance.now();
    if (g.version <= m.seen) return;
    m.seen = g.version;
    const p = this.pending.get(g.version);
    if (p) {
      const dt = now - p.at;
      if (m === p.from) this.stats.sender.push(dt);
      else if (m.node === p.from.node) this.stats.sameNode.push(dt);
      else this.stats.crossNode.push(dt);
      if (++p.got === this.members.length) {
        this.stats.fanout.push(dt);
        this.pending.delete(g.version);
      }
    }
    if (m !== this.members[0]) return;
    if (this.kind === 'reaplab') this.take(g as unknown as GameView);
    else this.version = g.version;
    this.next();
  }

  start(): void {
    this.running = true;
    this.next();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.pending.clear();
  }

  /** The host decides what comes next on every state it sees: human think times, a restart at the end. */
  private next(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (!this.running) return;
    if (this.ended) {
      const v = this.version;
      this.timers.push(setTimeout(() => void call(this.members[0]!.socket, 'game:restart', { version: v }), 500));
      return;
    }
    const v = this.version;
    // Every enabled actor's player thinks 0.4–1.6 s; the first to finish steps.
    for (const c of this.choices.filter((x) => x.enabled)) this.timers.push(setTimeout(() => this.send(c, v), 400 + this.rng() * 1200));
  }

  private send(c: ActorChoice, version: number): void {
    if (version !== this.version || !this.running) return;
    const from = this.actorOf.get(c.role)!;
    this.pending.set(version + 1, { at: performance.now(), from, got: 0 });
    const payload = this.kind === 'reaplab' ? { actor: c.actor, step: c.step, version } : { room: this.code, version };
    from.socket.emit(this.kind === 'reaplab' ? 'game:act' : 'act', payload, (r: { ok: boolean }) => {
      if (r.ok) this.stats.accepted++;
      else {
        this.stats.rejected++;
        this.pending.delete(version + 1);
      }
    });
  }

  close(): void {
    this.stop();
    for (const m of this.members) m.socket.disconnect();
  }
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export function merge(ds: Delivery[]): Delivery {
  const out = newDelivery();
  for (const d of ds) {
    out.sender.push(...d.sender);
    out.sameNode.push(...d.sameNode);
    out.crossNode.push(...d.crossNode);
    out.fanout.push(...d.fanout);
    out.accepted += d.accepted;
    out.rejected += d.rejected;
  }
  return out;
}
