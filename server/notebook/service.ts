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
//  - the document is the only authority: seats and policy live in the store beside it, and
//    nothing derived (replays, explorer results) is stored;
//  - loading, joining, policy, plays and recorded runs of a notebook run in its queue
//    (server/room-queue.ts); an edit needs no queue: from its check to its place in the
//    group commit nothing awaits.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { RunTrace } from '../../protocol/events.js';
import { insertCells, traceRecordFromRun, type CellSpec } from '../../protocol/notebook/doc.js';
import type {
  NotebookJoinedData, NotebookJoinPayload, NotebookMeta,
  NotebookPlayData, NotebookPlayPayload, NotebookPolicy, NotebookPolicyPayload, NotebookSeat,
} from '../../protocol/notebook/events.js';
import { NOTEBOOKS_PER_CONNECTION } from '../../protocol/notebook/events.js';
import type { Clock } from '../clock.js';
import { hashToken } from '../ids.js';
import type { LessonCatalog } from '../lessons.js';
import type { Log } from '../log.js';
import { notebookMayEdit, notebookMayManage } from '../../protocol/rules.js';
import { resolveScenario } from '../scenarios.js';
import { WarnSummary } from '../warn-summary.js';
import { KeyedQueue } from '../room-queue.js';
import type { AnyNotebookStore, AnyStore, NotebookRecord } from '../store/port.js';
import { ClientOwners } from './client-ids.js';
import { pendingIn, replayLog, type Conn, type LiveNotebook } from './live.js';
import { runsOf } from './runs-of.js';
import type { GamePorts } from './ports.js';
import { firstContent } from './first-content.js';
import { nbFail, nbOk, syncMessage, type NbResult, type NotebookRelay } from './relay.js';
import { UpdateLog } from './update-log.js';
import { checkAwareness, withName } from './presence.js';
import { canEdit, DEFAULT_POLICIES, notebookKind, seatFor } from './seats.js';
import { validateUpdate } from './validate.js';

export interface NotebookServiceOptions {
  store: AnyNotebookStore;
  /** The game's store: rooms, classes and finished runs (read only). */
  game: AnyStore;
  /** What the notebook asks of the game: a credential's seat, a room for a lesson. */
  ports: GamePorts;
  lessons: LessonCatalog;
  clock: Clock;
  log: Log;
  relay: NotebookRelay;
  /** Compact a notebook's log once this many updates (or bytes) have been appended since the last compaction. */
  compactUpdates?: number;
  compactBytes?: number;
  /** Drop an idle notebook from memory this long after its last connection left (ms). */
  idleUnloadMs?: number;
  /** Where refusals are logged, aggregated (shared with the socket layer). */
  warnings?: WarnSummary;
  /** Asked before a join creates a notebook: null, or why this connection may not create one now. */
  mayCreate?: (socketId: string) => string | null;
}

const SERVER = 'reaplab';
const MSG_STEP1 = syncProtocol.messageYjsSyncStep1;
const MSG_STEP2 = syncProtocol.messageYjsSyncStep2;
const MSG_UPDATE = syncProtocol.messageYjsUpdate;

const EMPTY_UPDATE_LEN = 2;

export class NotebookService {
  protected readonly live = new Map<string, LiveNotebook>();
  /** socket id → notebooks it has joined. */
  protected readonly bySocket = new Map<string, Set<string>>();
  private readonly log: UpdateLog<LiveNotebook>;
  private readonly queue = new KeyedQueue();
  private readonly idleUnloadMs: number;
  readonly warnings: WarnSummary;
  private stopped = false;
  readonly stats = { updates: 0, rejected: 0, compactions: 0, loads: 0, bytesIn: 0 };

