// Homes: what one lease covers, and the loop that keeps this node's leases. A room's home is
// its code; a class and all of its rooms share the class's code (the class seats students,
// moves them between its rooms and reads their summaries: one authority for all of it); a
// room's notebook lives with its room, a class's with its class, a free notebook under
// `nb:<id>`. Whoever holds a home's lease is the only node that runs its service logic,
// bots and timers (server/cluster/leases.ts; the store fences the writes).
//
// Ownership.locate(home) says where a home's authority runs: here (the lease is held, or was
// free or expired and has just been taken), or at another node (which the router forwards
// to). A lease is renewed for every home at once, one statement per period; a home the
// database says is lost is dropped here at once (hooks.lost: bots and timers stop). While a
// lease's local validity has run out (a renewal late or failing), this node answers no
// forwarded request for it and takes it again before acting on a request (its writes are
// fenced anyway); a late renewal that finds the lease still ours keeps what is loaded.
// Homes nothing here uses any more are released.
// A periodic sweep takes homes whose owner stopped renewing (it died), so their bots and
// timers carry on before anyone asks; a drain releases everything and says so to the other
// nodes, which take the homes at once.

import type { Clock, Timer } from '../clock.js';
import type { Log } from '../log.js';
import { UnavailableError } from '../store/unavailable.js';
import type { RoomLeases } from './leases.js';

/** The home of a room: its class's code for a class room, else its own. */
export function homeOfRoom(code: string, classCode: string | null): string {
  return classCode ?? code;
}

/** Where a notebook lives: with its room (a room's notebook), or at a home of its own (a class's code, `nb:<id>` for a free one). */
export function notebookPlace(id: string): { room: string } | { home: string } {
  const m = /^(room|class)-([A-Z0-9]{4,8})$/.exec(id);
  if (m?.[1] === 'room') return { room: m[2]! };
  return { home: m?.[1] === 'class' ? m[2]! : `nb:${id}` };
}

/** The home of a notebook: its room's or class's home, or its own for a free notebook. */
export async function homeOfNotebook(id: string, roomHome: (code: string) => Promise<string>): Promise<string> {
  const p = notebookPlace(id);
  return 'room' in p ? roomHome(p.room) : p.home;
}

export type Where = { here: true } | { here: false; node: string };

export interface OwnershipHooks {
  /** The home has just become this node's: forget anything cached of it, load what runs there (bots, timers), tell the edges. */
  acquired(home: string): Promise<void>;
  /** The home is no longer this node's: stop its bots and timers and forget its state (nothing is written). */
  lost(home: string): void;
  /** Whether anything of the home is loaded here; a home nothing uses is released. */
  inUse(home: string): boolean;
}

export interface OwnershipOptions {
  leases: RoomLeases;
  clock: Clock;
  log: Log;
  ttlMs: number;
  hooks: OwnershipHooks;
  /** How often expired homes are looked for (ms; 0: never). Default: the lease period. */
  sweepEveryMs?: number;
  /** A home taken this recently is kept even when nothing uses it yet (ms). Default 10 s. */
  idleGraceMs?: number;
}

interface Seen {
  node: string;
}

export class Ownership {
  private readonly owners = new Map<string, Seen>();
  private readonly acquiring = new Map<string, Promise<boolean>>();
  private readonly takenAt = new Map<string, number>();
  private readonly classes = new Map<string, string | null | undefined>();
  private renewTimer: Timer | null = null;
  private sweepTimer: Timer | null = null;
  private draining = false;
  private stopped = false;

  constructor(private readonly o: OwnershipOptions) {}

  get node(): string {
    return this.o.leases.node;
  }

  /** Whether this node may act for the home now (its lease is held and cannot have expired by our clock). */
  holds(home: string): boolean {
    return this.o.leases.holds(home);
  }

  /** The home of a stored room (a class room's is its class); a room not stored is its own home. */
  async homeOfRoom(code: string): Promise<string> {
    let klass = this.classes.get(code);
    if (klass === undefined) {
      klass = await this.o.leases.classOfRoom(code);
      if (klass !== undefined) this.classes.set(code, klass);
    }
    const home = homeOfRoom(code, klass ?? null);
    this.o.leases.place(code, home);
    return home;
  }

  /** The home of a room as far as this node knows now (its class's when it was looked up or opened here). */
  knownHomeOfRoom(code: string): string {
    return homeOfRoom(code, this.classes.get(code) ?? null);
  }

  /** A room is opened here under `home` (a class room under its class, which this node holds). */
  placeRoom(code: string, classCode: string | null): void {
    this.classes.set(code, classCode);
    this.o.leases.place(code, homeOfRoom(code, classCode));
  }

  /** A new home is made here (a room or class just given its code): take its lease first, or throw. */
  async claim(home: string): Promise<void> {
    if (this.holds(home)) return;
    if (this.draining) throw new Error(`node ${this.node} is draining; it takes no new home`);
    const token = await this.o.leases.acquire(home);
    if (token === null) throw new Error(`home ${home} is held by another node`);
    this.takenAt.set(home, this.o.clock.now());
    this.owners.delete(home);
  }

