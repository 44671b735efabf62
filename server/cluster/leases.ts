// Room ownership in cluster mode: one lease per room in PostgreSQL (room_owner), with a
// fencing token that rises at every change of owner and is never reset. The node holding
// a room's lease is the room's only authority (steps, bots, host timers); the shared store
// checks the token inside each of the room's writes (Fence, ../store/fence.ts), so a node
// that lost the lease without knowing it cannot commit anything for the room.
//
// Expiry is decided by the database's clock alone (clock_timestamp()), so the nodes' clocks
// never need to agree. Renewal keeps the token; a takeover after expiry raises it, and a
// released room keeps its row (a new row starting again at token 1 would let a stale owner
// of token 1 back in).

import type pg from 'pg';
import type { Clock } from '../clock.js';
import type { Fence } from '../store/fence.js';
import { migratePostgres } from '../store/postgres-migrate.js';
import { createPool, schemaOf, type PostgresOptions } from '../store/postgres-pool.js';

export interface LeaseOptions extends PostgresOptions {
  /** This node's id: unique per process (a restarted process is a new owner). */
  node: string;
  /** How long a lease lasts without renewal (ms). */
  ttlMs: number;
  /** For the local view of a lease's validity (holds()). */
  clock: Clock;
}

export interface RoomOwner {
  node: string | null;
  token: number;
  /** Milliseconds left on the lease by the database's clock (<= 0: expired). */
  remainingMs: number;
}

interface Held {
  token: number;
  /** Local time by which the lease has surely expired: renewal start + ttl. */
  validUntil: number;
}

export class RoomLeases implements Fence {
  private readonly held = new Map<string, Held>();
  /** Rooms whose lease is another code's (a class room lives under its class's lease). */
  private readonly placed = new Map<string, string>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly node: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  static async open(opts: LeaseOptions): Promise<RoomLeases> {
    const pool = createPool({ applicationName: `reaplab-lease:${opts.node}`, ...opts, max: opts.max ?? 4 });
    try {
      await migratePostgres(pool, schemaOf(opts));
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new RoomLeases(pool, opts.node, opts.ttlMs, opts.clock);
  }

  /** The token the store presents for the room's writes (the token of the lease the room lives under). */
  tokenOf(room: string): number | null {
    return this.held.get(this.homeOf(room))?.token ?? null;
  }

  /** The lease a room's writes are checked against: its own code, or the class it was placed under. */
  homeOf(room: string): string {
    return this.placed.get(room) ?? room;
  }

  /** Says that `room` lives under the lease `home` (a class room under its class). */
  place(room: string, home: string): void {
    if (room !== home) this.placed.set(room, home);
  }

  /**
   * Whether this node may act for the room on its own (run bots, fire timers): it holds the
   * lease and, by its own clock, the lease cannot have expired yet. Writes are fenced anyway.
   */
  holds(room: string): boolean {
    const h = this.held.get(room);
    return h !== undefined && this.clock.now() < h.validUntil;
  }

  owned(): string[] {
    return [...this.held.keys()];
  }

  /** Takes the room when it is free, expired or already ours; returns the token, or null while another node holds it. */
  async acquire(room: string): Promise<number | null> {
    const started = this.clock.now();
    const r = await this.pool.query<{ token: number }>(
      `INSERT INTO room_owner (code, owner, token, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (code) DO UPDATE SET
         owner = EXCLUDED.owner,
         token = CASE WHEN room_owner.owner = EXCLUDED.owner AND room_owner.expires_at > clock_timestamp() THEN room_owner.token ELSE room_owner.token + 1 END,
         expires_at = EXCLUDED.expires_at
       WHERE room_owner.owner IS NULL OR room_owner.owner = EXCLUDED.owner OR room_owner.expires_at <= clock_timestamp()
       RETURNING token`,
      [room, this.node, this.ttlMs],
    );
    const token = r.rows[0]?.token ?? null;
    if (token === null) this.held.delete(room);
    else this.held.set(room, { token, validUntil: started + this.ttlMs });
    return token;
  }

  /** Extends every lease this node holds; returns the rooms it turned out to have lost (forgotten here). */
  async renewAll(): Promise<string[]> {
    const rooms = this.owned();
    if (rooms.length === 0) return [];
    const started = this.clock.now();
    const tokens = rooms.map((c) => this.held.get(c)!.token);
    const r = await this.pool.query<{ code: string; token: number }>(
      `UPDATE room_owner o SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
       FROM unnest($1::text[], $2::bigint[]) AS h(code, token)
       WHERE o.code = h.code AND o.token = h.token AND o.owner = $3
       RETURNING o.code, o.token`,
      [rooms, tokens, this.node, this.ttlMs],
    );
    const kept = new Set(r.rows.map((x) => x.code));
    const lost: string[] = [];
    for (const [i, room] of rooms.entries()) {
      const h = this.held.get(room);
      if (!h || h.token !== tokens[i]) continue; // re-acquired or released meanwhile
      if (kept.has(room)) h.validUntil = started + this.ttlMs;
      else {
        this.held.delete(room);
        lost.push(room);
      }
    }
    return lost;
  }

  /** Gives the room up at once (a drain): forgotten here first, so no later write of ours carries the token. */
  async release(room: string): Promise<void> {
    const h = this.held.get(room);
    if (!h) return;
    this.held.delete(room);
    await this.pool.query('UPDATE room_owner SET owner = NULL, expires_at = clock_timestamp() WHERE code = $1 AND token = $2', [room, h.token]);
  }

  /** Who holds the room by the database (where a non-owner forwards an intent), or null if nobody ever did. */
  async ownerOf(room: string): Promise<RoomOwner | null> {
    const r = await this.pool.query<{ owner: string | null; token: number; remaining: number }>(
      `SELECT owner, token, (EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000)::float8 AS remaining FROM room_owner WHERE code = $1`,
      [room],
    );
    const row = r.rows[0];
    return row ? { node: row.owner, token: row.token, remainingMs: row.remaining } : null;
  }

  /** Leases whose owner stopped renewing them (a node died): codes, oldest expiry first. Released ones are not listed. */
  async expired(limit: number): Promise<string[]> {
    const r = await this.pool.query<{ code: string }>(
      'SELECT code FROM room_owner WHERE owner IS NOT NULL AND expires_at <= clock_timestamp() ORDER BY expires_at LIMIT $1',
      [limit],
    );
    return r.rows.map((x) => x.code);
  }

  /** The class a stored room belongs to (undefined: no such room). Never changes, so callers may keep it. */
  async classOfRoom(code: string): Promise<string | null | undefined> {
    const r = await this.pool.query<{ class_code: string | null }>('SELECT class_code FROM rooms WHERE code = $1', [code]);
    return r.rows.length ? r.rows[0]!.class_code : undefined;
  }

  /** Releases every room this node holds (a graceful shutdown hands them over at once). */
  async releaseAll(): Promise<string[]> {
    const rooms = this.owned();
    if (rooms.length === 0) return [];
    const tokens = rooms.map((c) => this.held.get(c)!.token);
    this.held.clear();
    await this.pool.query(
      `UPDATE room_owner o SET owner = NULL, expires_at = clock_timestamp()
       FROM unnest($1::text[], $2::bigint[]) AS h(code, token) WHERE o.code = h.code AND o.token = h.token`,
      [rooms, tokens],
    );
    return rooms;
  }

  /** Closes the connections; leases not released expire by themselves, as after a crash. */
  async close(): Promise<void> {
    this.held.clear();
    await this.pool.end();
  }
}