  constructor(private readonly o: NotebookServiceOptions) {
    this.idleUnloadMs = o.idleUnloadMs ?? 30_000;
    this.warnings = o.warnings ?? new WarnSummary(o.log, o.clock);
    this.log = new UpdateLog<LiveNotebook>({
      store: o.store, clock: o.clock, log: o.log, stats: this.stats,
      relay: (nb, update, except) => this.o.relay.sync(nb.rec.id, syncMessage(MSG_UPDATE, update), except),
      failed: (nb) => this.reset(nb, 'the server could not save the last change; reconnecting reloads the notebook'),
      // Not from a copy that lacks a stored row: that log is rebuilt from its rows (and kept if one fails).
      snapshot: (nb) => (nb.damaged ? null : Y.encodeStateAsUpdate(nb.doc)),
      compactUpdates: o.compactUpdates ?? 500,
      compactBytes: o.compactBytes ?? 256 * 1024,
    });
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

  /** The live notebook, loading it from the log (and recording runs it missed) on first use. In the notebook's queue. */
  private async load(id: string): Promise<LiveNotebook | null> {
    const had = this.live.get(id);
    if (had) return had;
    const rec = await this.o.store.get(id);
    if (!rec) return null;
    const [rows, traces] = await Promise.all([this.o.store.updates(id), this.o.store.traces(id)]);
    const replayed = replayLog(rows, SERVER, (seq, e) => this.o.log.error('notebook: a stored update does not apply; skipped', { notebook: id, seq, error: String(e) }));
    const { doc } = replayed;
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const nb: LiveNotebook = {
      ...replayed, rec, awareness, conns: new Map(), compacting: false, unloadTimer: null, collect: null, dead: false, traces,
      owners: await ClientOwners.load(this.o.store, id, doc),
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
    await this.reconcile(nb);
    this.scheduleUnload(nb);
    return nb;
  }

  /** Creates a notebook's record and first content; null when the id names a room or class that does not exist. */
  private async create(id: string): Promise<{ nb: LiveNotebook; ownerToken?: string } | null> {
    const { kind, ref } = notebookKind(id);
    const first = await firstContent(kind, ref, this.o, SERVER);
    if (!first) return null;
    const rec: NotebookRecord = { id, kind, ref, ownerHash: first.ownerToken ? hashToken(first.ownerToken) : null, policy: { ...DEFAULT_POLICIES[kind] }, createdAt: this.o.clock.now() };
    const update = Y.encodeStateAsUpdate(first.doc);
    first.doc.destroy();
    await this.o.store.create(rec, update);
    this.o.log.info('notebook: created', { notebook: id, kind });
    const nb = await this.load(id);
    if (!nb) throw new Error(`notebook ${id} vanished after create`);
    return { nb, ...(first.ownerToken ? { ownerToken: first.ownerToken } : {}) };
  }

  /** Records the finished runs this notebook should hold but does not (a crash between a run and its cell, or runs before the notebook existed). */
  private async reconcile(nb: LiveNotebook): Promise<void> {
    const missing = (await runsOf(nb.rec, this.o.game, this.o.store)).filter((t) => !nb.traces.has(t.id));
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
      void this.log.compact(nb).finally(() => {
        if (nb.conns.size === 0 && !nb.dead && !nb.compacting) this.drop(nb);
      });
    }, this.idleUnloadMs);
  }

  protected drop(nb: LiveNotebook): void {
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
    if (update) void this.log.persist(nb, update, null, traces);
  }

  // ---------------------------------------------------------------- the connection's requests

  join(socketId: string, p: NotebookJoinPayload): Promise<NbResult<NotebookJoinedData>> {
    return this.queue.run(p.id, () => this.joinNow(socketId, p));
  }