  /** Where the home's authority runs; takes the home when it is free or its owner stopped renewing it. */
  async locate(home: string): Promise<Where> {
    if (this.holds(home)) return { here: true };
    // The owner seen last is asked first: it checks that it still holds the home (else it says
    // "moved") and a gone owner is known at once, so this never needs to be fresh to be safe.
    const seen = this.owners.get(home);
    if (seen && seen.node !== this.node) return { here: false, node: seen.node };
    if (!this.draining && !this.stopped && (await this.take(home))) return { here: true };
    const owner = await this.o.leases.ownerOf(home);
    if (owner?.node && owner.node !== this.node && owner.remainingMs > 0) {
      this.owners.set(home, { node: owner.node });
      return { here: false, node: owner.node };
    }
    // Free or expired after all (it was released or ran out between the two statements): one more try.
    if (!this.draining && !this.stopped && (await this.take(home))) return { here: true };
    throw new UnavailableError(`home ${home} has no owner that can be reached`);
  }

  /** The owner we forwarded to did not answer: ask the database again next time. */
  forgetOwner(home: string): void {
    this.owners.delete(home);
  }

  /** How long the current owner's lease may still run (ms, by the database), or 0. */
  async remainingOf(home: string): Promise<number> {
    const owner = await this.o.leases.ownerOf(home);
    return owner?.node && owner.node !== this.node ? Math.max(0, owner.remainingMs) : 0;
  }

  /** One acquisition per home at a time; the hooks run before anyone is told the home is here. */
  private take(home: string): Promise<boolean> {
    const running = this.acquiring.get(home);
    if (running) return running;
    const p = (async () => {
      const had = this.o.leases.tokenOf(home);
      const token = await this.o.leases.acquire(home);
      if (token === null) return false;
      this.owners.delete(home);
      this.takenAt.set(home, this.o.clock.now());
      // Ours all along (a renewal came late): nobody else could write meanwhile, what is loaded stays.
      if (token === had) return true;
      try {
        await this.o.hooks.acquired(home);
      } catch (e) {
        this.o.log.error('cluster: loading a home taken over failed; releasing it', { home, error: e instanceof Error ? e.message : String(e) });
        this.o.hooks.lost(home);
        await this.o.leases.release(home).catch(() => {});
        return false;
      }
      this.o.log.info('cluster: home taken', { home, token });
      return true;
    })().finally(() => this.acquiring.delete(home));
    this.acquiring.set(home, p);
    return p;
  }

  /** Starts renewing (three times per lease period) and sweeping. */
  start(): void {
    const renewEvery = Math.max(50, Math.floor(this.o.ttlMs / 3));
    const renew = () => {
      this.renewTimer = this.o.clock.setTimeout(() => {
        void this.renewOnce().finally(() => { if (!this.stopped) renew(); });
      }, renewEvery);
    };
    renew();
    const sweepEvery = this.o.sweepEveryMs ?? this.o.ttlMs;
    if (sweepEvery > 0) {
      const sweep = () => {
        this.sweepTimer = this.o.clock.setTimeout(() => {
          void this.sweepOnce().finally(() => { if (!this.stopped) sweep(); });
        }, sweepEvery);
      };
      sweep();
    }
  }

  /** One renewal: every lease in one statement; lost homes and homes nothing uses are let go. */
  async renewOnce(): Promise<void> {
    let lost: string[] = [];
    try {
      lost = await this.o.leases.renewAll();
    } catch (e) {
      this.o.log.warn('cluster: leases could not be renewed', { error: e instanceof Error ? e.message : String(e) });
    }
    for (const home of lost) {
      this.o.log.warn('cluster: lease lost; this node stops acting for the home', { home });
      this.o.hooks.lost(home);
    }
    const now = this.o.clock.now();
    const grace = this.o.idleGraceMs ?? 10_000;
    for (const home of this.o.leases.owned()) {
      if (this.o.hooks.inUse(home) || this.acquiring.has(home) || now - (this.takenAt.get(home) ?? 0) < grace) continue;
      this.o.hooks.lost(home);
      await this.o.leases.release(home).catch(() => {});
    }
  }

  /** Takes homes whose owner stopped renewing them (it died): their bots and timers carry on here. */
  async sweepOnce(): Promise<string[]> {
    if (this.draining || this.stopped) return [];
    let homes: string[];
    try {
      homes = await this.o.leases.expired(20);
    } catch {
      return [];
    }
    const taken: string[] = [];
    for (const home of homes) if (await this.take(home).catch(() => false)) taken.push(home);
    return taken;
  }

  /** Another node released these homes (its drain): take them now. */
  async released(homes: readonly string[]): Promise<void> {
    if (this.draining || this.stopped) return;
    for (const home of homes) await this.take(home).catch(() => false);
  }

  /** A drain: take nothing more, drop every home here and release its lease; returns the homes handed over. */
  async handOver(): Promise<string[]> {
    this.draining = true;
    const homes = this.o.leases.owned();
    for (const home of homes) this.o.hooks.lost(home);
    await this.o.leases.releaseAll();
    return homes;
  }

  /** Stops the loops (leases not released run out by themselves). */
  stop(): void {
    this.stopped = true;
    this.renewTimer?.cancel();
    this.sweepTimer?.cancel();
  }
}
