// The notebook update log's write side: group commit and compaction. Updates queued in one
// turn of the event loop share one transaction (`batch`: one WAL write in SQLite, one round
// of statements in PostgreSQL, instead of one per keystroke); each is relayed to the others
// only after its commit, and its promise then says whether it is on disk. Commits run one
// after another: while one is on its way to a networked database, the next turns' updates
// gather for the following one, so a notebook's rows are committed in seq order. Compaction replaces the log by one row holding the document
// (./compactor.ts): the live copy's encoded state once nothing of it waits for a commit, or
// for a large log the rows rebuilt in a worker — each replaces exactly the rows it holds.

import type { Clock } from '../clock.js';
import type { Log } from '../log.js';
import type { AnyNotebookStore } from '../store/port.js';
import { createCompactor, type Compactor } from './compactor.js';

/** What the log needs of a live notebook. */
export interface LogTarget {
  rec: { id: string };
  nextSeq: number;
  sinceCompact: { updates: number; bytes: number };
  /** Bytes of the whole log on disk. */
  logBytes: number;
  compacting: boolean;
  dead: boolean;
}

export interface UpdateLogDeps<N extends LogTarget> {
  store: AnyNotebookStore;
  clock: Clock;
  log: Log;
  stats: { compactions: number };
  /** Relays a committed update to the notebook's connections but `except`. */
  relay(nb: N, update: Uint8Array, except: string | null): void;
  /** A commit failed: the notebook's in-memory copy holds what the disk does not; drop it. */
  failed(nb: N): void;
  /** The notebook's document as one update; null if the copy is not the whole log (rebuild from the rows). */
  snapshot(nb: N): Uint8Array | null;
  compactUpdates: number;
  compactBytes: number;
  /** Logs of at least this many bytes are compacted in the worker (default 64 KiB). */
  inlineBelow?: number;
}

interface Queued<N> {
  nb: N;
  seq: number;
  update: Uint8Array;
  traces: readonly string[];
  except: string | null;
  done: (saved: boolean) => void;
}

export class UpdateLog<N extends LogTarget> {
  private readonly compactor: Compactor = createCompactor();
  private pending: Queued<N>[] = [];
  private flushScheduled = false;
  /** The commits asked for so far, one after another. */
  private commits: Promise<void> = Promise.resolve();
  /** Updates of each notebook queued or being committed. */
  private readonly unsaved = new Map<N, number>();

  constructor(private readonly d: UpdateLogDeps<N>) {}

  /** Queues an update for the next group commit; resolves true once it is on disk, false if it could not be written. */
  persist(nb: N, update: Uint8Array, except: string | null, traces: readonly string[] = []): Promise<boolean> {
    return new Promise((done) => {
      this.unsaved.set(nb, (this.unsaved.get(nb) ?? 0) + 1);
      this.pending.push({ nb, seq: nb.nextSeq++, update, traces, except, done: (saved) => {
        const left = (this.unsaved.get(nb) ?? 1) - 1;
        if (left > 0) this.unsaved.set(nb, left);
        else this.unsaved.delete(nb);
        done(saved);
      } });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        this.d.clock.defer(() => void this.flush());
      }
    });
  }

  /** Commits what is queued, after the commits already on their way; resolves once it is done. */
  flush(): Promise<void> {
    this.flushScheduled = false;
    this.commits = this.commits.then(() => this.commit()).catch((e: unknown) => {
      this.d.log.error('notebook: a commit of updates failed', { error: String(e) });
    });
    return this.commits;
  }

  private async commit(): Promise<void> {
    const all = this.pending;
    this.pending = [];
    // A notebook whose earlier commit failed was dropped: its later rows would leave a gap.
    const batch = all.filter((p) => !p.nb.dead);
    for (const p of all) if (p.nb.dead) p.done(false);
    if (batch.length === 0) return;
    try {
      await this.d.store.batch(() => {
        for (const p of batch) void this.d.store.append(p.nb.rec.id, p.seq, p.update, p.traces);
      });
    } catch (e) {
      this.d.log.error('notebook: could not append updates; reloading from disk', { notebooks: batch.length, error: String(e) });
      for (const nb of new Set(batch.map((p) => p.nb))) if (!nb.dead) this.d.failed(nb);
      for (const p of batch) p.done(false);
      return;
    }
    for (const p of batch) {
      const nb = p.nb;
      nb.sinceCompact.updates++;
      nb.sinceCompact.bytes += p.update.byteLength;
      nb.logBytes += p.update.byteLength;
      if (!nb.dead) {
        this.d.relay(nb, p.update, p.except);
        if (nb.sinceCompact.updates >= this.d.compactUpdates || nb.sinceCompact.bytes >= this.d.compactBytes) {
          this.d.clock.setTimeout(() => void this.compact(nb), 0);
        }
      }
      p.done(true);
    }
  }

  /** Replaces the whole log by one row holding the document. */
  async compact(nb: N): Promise<void> {
    if (nb.compacting || nb.dead) return;
    nb.compacting = true;
    try {
      // Its updates still queued are committed first: the document then holds what the disk does.
      if (this.unsaved.has(nb)) await this.flush();
      if (nb.dead || nb.sinceCompact.updates === 0) return;
      // The live copy is the log only while none of its updates waits for a commit.
      if (nb.logBytes < (this.d.inlineBelow ?? 64 * 1024) && !this.unsaved.has(nb)) {
        const snapshot = this.d.snapshot(nb);
        if (snapshot) {
          await this.replace(nb, nb.nextSeq - 1, snapshot, { ...nb.sinceCompact });
          return;
        }
      }
      const rows = await this.d.store.updates(nb.rec.id);
      if (rows.length <= 1) {
        nb.sinceCompact = { updates: 0, bytes: 0 };
        return;
      }
      const upTo = rows[rows.length - 1]!.seq;
      const counted = { ...nb.sinceCompact };
      const snapshot = await this.compactor.rebuild(rows.map((r) => r.data));
      // The new row holds exactly the rows it replaces, whatever was appended meanwhile.
      if (!nb.dead) await this.replace(nb, upTo, snapshot, counted);
    } catch (e) {
      this.d.log.error('notebook: compaction failed; the log stays as it was', { notebook: nb.rec.id, error: String(e) });
    } finally {
      nb.compacting = false;
    }
  }

  /** Swaps rows seq <= upTo for `snapshot`; `counted` is what those rows added since the last compaction. */
  private async replace(nb: N, upTo: number, snapshot: Uint8Array, counted: { updates: number; bytes: number }): Promise<void> {
    await this.d.store.replaceUpTo(nb.rec.id, upTo, snapshot);
    nb.sinceCompact.updates = Math.max(0, nb.sinceCompact.updates - counted.updates);
    nb.sinceCompact.bytes = Math.max(0, nb.sinceCompact.bytes - counted.bytes);
    nb.logBytes = snapshot.byteLength + nb.sinceCompact.bytes;
    this.d.stats.compactions++;
  }

  stop(): Promise<void> {
    return this.compactor.stop();
  }
}
