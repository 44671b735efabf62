// Notebooks: the server's copy of each open notebook (a Y.Doc and its presence), the
// seats of the people in it, and the one write path every edit takes — check the seat,
// validate the update against the schema, apply it, append it to the log, acknowledge,
// relay. The server also writes cells itself: the lesson when a room's notebook is
// created, and a trace cell for every finished run (the game's run:finished hook).
// Nothing here knows about sockets: the transport calls these methods with a socket id
// and relays what the NotebookRelay is told.
//
// Invariants:
//  - the update log is written before memory is trusted and before any ack or relay: an
//    edit nobody else has seen is an edit the disk has (a failed write drops the
//    in-memory copy, which is reloaded from disk);
//  - a rejected message changes nothing (no document change, no row, no relay);
//  - the document is the only authority: seats and policy live in SQLite beside it, and
//    nothing derived (replays, explorer results) is stored.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, modifyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { isScenarioError, makeScenario, type Config, type Scenario } from '../../engine/index.js';
import type { RunTrace } from '../../protocol/events.js';
import {
  explorerScenarioOf, insertCells, lessonRecord, setTitle, traceRecordFromRun, type CellCreated, type CellSpec,
} from '../../protocol/notebook/doc.js';
import type {
  NotebookAck, NotebookCredential, NotebookErrorCode, NotebookJoinedData, NotebookJoinPayload, NotebookKind, NotebookMeta,
  NotebookPlayData, NotebookPlayPayload, NotebookPolicy, NotebookPolicyPayload, NotebookSeat,
} from '../../protocol/notebook/events.js';
import { NOTEBOOKS_PER_CONNECTION } from '../../protocol/notebook/events.js';
import type { ClassService } from '../classes.js';
import type { Clock, Timer } from '../clock.js';
import { hashToken, newToken } from '../ids.js';
import type { LessonCatalog } from '../lessons.js';
import type { Log } from '../log.js';
import { creatorRole, type RoomService } from '../rooms.js';
import { notebookMayEdit, notebookMayManage, notebookSeatOfPlayer } from '../../protocol/rules.js';
import type { NotebookStore, Store } from '../store/port.js';
import { createMerger, type Merger } from './merge.js';
import type { NotebookRecord } from '../store/port.js';
import { validateUpdate } from './validate.js';

export type NbResult<T> = NotebookAck<T>;

export function nbOk<T>(data: T): NbResult<T> {
  return { ok: true, data };
}

export function nbFail<T = never>(code: NotebookErrorCode, message: string): NbResult<T> {
  return { ok: false, error: { code, message } };
}

/** How the service reaches connections (the socket layer implements it). */
export interface NotebookRelay {
  /** A sync message to everyone in the notebook but `except`. */
  sync(id: string, data: Uint8Array, except: string | null): void;
  awareness(id: string, data: Uint8Array, except: string | null): void;
  /** A sync message to one connection. */
  syncTo(socketId: string, id: string, data: Uint8Array): void;
  awarenessTo(socketId: string, id: string, data: Uint8Array): void;
  meta(socketId: string, d: { id: string; meta: NotebookMeta; seat: NotebookSeat; canEdit: boolean }): void;
  reset(socketId: string, d: { id: string; reason: string }): void;
}

export interface NotebookServiceOptions {
  store: NotebookStore;
  /** The game's store: rooms, classes and finished runs. */
  game: Store;
  rooms: RoomService;
  classes: ClassService;
  lessons: LessonCatalog;
  clock: Clock;
  log: Log;
  relay: NotebookRelay;
  /** Compact a notebook's log once this many updates (or bytes) have been appended since the last compaction. */
  compactUpdates?: number;
  compactBytes?: number;
  /** Drop an idle notebook from memory this long after its last connection left (ms). */
  idleUnloadMs?: number;
}

interface Conn {
  socketId: string;
  name: string;
  seat: NotebookSeat;
  /** Awareness client ids this connection speaks for. */
  clients: Set<number>;
}

