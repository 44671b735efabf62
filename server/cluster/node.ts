// One node of a cluster, wired: its leases and ownership loop (./homes.ts), its inbox
// (./rpc.ts) and the router (./router.ts) through which the game and notebook edges run
// every request at its home's owner. The composition root (server/app.ts) gives it what
// runs a request here and what a home is made of in memory; this module decides when:
//
//  - a home taken here (free, expired, or handed over) first forgets anything cached of it,
//    then every node's connections seated there take their seats again at this node (the
//    `taken` notice; the edges hold the tokens), so presence, bots and host timers resume;
//  - a home lost (or released by a drain) is dropped from memory: no bot or timer runs for it;
//  - a session change for a connection on another node (replaced, moved) goes out as a notice;
//  - a drain releases every home and tells the others, which take them at once.

import type { Clock } from '../clock.js';
import type { GameAnswer, GameCall } from '../game-ops.js';
import type { Log } from '../log.js';
import type { NotebookCall } from '../notebook/ops.js';
import type { NbResult } from '../notebook/relay.js';
import type { EdgeSession } from '../game-ops.js';
import { homeOfNotebook, Ownership } from './homes.js';
import type { RoomLeases } from './leases.js';
import { Router } from './router.js';
import type { NodeRpc } from './rpc.js';

/** What main.ts opens before the app: the leases (the store's fence) and the inbox. */
export interface ClusterParts {
  leases: RoomLeases;
  rpc: NodeRpc;
  ttlMs: number;
  /** How often homes whose owner died are looked for (ms). Default: the lease period. */
  sweepEveryMs?: number;
}

export interface ClusterWiring {
  clock: Clock;
  log: Log;
  serveGame: (call: GameCall) => Promise<GameAnswer>;
  serveNotebook: (call: NotebookCall) => Promise<NbResult<unknown>>;
  /** Drops everything of the home from memory (rooms, class, notebooks): no write, no broadcast, timers cancelled. */
  unloadHome: (home: string) => void;
  /** Whether anything of the home is loaded here. */
  inUse: (home: string) => boolean;
  /** This node's connections seated in the home take their seats again at its owner. */
  reattach: (home: string) => Promise<void>;
  /** Applies a session to a connection of this node; false when it is not connected here. */
  applySession: (socketId: string, session: EdgeSession, onlyIfRoom: string | null) => boolean;
}

type Notice =
  | { taken: string }
  | { released: string[] }
  | { session: { socketId: string; session: EdgeSession; onlyIfRoom: string | null } };

export class ClusterNode {
  readonly ownership: Ownership;
  readonly router: Router;
  /** Requests being served here, per home: a home is never released under one. */
  private readonly serving = new Map<string, number>();

  constructor(private readonly p: ClusterParts, private readonly w: ClusterWiring) {
    this.ownership = new Ownership({
      leases: p.leases, clock: w.clock, log: w.log, ttlMs: p.ttlMs,
      ...(p.sweepEveryMs !== undefined ? { sweepEveryMs: p.sweepEveryMs } : {}),
      hooks: {
        acquired: async (home) => {
          w.unloadHome(home);
          // Once the home is known to be here: the seats come back through the router.
          setImmediate(() => {
            void p.rpc.notifyAll({ taken: home } satisfies Notice).catch(() => {});
            void w.reattach(home);
          });
        },
        lost: (home) => w.unloadHome(home),
        inUse: (home) => (this.serving.get(home) ?? 0) > 0 || w.inUse(home),
      },
    });
    this.router = new Router({
      ownership: this.ownership, rpc: p.rpc, clock: w.clock,
      // Long enough for a dead owner's lease to run out and the home to be replayed here.
      patienceMs: p.ttlMs * 2 + 3000,
      serve: async (home, call) => {
        this.serving.set(home, (this.serving.get(home) ?? 0) + 1);
        try {
          return await ((call as { ns: string }).ns === 'notebook' ? w.serveNotebook(call as NotebookCall) : w.serveGame(call as GameCall));
        } finally {
          const n = (this.serving.get(home) ?? 1) - 1;
          if (n > 0) this.serving.set(home, n);
          else this.serving.delete(home);
        }
      },
    });
    p.rpc.serve(this.router.handle);
    p.rpc.onNotice((_from, body) => this.notice(body as Notice));
  }

  get id(): string {
    return this.p.rpc.node;
  }

  private notice(n: Notice): void {
    if ('taken' in n) void this.w.reattach(n.taken);
    else if ('released' in n) void this.ownership.released(n.released);
    else if ('session' in n) this.w.applySession(n.session.socketId, n.session.session, n.session.onlyIfRoom);
  }

  /** The home of a room (a class room's is its class). */
  roomHome(code: string): Promise<string> {
    return this.ownership.homeOfRoom(code);
  }

  notebookHome(id: string): Promise<string> {
    return homeOfNotebook(id, (code) => this.ownership.homeOfRoom(code));
  }

  run(home: string, call: unknown): Promise<unknown> {
    return this.router.run(home, call);
  }

  /** Sets a connection's session here, or on the node it is connected to. */
  pushSession(socketId: string, session: EdgeSession, onlyIfRoom: string | null): void {
    if (this.w.applySession(socketId, session, onlyIfRoom)) return;
    void this.p.rpc.notifyAll({ session: { socketId, session, onlyIfRoom } } satisfies Notice).catch(() => {});
  }

  /** A new room or class is made here: its lease first (a class room is placed under its class, held here). */
  async opening(code: string, classCode: string | null): Promise<void> {
    this.ownership.placeRoom(code, classCode);
    if (classCode === null) await this.ownership.claim(code);
    else if (!this.ownership.holds(classCode)) throw new Error(`class ${classCode} is not held here; its rooms open at its owner`);
  }

  start(): void {
    this.ownership.start();
  }

  /** A drain: every home released and announced, so other nodes take them at once. */
  async handOver(): Promise<string[]> {
    const homes = await this.ownership.handOver();
    if (homes.length) await this.p.rpc.notifyAll({ released: homes } satisfies Notice).catch(() => {});
    this.w.log.info('cluster: homes handed over', { homes: homes.length });
    return homes;
  }

  async close(): Promise<void> {
    this.ownership.stop();
    await this.p.rpc.close();
    await this.p.leases.close();
  }
}
