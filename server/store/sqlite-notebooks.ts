// The notebook part of the SQLite store (./port.ts NotebookStore), on the connection that
// SqliteStore owns; its tables come from ./migrations.ts.
//
// Invariants:
//  - an update is appended (one synchronous transaction) before the server acknowledges
//    it, so a crash of the process never loses an acknowledged edit;
//  - compaction replaces rows seq <= S by one row at seq S holding the document they make
//    (one update), in one transaction — a reader sees the old rows or the new one, never neither;
//  - a run is recorded in a notebook at most once: the trace id goes into
//    notebook_traces in the same transaction as the update that adds its cell.

import type Database from 'better-sqlite3';
import type { NotebookKind, NotebookPolicy } from '../../protocol/notebook/events.js';
import type { NotebookRecord, NotebookStore, UpdateRow } from './port.js';

interface NotebookRow {
  id: string;
  kind: string;
  ref: string | null;
  owner_hash: string | null;
  policy: string;
  created_at: number;
}

export class SqliteNotebookStore implements NotebookStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      get: db.prepare('SELECT * FROM notebooks WHERE id = ?'),
      insert: db.prepare('INSERT INTO notebooks (id, kind, ref, owner_hash, policy, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      policy: db.prepare('UPDATE notebooks SET policy = ? WHERE id = ?'),
      append: db.prepare('INSERT INTO notebook_updates (notebook, seq, data) VALUES (?, ?, ?)'),
      updates: db.prepare('SELECT seq, data FROM notebook_updates WHERE notebook = ? ORDER BY seq'),
      deleteUpTo: db.prepare('DELETE FROM notebook_updates WHERE notebook = ? AND seq <= ?'),
      stats: db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes, COALESCE(MAX(seq), -1) AS last FROM notebook_updates WHERE notebook = ?'),
      addTrace: db.prepare('INSERT OR IGNORE INTO notebook_traces (notebook, trace) VALUES (?, ?)'),
      traces: db.prepare('SELECT trace FROM notebook_traces WHERE notebook = ?').pluck(),
      hasTrace: db.prepare('SELECT 1 FROM notebook_traces WHERE notebook = ? AND trace = ?').pluck(),
      link: db.prepare('INSERT OR IGNORE INTO notebook_links (room, notebook, created_at) VALUES (?, ?, ?)'),
      linksOfRoom: db.prepare('SELECT notebook, created_at FROM notebook_links WHERE room = ? ORDER BY created_at'),
      clients: db.prepare('SELECT client, owner_hash FROM notebook_clients WHERE notebook = ?'),
      claimClient: db.prepare('INSERT OR IGNORE INTO notebook_clients (notebook, client, owner_hash) VALUES (?, ?, ?)'),
      linksOfNotebook: db.prepare('SELECT room, created_at FROM notebook_links WHERE notebook = ? ORDER BY created_at'),
    };
  }

  get(id: string): NotebookRecord | null {
    const r = this.st.get.get(id) as NotebookRow | undefined;
    if (!r) return null;
    return { id: r.id, kind: r.kind as NotebookKind, ref: r.ref, ownerHash: r.owner_hash, policy: JSON.parse(r.policy) as NotebookPolicy, createdAt: r.created_at };
  }

  /** Creates the notebook with its first update (seq 0) in one transaction. */
  create(rec: NotebookRecord, first: Uint8Array | null, traces: readonly string[] = []): void {
    this.db.transaction(() => {
      this.st.insert.run(rec.id, rec.kind, rec.ref, rec.ownerHash, JSON.stringify(rec.policy), rec.createdAt);
      if (first) this.st.append.run(rec.id, 0, first);
      for (const t of traces) this.st.addTrace.run(rec.id, t);
    })();
  }

  setPolicy(id: string, policy: NotebookPolicy): void {
    this.st.policy.run(JSON.stringify(policy), id);
  }

  /** Runs `fn` in one transaction (a group commit of several appends). */
  batch(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /** Appends one update (and marks runs as recorded) in one transaction. */
  append(id: string, seq: number, data: Uint8Array, traces: readonly string[] = []): void {
    if (traces.length === 0) {
      this.st.append.run(id, seq, data);
      return;
    }
    this.db.transaction(() => {
      this.st.append.run(id, seq, data);
      for (const t of traces) this.st.addTrace.run(id, t);
    })();
  }

  updates(id: string): UpdateRow[] {
    return (this.st.updates.all(id) as { seq: number; data: Buffer }[]).map((r) => ({ seq: r.seq, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength) }));
  }

  /** Replaces rows seq <= upTo by one row at upTo (compaction). */
  replaceUpTo(id: string, upTo: number, merged: Uint8Array): void {
    this.db.transaction(() => {
      this.st.deleteUpTo.run(id, upTo);
      this.st.append.run(id, upTo, merged);
    })();
  }

  stats(id: string): { rows: number; bytes: number; last: number } {
    return this.st.stats.get(id) as { rows: number; bytes: number; last: number };
  }

  traces(id: string): Set<string> {
    return new Set(this.st.traces.all(id) as string[]);
  }

  hasTrace(id: string, trace: string): boolean {
    return this.st.hasTrace.get(id, trace) !== undefined;
  }

  link(room: string, notebook: string, at: number): void {
    this.st.link.run(room, notebook, at);
  }

  linksOfRoom(room: string): { notebook: string; createdAt: number }[] {
    return (this.st.linksOfRoom.all(room) as { notebook: string; created_at: number }[]).map((r) => ({ notebook: r.notebook, createdAt: r.created_at }));
  }

  linksOfNotebook(id: string): { room: string; createdAt: number }[] {
    return (this.st.linksOfNotebook.all(id) as { room: string; created_at: number }[]).map((r) => ({ room: r.room, createdAt: r.created_at }));
  }

  clients(id: string): Map<number, string> {
    return new Map((this.st.clients.all(id) as { client: number; owner_hash: string }[]).map((r) => [r.client, r.owner_hash]));
  }

  claimClient(id: string, client: number, ownerHash: string): void {
    this.st.claimClient.run(id, client, ownerHash);
  }
}