interface LiveNotebook {
  rec: NotebookRecord;
  doc: Y.Doc;
  awareness: Awareness;
  conns: Map<string, Conn>;
  nextSeq: number;
  sinceCompact: { updates: number; bytes: number };
  compacting: boolean;
  unloadTimer: Timer | null;
  /** Updates produced by the transaction being applied (the doc's 'update' events). */
  collect: Uint8Array[] | null;
  /** Runs recorded here: on disk, or queued for the next commit. */
  traces: Set<string>;
  dead: boolean;
}

const SERVER = 'reaplab';
const MSG_STEP1 = syncProtocol.messageYjsSyncStep1;
const MSG_STEP2 = syncProtocol.messageYjsSyncStep2;
const MSG_UPDATE = syncProtocol.messageYjsUpdate;

export const DEFAULT_POLICIES: Record<NotebookKind, NotebookPolicy> = {
  free: { spectators: 'read', visitors: 'player', locked: false },
  room: { spectators: 'read', visitors: 'spectator', locked: false },
  class: { spectators: 'read', visitors: 'spectator', locked: false },
};

/** Which notebook an id names: a room's, a class's, or a free one. */
export function notebookKind(id: string): { kind: NotebookKind; ref: string | null } {
  const m = /^(room|class)-([A-Z0-9]{4,8})$/.exec(id);
  if (m) return { kind: m[1] as 'room' | 'class', ref: m[2]! };
  return { kind: 'free', ref: null };
}

/** A y-protocols sync message. */
export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

const EMPTY_UPDATE_LEN = 2;

export class NotebookService {
  private readonly live = new Map<string, LiveNotebook>();
  /** socket id → notebooks it has joined. */
  private readonly bySocket = new Map<string, Set<string>>();
  private readonly merger: Merger;
  private readonly compactUpdates: number;
  private readonly compactBytes: number;
  private readonly idleUnloadMs: number;
  private stopped = false;
  private pending: { nb: LiveNotebook; seq: number; update: Uint8Array; traces: readonly string[]; except: string | null; done: (saved: boolean) => void }[] = [];
  private flushScheduled = false;
  readonly stats = { updates: 0, rejected: 0, compactions: 0, loads: 0, bytesIn: 0 };

  constructor(private readonly o: NotebookServiceOptions) {
    this.merger = createMerger();
    this.compactUpdates = o.compactUpdates ?? 500;
    this.compactBytes = o.compactBytes ?? 256 * 1024;
    this.idleUnloadMs = o.idleUnloadMs ?? 30_000;
  }

  get loadedNotebooks(): number {
    return this.live.size;
  }

  // ---------------------------------------------------------------- loading

  private meta(rec: NotebookRecord): NotebookMeta {
    return { id: rec.id, kind: rec.kind, ref: rec.ref, policy: { ...rec.policy }, createdAt: new Date(rec.createdAt).toISOString() };
  }

  /** Whether the notebook is in memory now (open somewhere, or used lately). */
  isLive(id: string): boolean {
    return this.live.has(id);
  }

