// The notebook part of the PostgreSQL store (AsyncNotebookStore in ./port.ts), on the pool
// that PostgresStore owns. The same invariants as SQLite's (./sqlite-notebooks.ts): an
// update is committed before it is acknowledged, compaction swaps rows in one transaction,
// and a run is recorded at most once (its trace id goes in with the update adding its cell).
//
// batch(fn) keeps the port's synchronous `fn`: the appends it calls are queued, not sent,
// and committed together in one transaction when fn returns; each of them returns the
// batch's own promise, so a refused batch rejects once, for whoever awaits it.

import type pg from 'pg';
import type { NotebookKind, NotebookPolicy } from '../../protocol/notebook/events.js';
import type { AsyncNotebookStore, NotebookRecord, UpdateRow } from './port.js';
import { inTransaction } from './postgres-pool.js';

interface NotebookRow {
  id: string;
  kind: string;
  ref: string | null;
  owner_hash: string | null;
  policy: string;
  created_at: number;
}

interface Append {
  id: string;
  seq: number;
  data: Uint8Array;
  traces: readonly string[];
}

const asBuffer = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

async function insertUpdate(c: pg.PoolClient, a: Append): Promise<void> {
  await c.query('INSERT INTO notebook_updates (notebook, seq, data) VALUES ($1, $2, $3)', [a.id, a.seq, asBuffer(a.data)]);
  for (const t of a.traces) await c.query('INSERT INTO notebook_traces (notebook, trace) VALUES ($1, $2) ON CONFLICT DO NOTHING', [a.id, t]);
}

export class PostgresNotebookStore implements AsyncNotebookStore {
  private queue: { appends: Append[]; done: Promise<void> } | null = null;

  constructor(private readonly pool: pg.Pool) {}

  async get(id: string): Promise<NotebookRecord | null> {
    const r = (await this.pool.query<NotebookRow>('SELECT * FROM notebooks WHERE id = $1', [id])).rows[0];
    if (!r) return null;
    return { id: r.id, kind: r.kind as NotebookKind, ref: r.ref, ownerHash: r.owner_hash, policy: JSON.parse(r.policy) as NotebookPolicy, createdAt: r.created_at };
  }

  create(rec: NotebookRecord, first: Uint8Array | null, traces: readonly string[] = []): Promise<void> {
    return inTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO notebooks (id, kind, ref, owner_hash, policy, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [rec.id, rec.kind, rec.ref, rec.ownerHash, JSON.stringify(rec.policy), rec.createdAt]);
      if (first) await insertUpdate(c, { id: rec.id, seq: 0, data: first, traces: [] });
      for (const t of traces) await c.query('INSERT INTO notebook_traces (notebook, trace) VALUES ($1, $2) ON CONFLICT DO NOTHING', [rec.id, t]);
    });
  }

  async setPolicy(id: string, policy: NotebookPolicy): Promise<void> {
    await this.pool.query('UPDATE notebooks SET policy = $1 WHERE id = $2', [JSON.stringify(policy), id]);
  }

  batch(fn: () => void): Promise<void> {
    if (this.queue) {
      // Nested: the outer batch commits these appends too.
      fn();
      return this.queue.done;
    }
    let settle!: (e?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (e) => (e === undefined ? resolve() : reject(e as Error));
    });
    const appends: Append[] = [];
    this.queue = { appends, done };
    try {
      fn();
    } catch (e) {
      settle(e);
      return done;
    } finally {
      this.queue = null;
    }
    if (appends.length === 0) settle();
    else inTransaction(this.pool, async (c) => {
      for (const a of appends) await insertUpdate(c, a);
    }).then(() => settle(), (e: unknown) => settle(e ?? new Error('batch failed')));
    return done;
  }

  append(id: string, seq: number, data: Uint8Array, traces: readonly string[] = []): Promise<void> {
    const a: Append = { id, seq, data, traces };
    if (this.queue) {
      this.queue.appends.push(a);
      return this.queue.done;
    }
    return inTransaction(this.pool, (c) => insertUpdate(c, a));
  }

  async updates(id: string): Promise<UpdateRow[]> {
    const r = await this.pool.query<{ seq: number; data: Buffer }>('SELECT seq, data FROM notebook_updates WHERE notebook = $1 ORDER BY seq', [id]);
    return r.rows.map((x) => ({ seq: x.seq, data: new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength) }));
  }

  replaceUpTo(id: string, upTo: number, merged: Uint8Array): Promise<void> {
    return inTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM notebook_updates WHERE notebook = $1 AND seq <= $2', [id, upTo]);
      await insertUpdate(c, { id, seq: upTo, data: merged, traces: [] });
    });
  }

  async stats(id: string): Promise<{ rows: number; bytes: number; last: number }> {
    const r = await this.pool.query<{ rows: number; bytes: number; last: number }>(
      'SELECT COUNT(*) AS rows, COALESCE(SUM(octet_length(data)), 0)::bigint AS bytes, COALESCE(MAX(seq), -1) AS last FROM notebook_updates WHERE notebook = $1', [id]);
    return r.rows[0]!;
  }

  async traces(id: string): Promise<Set<string>> {
    const r = await this.pool.query<{ trace: string }>('SELECT trace FROM notebook_traces WHERE notebook = $1', [id]);
    return new Set(r.rows.map((x) => x.trace));
  }

  async hasTrace(id: string, trace: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM notebook_traces WHERE notebook = $1 AND trace = $2', [id, trace]);
    return r.rowCount !== 0;
  }

  async link(room: string, notebook: string, at: number): Promise<void> {
    await this.pool.query('INSERT INTO notebook_links (room, notebook, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [room, notebook, at]);
  }

  async linksOfRoom(room: string): Promise<{ notebook: string; createdAt: number }[]> {
    const r = await this.pool.query<{ notebook: string; created_at: number }>('SELECT notebook, created_at FROM notebook_links WHERE room = $1 ORDER BY created_at', [room]);
    return r.rows.map((x) => ({ notebook: x.notebook, createdAt: x.created_at }));
  }

  async linksOfNotebook(id: string): Promise<{ room: string; createdAt: number }[]> {
    const r = await this.pool.query<{ room: string; created_at: number }>('SELECT room, created_at FROM notebook_links WHERE notebook = $1 ORDER BY created_at', [id]);
    return r.rows.map((x) => ({ room: x.room, createdAt: x.created_at }));
  }

  async clients(id: string): Promise<Map<number, string>> {
    const r = await this.pool.query<{ client: string; owner_hash: string }>('SELECT client, owner_hash FROM notebook_clients WHERE notebook = $1', [id]);
    return new Map(r.rows.map((x) => [Number(x.client), x.owner_hash]));
  }

  async claimClient(id: string, client: number, ownerHash: string): Promise<void> {
    await this.pool.query('INSERT INTO notebook_clients (notebook, client, owner_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, client, ownerHash]);
  }
}