  private async joinNow(socketId: string, p: NotebookJoinPayload): Promise<NbResult<NotebookJoinedData>> {
    const mine = this.bySocket.get(socketId) ?? new Set<string>();
    if (!mine.has(p.id) && mine.size >= NOTEBOOKS_PER_CONNECTION) {
      return nbFail('too_many_notebooks', `one connection keeps at most ${NOTEBOOKS_PER_CONNECTION} notebooks open; close one first`);
    }
    let ownerToken: string | undefined;
    let nb = await this.load(p.id);
    if (!nb) {
      const refused = this.o.mayCreate?.(socketId) ?? null;
      if (refused) return nbFail('rate_limited', refused);
      const made = await this.create(p.id);
      if (!made) {
        const { kind, ref } = notebookKind(p.id);
        return nbFail('unknown_notebook', `there is no ${kind} ${ref}; check the code, or open a new notebook from the first screen`);
      }
      nb = made.nb;
      ownerToken = made.ownerToken;
    }
    const seat: NotebookSeat = ownerToken ? 'host' : await seatFor(nb.rec, p.credential, this.o.ports);
    const owned = p.editor ? await nb.owners.claim(p.editor.key, p.editor.clients) : new Set<number>();
    const old = nb.conns.get(socketId);
    if (old) this.dropPresence(nb, old);
    nb.conns.set(socketId, { socketId, name: p.name, seat, credential: ownerToken ? { kind: 'owner', token: ownerToken } : p.credential, owned });
    mine.add(p.id);
    this.bySocket.set(socketId, mine);
    this.scheduleUnload(nb);
    return nbOk({ meta: this.meta(nb.rec), seat, canEdit: notebookMayEdit(seat, nb.rec.policy), clients: [...owned], ...(ownerToken ? { ownerToken } : {}) });
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
    const ids = [...conn.owned].filter((c) => nb.awareness.getStates().has(c));
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
    if (!r.ok) this.warnings.warn(`rejected:${id}:${r.error.code}`, 'notebook: message rejected', { notebook: id, socket: socketId, code: r.error.code, reason: r.error.message.slice(0, 200) });
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
    const v = validateUpdate(nb.doc, update, { deleteRecords: notebookMayManage(conn.seat), owns: (c) => conn.owned.has(c) });
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
    if (pendingIn(nb.doc)) {
      // The validator let through something Yjs could not integrate whole: the document now
      // holds part of it, which the disk does not. Reload from disk; nothing was stored or relayed.
      this.o.log.error('notebook: an accepted update left parts pending; reloading', { notebook: id });
      this.reset(nb, 'the server refused a change it could not apply whole; reconnecting reloads the notebook');
      return this.rejected(id, conn.socketId, nbFail('bad_update', 'the update could not be applied whole; nothing was saved'));
    }
    if (!gained) return nbOk({});
    return this.log.persist(nb, gained, conn.socketId).then((saved) => {
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
      if (!conn.owned.has(client)) return this.rejected(id, socketId, nbFail('bad_request', 'presence: a connection speaks only for the client ids it claimed when it joined'));
    }
    const named = withName(data, checked, conn.name);
    applyAwarenessUpdate(nb.awareness, named, socketId);
    this.o.relay.awareness(id, named, socketId);
    return nbOk({});
  }

  setPolicy(socketId: string, p: NotebookPolicyPayload): Promise<NbResult<NotebookMeta>> {
    return this.queue.run(p.id, () => this.setPolicyNow(socketId, p));
  }

  private async setPolicyNow(socketId: string, p: NotebookPolicyPayload): Promise<NbResult<NotebookMeta>> {
    const a = this.attached(socketId, p.id);
    if (!a.ok) return this.rejected(p.id, socketId, a);
    const { nb, conn } = a.data;
    if (!notebookMayManage(conn.seat)) return this.rejected(p.id, socketId, nbFail('not_host', 'only the host can change who may edit, or lock the notebook'));
    const policy: NotebookPolicy = {
      spectators: p.spectators ?? nb.rec.policy.spectators,
      visitors: p.visitors ?? nb.rec.policy.visitors,
      locked: p.locked ?? nb.rec.policy.locked,
    };
    await this.o.store.setPolicy(nb.rec.id, policy);
    nb.rec.policy = policy;
    const meta = this.meta(nb.rec);
    for (const c of nb.conns.values()) this.o.relay.meta(c.socketId, { id: nb.rec.id, meta, seat: c.seat, canEdit: notebookMayEdit(c.seat, policy) });
    this.o.log.info('notebook: policy', { notebook: nb.rec.id, spectators: policy.spectators, visitors: policy.visitors, locked: policy.locked });
    return nbOk(meta);
  }

  /**
   * The room's roster or host changed: every seat proven by a credential of that room is
   * asked again, in the room's notebook and its class's, and told at once if it changed (a
   * released player stops editing, a former host loses the policy and lock).
   */
  roomChanged(code: string, classCode: string | null): Promise<void> {
    return Promise.all([`room-${code}`, ...(classCode ? [`class-${classCode}`] : [])].map((id) => this.queue.run(id, async () => {
      const nb = this.live.get(id);
      if (!nb) return;
      for (const c of [...nb.conns.values()]) {
        if (c.credential?.kind !== 'room' || c.credential.room !== code) continue;
        const seat = await seatFor(nb.rec, c.credential, this.o.ports);
        if (seat === c.seat || nb.conns.get(c.socketId) !== c) continue;
        c.seat = seat;
        this.o.relay.meta(c.socketId, { id, meta: this.meta(nb.rec), seat, canEdit: canEdit(seat, nb.rec.policy) });
      }
    }))).then(() => undefined);
  }

  /** Whether this connection has joined notebook `id` (parts of large messages are accepted only then). */
  isJoined(socketId: string, id: string): boolean {
    return this.live.get(id)?.conns.has(socketId) ?? false;
  }

  /** Opens a room whose runs land in this notebook; the caller gets the room's host seat (its token). */
  play(socketId: string, p: NotebookPlayPayload): Promise<NbResult<NotebookPlayData>> {
    return this.queue.run(p.id, async () => {
      const a = this.attached(socketId, p.id);
      if (!a.ok) return this.rejected(p.id, socketId, a);
      const { nb, conn } = a.data;
      if (!notebookMayEdit(conn.seat, nb.rec.policy)) return this.rejected(p.id, socketId, nbFail('read_only', 'only people who may edit this notebook can play runs into it'));
      const r = await resolveScenario(this.o.lessons, p);
      if (!r.ok) return nbFail(r.code, r.message);
      const { lesson, scenario } = r;
      const { code, token } = await this.o.ports.openRoom({ lesson, scenario, mode: p.mode, host: conn.name });
      await this.o.store.link(code, nb.rec.id, this.o.clock.now());
      return nbOk({ code, token });
    });
  }

  // ---------------------------------------------------------------- the game's hook

  /** A run finished: its trace cell goes into the room's notebook, the class's and every linked one. */
  async recordRun(t: RunTrace): Promise<void> {
    if (this.stopped) return; // the next load records it (reconcile)
    const targets = new Set<string>([`room-${t.room}`]);
    if (t.classCode) targets.add(`class-${t.classCode}`);
    // A run whose links cannot be read now still reaches the linked notebooks when they load (reconcile).
    const links = await Promise.resolve(this.o.store.linksOfRoom(t.room)).catch(() => []);
    for (const l of links) targets.add(l.notebook);
    await Promise.all([...targets].map((id) => this.queue.run(id, async () => {
      if (this.stopped) return;
      const nb = (await this.load(id)) ?? (await this.create(id))?.nb ?? null;
      if (!nb || nb.traces.has(t.id)) return; // recorded already (a fresh notebook reconciles it as it loads)
      const spec: CellSpec = { kind: 'trace', trace: traceRecordFromRun(t) };
      this.commitServer(nb, (doc) => { insertCells(doc, [{ spec, created: { by: SERVER, at: t.finishedAt, via: 'server' } }], undefined, SERVER); }, [t.id]);
    }).catch((e: unknown) => {
      this.o.log.error('notebook: could not record a run', { notebook: id, trace: t.id, error: String(e) });
    })));
  }

  /** Compacts one loaded notebook's log (idle unload, tests). */
  compact(id: string): Promise<void> {
    const nb = this.live.get(id);
    return nb ? this.log.compact(nb) : Promise.resolve();
  }

  /** Compacts every loaded notebook (shutdown, benchmarks). */
  async compactAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((nb) => this.log.compact(nb)));
  }

  /** Test and benchmark access to a loaded notebook's document (read it; do not write to it). */
  peek(id: string): Y.Doc | null {
    return this.live.get(id)?.doc ?? null;
  }

  /** Stops timers and the compaction worker, compacting what is loaded first. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.log.flush();
    await this.compactAll();
    for (const nb of [...this.live.values()]) this.drop(nb);
    await this.log.stop();
    this.warnings.stop();
  }
}