  /** The live notebook, loading it from the log (and recording runs it missed) on first use. */
  private load(id: string): LiveNotebook | null {
    const had = this.live.get(id);
    if (had) return had;
    const rec = this.o.store.get(id);
    if (!rec) return null;
    const doc = new Y.Doc();
    const rows = this.o.store.updates(id);
    doc.transact(() => {
      for (const r of rows) {
        try {
          Y.applyUpdate(doc, r.data);
        } catch (e) {
          this.o.log.error('notebook: a stored update does not apply; skipped', { notebook: id, seq: r.seq, error: String(e) });
        }
      }
    }, SERVER);
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const nb: LiveNotebook = {
      rec,
      doc,
      awareness,
      conns: new Map(),
      nextSeq: rows.length ? rows[rows.length - 1]!.seq + 1 : 0,
      sinceCompact: { updates: Math.max(0, rows.length - 1), bytes: rows.slice(1).reduce((n, r) => n + r.data.byteLength, 0) },
      compacting: false,
      unloadTimer: null,
      collect: null,
      dead: false,
      traces: this.o.store.traces(id),
    };
    doc.on('update', (u: Uint8Array) => { nb.collect?.push(u); });
    // Presence the server itself changes (someone left, a state timed out) goes to everyone;
    // a connection's own update is relayed as it came, by awareness() below.
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (nb.dead || (typeof origin === 'string' && origin !== SERVER)) return;
      const changed = [...added, ...updated, ...removed];
      if (changed.length) this.o.relay.awareness(id, encodeAwarenessUpdate(awareness, changed), null);
    });
    this.live.set(id, nb);
    this.stats.loads++;
    this.reconcile(nb);
    this.scheduleUnload(nb);
    return nb;
  }

  /** Creates a notebook's record and first content; null when the id names a room or class that does not exist. */
  private create(id: string): { nb: LiveNotebook; ownerToken?: string } | null {
    const { kind, ref } = notebookKind(id);
    const doc = new Y.Doc();
    const created: CellCreated = { by: SERVER, at: new Date(this.o.clock.now()).toISOString(), via: 'server' };
    let ownerToken: string | undefined;
    let ownerHash: string | null = null;
    if (kind === 'free') {
      ownerToken = newToken();
      ownerHash = hashToken(ownerToken);
      setTitle(doc, 'Untitled notebook', SERVER);
    } else if (kind === 'room') {
      const room = this.o.rooms.room(ref!);
      if (!room) return null;
      const lesson = room.lesson;
      setTitle(doc, `Room ${ref}${lesson ? ` — ${lesson.title}` : ` — ${room.rec.scenario.variant} × ${room.rec.scenario.config.id}`}`, SERVER);
      this.seed(doc, lesson ? { lesson, scenario: room.rec.scenario } : null, room.rec.scenario, created);
    } else {
      const cls = this.o.game.getClass(ref!);
      if (!cls) return null;
      const lesson = this.o.lessons.get(cls.lesson);
      const scenario = lesson ? this.o.lessons.scenario(lesson) : null;
      setTitle(doc, `Class ${ref}${lesson ? ` — ${lesson.title}` : ''}`, SERVER);
      if (lesson && scenario) this.seed(doc, { lesson, scenario }, scenario, created);
    }
    const rec: NotebookRecord = { id, kind, ref, ownerHash, policy: { ...DEFAULT_POLICIES[kind] }, createdAt: this.o.clock.now() };
    this.o.store.create(rec, Y.encodeStateAsUpdate(doc));
    this.o.log.info('notebook: created', { notebook: id, kind });
    const nb = this.load(id);
    if (!nb) throw new Error(`notebook ${id} vanished after create`);
    return { nb, ...(ownerToken ? { ownerToken } : {}) };
  }

  private seed(doc: Y.Doc, lesson: { lesson: Parameters<typeof lessonRecord>[0]; scenario: Scenario } | null, scenario: Scenario, created: CellCreated): void {
    const specs: { spec: CellSpec; created: CellCreated }[] = [];
    if (lesson) specs.push({ spec: { kind: 'lesson', lesson: lessonRecord(lesson.lesson, lesson.scenario) }, created });
    specs.push({ spec: { kind: 'explorer', scenario: explorerScenarioOf(scenario), notes: 'Which outcomes can this scenario reach, and which have we found so far?' }, created });
    insertCells(doc, specs, undefined, SERVER);
  }

  /** Records the finished runs this notebook should hold but does not (a crash between a run and its cell, or runs before the notebook existed). */
  private reconcile(nb: LiveNotebook): void {
    const { rec } = nb;
    let runs: RunTrace[] = [];
    if (rec.kind === 'room') runs = this.o.game.listTraces(rec.ref!, 200).reverse();
    else if (rec.kind === 'class') runs = this.o.game.listClassTraces(rec.ref!);
    for (const link of this.o.store.linksOfNotebook(rec.id)) {
      runs.push(...this.o.game.listTraces(link.room, 200).reverse().filter((t) => Date.parse(t.finishedAt) >= link.createdAt));
    }
    if (runs.length === 0) return;
    const missing = runs.filter((t) => !nb.traces.has(t.id));
    if (missing.length === 0) return;
    missing.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    this.commitServer(nb, (doc) => {
      insertCells(doc, missing.map((t) => ({ spec: { kind: 'trace' as const, trace: traceRecordFromRun(t) }, created: { by: SERVER, at: t.finishedAt, via: 'server' as const } })), undefined, SERVER);
    }, missing.map((t) => t.id));
  }

  private scheduleUnload(nb: LiveNotebook): void {
    nb.unloadTimer?.cancel();
    nb.unloadTimer = null;
    if (nb.conns.size > 0 || nb.dead) return;
    nb.unloadTimer = this.o.clock.setTimeout(() => {
      nb.unloadTimer = null;
      if (nb.conns.size > 0 || nb.dead) return;
      void this.compact(nb).finally(() => {
        if (nb.conns.size === 0 && !nb.dead && !nb.compacting) this.drop(nb);
      });
    }, this.idleUnloadMs);
  }

  private drop(nb: LiveNotebook): void {
    nb.dead = true;
    nb.unloadTimer?.cancel();
    nb.awareness.destroy();
    nb.doc.destroy();
    if (this.live.get(nb.rec.id) === nb) this.live.delete(nb.rec.id);
  }

  // ---------------------------------------------------------------- writing

  /** Applies an update that already passed validation (or comes from the server) and returns what the document actually gained. */
  private applyCollect(nb: LiveNotebook, apply: () => void): Uint8Array | null {
    const got: Uint8Array[] = [];
    nb.collect = got;
    try {
      apply();
    } finally {
      nb.collect = null;
    }
    if (got.length === 0) return null;
    return got.length === 1 ? got[0]! : Y.mergeUpdates(got);
  }

  /**
   * Queues an update for the next group commit and resolves once it is on disk (true) or
   * could not be written (false: the notebook's in-memory copy, which holds what the disk
   * does not, was dropped and everyone told to resync). Updates that arrive in the same turn
   * of the event loop share one SQLite transaction: one WAL write instead of one per
   * keystroke. Nobody else sees an update before its commit: flush() relays it.
   */
  private persist(nb: LiveNotebook, update: Uint8Array, except: string | null, traces: readonly string[] = []): Promise<boolean> {
    return new Promise((done) => {
      this.pending.push({ nb, seq: nb.nextSeq++, update, traces, except, done });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    if (batch.length === 0) return;
    try {
      this.o.store.batch(() => {
        for (const p of batch) this.o.store.append(p.nb.rec.id, p.seq, p.update, p.traces);
      });
    } catch (e) {
      this.o.log.error('notebook: could not append updates; reloading from disk', { notebooks: batch.length, error: String(e) });
      for (const nb of new Set(batch.map((p) => p.nb))) if (!nb.dead) this.reset(nb, 'the server could not save the last change; reconnecting reloads the notebook');
      for (const p of batch) p.done(false);
      return;
    }
    for (const p of batch) {
      const nb = p.nb;
      nb.sinceCompact.updates++;
      nb.sinceCompact.bytes += p.update.byteLength;
      if (!nb.dead) {
        this.o.relay.sync(nb.rec.id, syncMessage(MSG_UPDATE, p.update), p.except);
        if (nb.sinceCompact.updates >= this.compactUpdates || nb.sinceCompact.bytes >= this.compactBytes) {
          this.o.clock.setTimeout(() => void this.compact(nb), 0);
        }
      }
      p.done(true);
    }
  }

  private reset(nb: LiveNotebook, reason: string): void {
    for (const c of nb.conns.values()) {
      this.bySocket.get(c.socketId)?.delete(nb.rec.id);
      this.o.relay.reset(c.socketId, { id: nb.rec.id, reason });
    }
    nb.conns.clear();
    this.drop(nb);
  }

  /** A change made by the server itself (seeding, finished runs): applied, then committed and relayed to everyone. */
  private commitServer(nb: LiveNotebook, change: (doc: Y.Doc) => void, traces: readonly string[] = []): void {
    for (const t of traces) nb.traces.add(t);
    const update = this.applyCollect(nb, () => change(nb.doc));
    if (update) void this.persist(nb, update, null, traces);
  }

  /** Compacts the log off the hot path: merges every row up to the last one into one. */
  compact(nb: LiveNotebook): Promise<void> {
    if (nb.compacting || nb.dead) return Promise.resolve();
    const rows = this.o.store.updates(nb.rec.id);
    if (rows.length <= 1) {
      nb.sinceCompact = { updates: 0, bytes: 0 };
      return Promise.resolve();
    }
    nb.compacting = true;
    const upTo = rows[rows.length - 1]!.seq;
    const counted = { ...nb.sinceCompact };
    return this.merger.merge(rows.map((r) => r.data)).then((merged) => {
      // Correct whatever happened to the in-memory copy meanwhile: the merged row holds exactly the rows it replaces.
      this.o.store.replaceUpTo(nb.rec.id, upTo, merged);
      nb.sinceCompact.updates = Math.max(0, nb.sinceCompact.updates - counted.updates);
      nb.sinceCompact.bytes = Math.max(0, nb.sinceCompact.bytes - counted.bytes);
      this.stats.compactions++;
    }).catch((e: unknown) => {
      this.o.log.error('notebook: compaction failed; the log stays as it was', { notebook: nb.rec.id, error: String(e) });
    }).finally(() => {
      nb.compacting = false;
    });
  }

  /** Compacts every loaded notebook (shutdown, benchmarks). */
  async compactAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((nb) => this.compact(nb)));
  }

  // ---------------------------------------------------------------- seats

  private seatFor(rec: NotebookRecord, cred: NotebookCredential | undefined): NotebookSeat {
    const visitor = rec.policy.visitors;
    if (!cred) return visitor;
    if (rec.kind === 'free') return cred.kind === 'owner' && rec.ownerHash === hashToken(cred.token) ? 'host' : visitor;
    if (cred.kind === 'teacher') {
      return rec.kind === 'class' && this.o.classes.watch(rec.ref!, cred.token).ok ? 'host' : visitor;
    }
    if (cred.kind !== 'room') return visitor;
    const room = this.o.rooms.room(cred.room);
    if (!room) return visitor;
    if (rec.kind === 'room' && room.rec.code !== rec.ref) return visitor;
    if (rec.kind === 'class' && room.rec.classCode !== rec.ref) return visitor;
    const hash = hashToken(cred.token);
    const player = room.players.find((p) => p.tokenHash === hash);
    if (!player) return visitor;
    return notebookSeatOfPlayer(this.o.rooms.table(room), player.id, rec.kind) ?? visitor;
  }

  // ---------------------------------------------------------------- the connection's requests

  join(socketId: string, p: NotebookJoinPayload): NbResult<NotebookJoinedData> {
    const mine = this.bySocket.get(socketId) ?? new Set<string>();
    if (!mine.has(p.id) && mine.size >= NOTEBOOKS_PER_CONNECTION) {
      return nbFail('too_many_notebooks', `one connection keeps at most ${NOTEBOOKS_PER_CONNECTION} notebooks open; close one first`);
    }
    let ownerToken: string | undefined;
    let nb = this.load(p.id);
    if (!nb) {
      const made = this.create(p.id);
      if (!made) {
        const { kind, ref } = notebookKind(p.id);
        return nbFail('unknown_notebook', `there is no ${kind} ${ref}; check the code, or open a new notebook from the first screen`);
      }
      nb = made.nb;
      ownerToken = made.ownerToken;
    }
    const seat: NotebookSeat = ownerToken ? 'host' : this.seatFor(nb.rec, p.credential);
    const old = nb.conns.get(socketId);
    if (old) this.dropPresence(nb, old);
    nb.conns.set(socketId, { socketId, name: p.name, seat, clients: new Set() });
    mine.add(p.id);
    this.bySocket.set(socketId, mine);
    this.scheduleUnload(nb);
    return nbOk({ meta: this.meta(nb.rec), seat, canEdit: notebookMayEdit(seat, nb.rec.policy), ...(ownerToken ? { ownerToken } : {}) });
  }

  /** What a connection gets right after its join is acknowledged: the server's state vector, and who is here. */
  greet(socketId: string, id: string): void {
    const nb = this.live.get(id);
    if (!nb?.conns.has(socketId)) return;
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, nb.doc);
    this.o.relay.syncTo(socketId, id, encoding.toUint8Array(e));
    const states = [...nb.awareness.getStates().keys()];
    if (states.length) this.o.relay.awarenessTo(socketId, id, encodeAwarenessUpdate(nb.awareness, states));
  }

  leave(socketId: string, id: string): NbResult<Record<string, never>> {
    const nb = this.live.get(id);
    const conn = nb?.conns.get(socketId);
    this.bySocket.get(socketId)?.delete(id);
    if (!nb || !conn) return nbOk({});
    nb.conns.delete(socketId);
    this.dropPresence(nb, conn);
    this.scheduleUnload(nb);
    return nbOk({});
  }

  disconnect(socketId: string): void {
    for (const id of [...(this.bySocket.get(socketId) ?? [])]) this.leave(socketId, id);
    this.bySocket.delete(socketId);
  }

  private dropPresence(nb: LiveNotebook, conn: Conn): void {
    const ids = [...conn.clients].filter((c) => nb.awareness.getStates().has(c));
    conn.clients.clear();
    if (ids.length) removeAwarenessStates(nb.awareness, ids, SERVER);
  }

  private attached(socketId: string, id: string): NbResult<{ nb: LiveNotebook; conn: Conn }> {
    const nb = this.live.get(id);
    const conn = nb?.conns.get(socketId);
    if (!nb || !conn) return nbFail('not_joined', `join notebook ${id} first (notebook:join)`);
    return nbOk({ nb, conn });
  }

  private rejected<T>(id: string, socketId: string, r: NbResult<T>): NbResult<T> {
    this.stats.rejected++;
    if (!r.ok) this.o.log.warn('notebook: message rejected', { notebook: id, socket: socketId, code: r.error.code, reason: r.error.message.slice(0, 200) });
    return r;
  }

  /** One y-protocols sync message from a connection; a change is acknowledged once it is on disk (a promise). */
  sync(socketId: string, id: string, message: Uint8Array): NbResult<Record<string, never>> | Promise<NbResult<Record<string, never>>> {
    const a = this.attached(socketId, id);
    if (!a.ok) return this.rejected(id, socketId, a);
    const { nb, conn } = a.data;
    let type: number;
    let payload: Uint8Array;
    try {
      const d = decoding.createDecoder(message);
      type = decoding.readVarUint(d);
      payload = decoding.readVarUint8Array(d);
      if (decoding.hasContent(d)) throw new Error('trailing bytes');
    } catch {
      return this.rejected(id, socketId, nbFail('bad_update', 'not a y-protocols sync message; reload the page'));
    }
    this.stats.bytesIn += message.byteLength;
    if (type === MSG_STEP1) {
      let diff: Uint8Array;
      try {
        diff = Y.encodeStateAsUpdate(nb.doc, payload);
      } catch {
        return this.rejected(id, socketId, nbFail('bad_update', 'the state vector does not decode; reload the page'));
      }
      this.o.relay.syncTo(socketId, id, syncMessage(MSG_STEP2, diff));
      return nbOk({});
    }
    if (type !== MSG_STEP2 && type !== MSG_UPDATE) return this.rejected(id, socketId, nbFail('bad_update', `unknown sync message type ${type}`));
    return this.write(nb, conn, payload);
  }

  private write(nb: LiveNotebook, conn: Conn, update: Uint8Array): NbResult<Record<string, never>> | Promise<NbResult<Record<string, never>>> {
    const id = nb.rec.id;
    if (update.byteLength <= EMPTY_UPDATE_LEN && update.every((b) => b === 0)) return nbOk({});
    if (!notebookMayEdit(conn.seat, nb.rec.policy)) {
      return this.rejected(id, conn.socketId, nb.rec.policy.locked
        ? nbFail('locked', 'the host has locked this notebook; your change was not saved')
        : nbFail('read_only', 'spectators read this notebook; ask the host to let spectators edit, or take a seat in the room'));
    }
    const v = validateUpdate(nb.doc, update, { deleteRecords: notebookMayManage(conn.seat) });
    if (!v.ok) {
      if (v.code === 'missing_dependency') this.greet(conn.socketId, id);
      return this.rejected(id, conn.socketId, nbFail(v.code, v.message));
    }
    if (v.empty) return nbOk({});
    let gained: Uint8Array | null;
    try {
      gained = this.applyCollect(nb, () => Y.applyUpdate(nb.doc, update, conn.socketId));
    } catch (e) {
      // Validation passed but Yjs refused: the document may hold part of it, so reload from disk.
      this.o.log.error('notebook: a validated update failed to apply; reloading', { notebook: id, error: String(e) });
      this.reset(nb, 'the server could not apply a change; reconnecting reloads the notebook');
      return nbFail('internal', 'the server could not apply this change; the notebook reloads');
    }
    if (!gained) return nbOk({});
    return this.persist(nb, gained, conn.socketId).then((saved) => {
      if (!saved) return nbFail('internal', 'the server could not save this change; the notebook reloads, and your edits are sent again');
      this.stats.updates++;
      return nbOk({});
    });
  }

  /** One y-protocols awareness update (presence: name, colour, cursor). */
  awareness(socketId: string, id: string, data: Uint8Array): NbResult<Record<string, never>> {
    const a = this.attached(socketId, id);
    if (!a.ok) return this.rejected(id, socketId, a);
    const { nb, conn } = a.data;
    const checked = checkAwareness(data);
    if (typeof checked === 'string') return this.rejected(id, socketId, nbFail('bad_request', `presence: ${checked}`));
    for (const { client } of checked) {
      if (conn.clients.has(client)) continue;
      for (const other of nb.conns.values()) {
        if (other !== conn && other.clients.has(client)) return this.rejected(id, socketId, nbFail('bad_request', 'presence: that client id belongs to another connection'));
      }
      if (conn.clients.size >= 2) return this.rejected(id, socketId, nbFail('bad_request', 'presence: one connection speaks for at most two clients'));
      conn.clients.add(client);
    }
    // The name shown is the one this connection joined with, whatever the update says.
    const honest = checked.every((e) => e.name === null || e.name === conn.name);
    const named = honest ? data : modifyAwarenessUpdate(data, (state: unknown) => {
      if (!state || typeof state !== 'object') return state;
      const s = state as { user?: Record<string, unknown> };
      return { ...s, user: { ...(s.user ?? {}), name: conn.name } };
    });
    applyAwarenessUpdate(nb.awareness, named, socketId);
    this.o.relay.awareness(id, named, socketId);
    return nbOk({});
  }

  setPolicy(socketId: string, p: NotebookPolicyPayload): NbResult<NotebookMeta> {
    const a = this.attached(socketId, p.id);
    if (!a.ok) return this.rejected(p.id, socketId, a);
    const { nb, conn } = a.data;
    if (!notebookMayManage(conn.seat)) return this.rejected(p.id, socketId, nbFail('not_host', 'only the host can change who may edit, or lock the notebook'));
    const policy: NotebookPolicy = {
      spectators: p.spectators ?? nb.rec.policy.spectators,
      visitors: p.visitors ?? nb.rec.policy.visitors,
      locked: p.locked ?? nb.rec.policy.locked,
    };
    this.o.store.setPolicy(nb.rec.id, policy);
    nb.rec.policy = policy;
    const meta = this.meta(nb.rec);
    for (const c of nb.conns.values()) this.o.relay.meta(c.socketId, { id: nb.rec.id, meta, seat: c.seat, canEdit: notebookMayEdit(c.seat, policy) });
    this.o.log.info('notebook: policy', { notebook: nb.rec.id, spectators: policy.spectators, visitors: policy.visitors, locked: policy.locked });
    return nbOk(meta);
  }

  /** Opens a room whose runs land in this notebook; the caller gets the room's host seat (its token). */
  play(socketId: string, p: NotebookPlayPayload): NbResult<NotebookPlayData> {
    const a = this.attached(socketId, p.id);
    if (!a.ok) return this.rejected(p.id, socketId, a);
    const { nb, conn } = a.data;
    if (!notebookMayEdit(conn.seat, nb.rec.policy)) return this.rejected(p.id, socketId, nbFail('read_only', 'only people who may edit this notebook can play runs into it'));
    let lesson = null;
    let scenario: Scenario;
    if (p.lesson !== undefined) {
      lesson = this.o.lessons.get(p.lesson) ?? null;
      if (!lesson) return nbFail('unknown_lesson', `no lesson "${p.lesson}"; GET /api/lessons lists them`);
      scenario = this.o.lessons.scenario(lesson);
    } else {
      const sc = makeScenario(p.scenario!.variant, p.scenario!.config, (p.scenario!.overrides ?? {}) as Partial<Config>);
      if (isScenarioError(sc)) return nbFail('bad_scenario', sc.message);
      scenario = sc;
    }
    const { room, token } = this.o.rooms.open({ lesson, scenario, mode: p.mode, classCode: null, creator: { name: conn.name, role: creatorRole(lesson) } });
    this.o.store.link(room.rec.code, nb.rec.id, this.o.clock.now());
    return nbOk({ code: room.rec.code, token });
  }

  // ---------------------------------------------------------------- the game's hook

  /** A run finished: its trace cell goes into the room's notebook, the class's and every linked one. */
  recordRun(t: RunTrace): void {
    if (this.stopped) return; // the next load records it (reconcile)
    const targets = new Set<string>([`room-${t.room}`]);
    if (t.classCode) targets.add(`class-${t.classCode}`);
    for (const l of this.o.store.linksOfRoom(t.room)) targets.add(l.notebook);
    for (const id of targets) {
      try {
        const nb = this.load(id) ?? this.create(id)?.nb ?? null;
        if (!nb || nb.traces.has(t.id)) continue; // recorded already (a fresh notebook reconciles it as it loads)
        const spec: CellSpec = { kind: 'trace', trace: traceRecordFromRun(t) };
        this.commitServer(nb, (doc) => { insertCells(doc, [{ spec, created: { by: SERVER, at: t.finishedAt, via: 'server' } }], undefined, SERVER); }, [t.id]);
      } catch (e) {
        this.o.log.error('notebook: could not record a run', { notebook: id, trace: t.id, error: String(e) });
      }
    }
  }

  /** Test and benchmark access to a loaded notebook's document (read it; do not write to it). */
  peek(id: string): Y.Doc | null {
    return this.load(id)?.doc ?? null;
  }

  /** Stops timers and the merge worker, compacting what is loaded first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.flush();
    await this.compactAll();
    for (const nb of [...this.live.values()]) this.drop(nb);
    await this.merger.stop();
  }
}

/** Checks an awareness update's shape; returns the client ids it speaks for (and the names it claims), or what is wrong. */
export function checkAwareness(data: Uint8Array): { client: number; name: string | null }[] | string {
  try {
    const d = decoding.createDecoder(data);
    const n = decoding.readVarUint(d);
    if (n < 1 || n > 2) return 'an update carries one or two clients';
    const ids: { client: number; name: string | null }[] = [];
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(d);
      decoding.readVarUint(d); // clock
      const json = decoding.readVarString(d);
      const state = JSON.parse(json) as unknown;
      let name: string | null = null;
      if (state !== null) {
        if (typeof state !== 'object' || Array.isArray(state)) return 'a state is an object or null';
        const s = state as Record<string, unknown>;
        const user = s.user as Record<string, unknown> | undefined;
        if (user !== undefined && (typeof user !== 'object' || user === null)) return 'user must be an object';
        if (user && user.color !== undefined && (typeof user.color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(user.color))) return 'user.color must be #rrggbb';
        const cursor = s.cursor as Record<string, unknown> | null | undefined;
        if (cursor !== undefined && cursor !== null && (typeof cursor !== 'object' || typeof cursor.cell !== 'string' || cursor.cell.length > 40)) return 'cursor must be {cell, anchor, head} or null';
        name = typeof user?.name === 'string' ? user.name : '';
      }
      ids.push({ client, name });
    }
    if (decoding.hasContent(d)) return 'trailing bytes';
    return ids;
  } catch {
    return 'not a y-protocols awareness update';
  }
}
