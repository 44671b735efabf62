// Keeps one Y.Doc in sync with the server's copy of a notebook over the /notebook
// namespace of the game's socket.io connection (protocol/notebook/events.ts). Runs in the
// browser and in Node (tests, the benchmark): it is given the socket, it owns nothing else.
//
// The handshake is y-protocols': after `notebook:join`, the client sends its state vector
// (step 1) and applies the server's answer (step 2); the server sends its own state vector
// and the client answers with whatever the server lacks — edits made offline included.
// Afterwards every local transaction goes out as an update and counts as pending until the
// server acknowledges it (after writing it to disk). A rejection is reported to the UI;
// if the document then holds content the server refused (`diverged`), the UI reloads it
// from the server. Presence (name, colour, cursor) rides on the awareness protocol.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type {
  NotebookAck, NotebookClientEvents, NotebookCredential, NotebookError, NotebookJoinedData, NotebookMeta, NotebookPlayData,
  NotebookPlayPayload, NotebookPolicyPayload, NotebookSeat, NotebookServerEvents,
} from '../../protocol/notebook/events.js';
import { explain } from '../lib/explain.js';
import { CLIENT_CLAIMS_MAX, NOTEBOOK_FRAME_MAX, NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';

export type NotebookSocket = Socket<NotebookServerEvents, NotebookClientEvents>;

export const SYNC_STATUS = {
  connecting: 'connecting',
  joining: 'joining',
  syncing: 'syncing',
  synced: 'synced',
  offline: 'offline',
  failed: 'failed',
} as const;
export type SyncStatus = (typeof SYNC_STATUS)[keyof typeof SYNC_STATUS];

export interface Presence {
  user: { name: string; color: string };
  /** Where the person is: a cell, and a selection in one of its texts (Y relative positions, JSON). */
  cursor: { cell: string; field?: string; anchor?: unknown; head?: unknown } | null;
}

export interface ProviderOptions {
  id: string;
  doc: Y.Doc;
  socket: NotebookSocket;
  name: string;
  color: string;
  /** Asked at every (re)join: the seat credential this browser holds. */
  credential?: () => NotebookCredential | undefined;
  /** Called when this join created the notebook: keep the token to be its host later. */
  onOwnerToken?: (token: string) => void;
  /**
   * Asked at every (re)join: this browser's editor key and the Yjs client ids of earlier
   * sessions whose edits may still be unsent (the document's own id is always claimed).
   * Default: a key of this provider alone, and only the document's id.
   */
  editor?: () => { key: string; clients: number[] };
  ackTimeoutMs?: number;
}

type Listener = () => void;

const toBytes = (x: unknown): Uint8Array | null => {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return null;
};

/** A secret editor key (24 random bytes, base64url): it owns the client ids it claims. */
export function randomKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const freshClientId = (): number => crypto.getRandomValues(new Uint32Array(1))[0]!;

/** How long the page waits before sending again an update the server could not store. */
const UNAVAILABLE_RETRY_MS = 2000;
const timeoutError = (what: string): NotebookError => ({ code: 'internal', message: `The server did not answer (${what}) in time. Check your connection; edits stay in this browser and are sent on reconnect.` });

export class NotebookProvider {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  status: SyncStatus = SYNC_STATUS.connecting;
  meta: NotebookMeta | null = null;
  seat: NotebookSeat | null = null;
  canEdit = false;
  /** Updates sent and not yet acknowledged (saved) by the server. */
  pending = 0;
  /** Last problem: a failed join or a rejected edit. */
  error: NotebookError | null = null;
  /** The document holds a change the server refused: reload it from the server. */
  diverged = false;
  /** Set once the server's state has been applied. */
  synced = false;
  /** The Yjs client ids the server lets this connection write under. */
  owned = new Set<number>();

  private readonly socket: NotebookSocket;
  private readonly opts: ProviderOptions;
  private readonly listeners = new Set<Listener>();
  private readonly rejectListeners = new Set<(e: NotebookError) => void>();
  private syncedWaiters: (() => void)[] = [];
  private destroyed = false;
  private partKey = Math.floor(Math.random() * 0xfffffff);
  private readonly ownKey = randomKey();
  /** Times in a row the document's client id was refused (someone else's): pick another. */
  private refusedIds = 0;

  constructor(opts: ProviderOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.doc = opts.doc;
    this.socket = opts.socket;
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState({ user: { name: opts.name, color: opts.color }, cursor: null } satisfies Presence);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.socket.on('connect', this.onConnect);
    this.socket.on('disconnect', this.onDisconnect);
    this.socket.on('notebook:sync', this.onSync);
    this.socket.on('notebook:awareness', this.onAwareness);
    this.socket.on('notebook:meta', this.onMeta);
    this.socket.on('notebook:reset', this.onReset);
    // A second connect() while the first is still under way would send the namespace's
    // CONNECT packet twice, and the server drops the whole connection for that.
    if (this.socket.connected) this.onConnect();
    else if (!this.socket.active) this.socket.connect();
  }

  /** Called on every change of status, seat, pending count or error. */
  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called when the server rejects something this client sent. */
  onRejected(fn: (e: NotebookError) => void): () => void {
    this.rejectListeners.add(fn);
    return () => this.rejectListeners.delete(fn);
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  /** Resolves once every sent update has been acknowledged. */
  async whenSaved(): Promise<void> {
    while (this.pending > 0) await new Promise<void>((r) => { const off = this.onChange(() => { if (this.pending === 0) { off(); r(); } }); });
  }

  private changed(): void {
    for (const f of this.listeners) f();
  }

  private set(patch: Partial<Pick<NotebookProvider, 'status' | 'meta' | 'seat' | 'canEdit' | 'pending' | 'error' | 'diverged' | 'synced'>>): void {
    Object.assign(this, patch);
    this.changed();
  }

  // ------------------------------------------------------------------ transport

  private request<T>(event: 'notebook:join' | 'notebook:leave' | 'notebook:sync' | 'notebook:awareness' | 'notebook:policy' | 'notebook:play', payload: unknown, what: string): Promise<NotebookAck<T>> {
    return new Promise((resolve) => {
      const timed = this.socket.timeout(this.opts.ackTimeoutMs ?? 10_000) as unknown as { emit(e: string, p: unknown, cb: (err: unknown, r: NotebookAck<T>) => void): void };
      timed.emit(event, payload, (err, r) => resolve(err ? { ok: false, error: timeoutError(what) } : r.ok ? r : { ok: false, error: explain(r.error) }));
    });
  }

  /** Sends one sync message, in parts when it is larger than a frame. */
  private sendSync(data: Uint8Array): Promise<NotebookAck<unknown>> {
    if (data.byteLength <= NOTEBOOK_FRAME_MAX) return this.request('notebook:sync', { id: this.id, data }, 'saving');
    const count = Math.ceil(data.byteLength / NOTEBOOK_FRAME_MAX);
    const key = (this.partKey = (this.partKey + 1) % 0xffffffff);
    let last: Promise<NotebookAck<unknown>> = Promise.resolve({ ok: true, data: {} });
    for (let index = 0; index < count; index++) {
      const chunk = data.subarray(index * NOTEBOOK_FRAME_MAX, Math.min(data.byteLength, (index + 1) * NOTEBOOK_FRAME_MAX));
      last = this.request('notebook:sync', { id: this.id, data: chunk, part: { key, index, count } }, 'saving');
    }
    return last;
  }

  /** Sends an update and tracks it until the server says it is saved. */
  private write(update: Uint8Array, type: number = syncProtocol.messageYjsUpdate): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, type);
    encoding.writeVarUint8Array(e, update);
    this.set({ pending: this.pending + 1 });
    void this.sendSync(encoding.toUint8Array(e)).then((r) => {
      this.set({ pending: Math.max(0, this.pending - 1) });
      if (!r.ok) this.rejected(r.error, true);
      // The server could not store it now: the document still holds it, so send it again
      // (an update the server already has changes nothing).
      if (!r.ok && r.error.code === 'unavailable' && !this.destroyed) setTimeout(() => { if (!this.destroyed && this.joined) this.write(update, type); }, UNAVAILABLE_RETRY_MS);
    });
  }

  /** A refusal; `write` says it refused a change this document already holds. */
  private rejected(e: NotebookError, write = false): void {
    const diverges = write && (e.code === 'read_only' || e.code === 'locked' || e.code === 'bad_update' || e.code === 'not_host' || e.code === 'payload_too_large' || e.code === 'not_your_client');
    this.set({ error: e, diverged: this.diverged || diverges });
    for (const f of this.rejectListeners) f(e);
  }

  private get joined(): boolean {
    return this.status === SYNC_STATUS.syncing || this.status === SYNC_STATUS.synced;
  }

  private readonly onConnect = (): void => {
    void this.join();
  };

  private async join(): Promise<void> {
    if (this.destroyed) return;
    this.followClientId();
    this.set({ status: SYNC_STATUS.joining });
    const credential = this.opts.credential?.();
    const given = this.opts.editor?.() ?? { key: this.ownKey, clients: [] };
    const clients = [...new Set([this.doc.clientID, ...given.clients])].slice(0, CLIENT_CLAIMS_MAX);
    const r = await this.request<NotebookJoinedData>('notebook:join', {
      protocol: NOTEBOOK_PROTOCOL_VERSION, id: this.id, name: this.opts.name, ...(credential ? { credential } : {}), editor: { key: given.key, clients },
    }, 'opening the notebook');
    if (this.destroyed) return;
    if (!r.ok) {
      this.set({ status: this.socket.connected ? SYNC_STATUS.failed : SYNC_STATUS.offline, error: r.error });
      return;
    }
    if (r.data.ownerToken) this.opts.onOwnerToken?.(r.data.ownerToken);
    this.owned = new Set(r.data.clients);
    if (!this.owned.has(this.doc.clientID) && this.refusedIds++ < 3) {
      // Someone else's id (vanishingly rare by chance): write under a fresh one instead.
      this.doc.clientID = freshClientId();
      void this.join();
      return;
    }
    this.refusedIds = 0;
    this.set({ status: SYNC_STATUS.syncing, meta: r.data.meta, seat: r.data.seat, canEdit: r.data.canEdit, error: null });
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, this.doc);
    void this.sendSync(encoding.toUint8Array(e));
    this.sendPresence([this.doc.clientID]);
  }

  private readonly onDisconnect = (): void => {
    const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.doc.clientID);
    if (others.length) removeAwarenessStates(this.awareness, others, this);
    this.set({ status: SYNC_STATUS.offline, pending: 0 });
  };

  private readonly onSync = (d: { id: string; data: unknown }): void => {
    if (d.id !== this.id || this.destroyed) return;
    const bytes = toBytes(d.data);
    if (!bytes) return;
    const dec = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(dec);
    const payload = decoding.readVarUint8Array(dec);
    switch (type) {
      case syncProtocol.messageYjsSyncStep1: {
        // The server's state vector: send what it lacks (offline edits), if we may edit.
        if (!this.canEdit) return;
        const diff = Y.encodeStateAsUpdate(this.doc, payload);
        if (diff.byteLength > 2 || diff.some((b) => b !== 0)) this.write(diff, syncProtocol.messageYjsSyncStep2);
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
        Y.applyUpdate(this.doc, payload, this);
        if (!this.synced) {
          this.set({ synced: true, status: SYNC_STATUS.synced });
          const w = this.syncedWaiters;
          this.syncedWaiters = [];
          for (const f of w) f();
        } else if (this.status !== SYNC_STATUS.synced) this.set({ status: SYNC_STATUS.synced });
        return;
      case syncProtocol.messageYjsUpdate:
        Y.applyUpdate(this.doc, payload, this);
        return;
    }
  };

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.destroyed) return;
    // Edits made while offline or before the join stay in the document; the handshake sends them.
    if (!this.joined || !this.canEdit || !this.socket.connected) return;
    // Yjs picks a new client id when someone else wrote under ours: claim it first (the handshake then sends the edit).
    if (!this.owned.has(this.doc.clientID)) {
      void this.join();
      return;
    }
    this.write(update);
  };

  private readonly onAwareness = (d: { id: string; data: unknown }): void => {
    if (d.id !== this.id || this.destroyed) return;
    const bytes = toBytes(d.data);
    if (bytes) applyAwarenessUpdate(this.awareness, bytes, this);
  };

  private readonly onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === this) return;
    const mine = [...added, ...updated, ...removed].filter((c) => c === this.doc.clientID);
    if (mine.length) this.sendPresence(mine);
  };

  /**
   * Presence speaks under the document's client id. Awareness takes the id once, when it is
   * made; after a refused claim (or Yjs's own change of id) it moves to the new one.
   */
  private followClientId(): void {
    const old = this.awareness.clientID;
    if (old === this.doc.clientID) return;
    const state = this.awareness.getLocalState();
    const meta = this.awareness.meta.get(old);
    this.awareness.states.delete(old);
    this.awareness.clientID = this.doc.clientID;
    // Others take a state only with a clock above the last they saw (a new id's first, 0, never).
    if (meta) this.awareness.meta.set(this.doc.clientID, { ...meta });
    this.awareness.setLocalState(state);
  }

  /** Presence goes without an ack: it is refreshed all the time, and a lost one is replaced by the next. */
  private sendPresence(clients: number[]): void {
    if (!this.joined || !this.socket.connected) return;
    (this.socket.emit as unknown as (e: string, p: unknown) => void)('notebook:awareness', { id: this.id, data: encodeAwarenessUpdate(this.awareness, clients) });
  }

  private readonly onMeta = (d: { id: string; meta: NotebookMeta; seat: NotebookSeat; canEdit: boolean }): void => {
    if (d.id !== this.id) return;
    this.set({ meta: d.meta, seat: d.seat, canEdit: d.canEdit });
  };

  private readonly onReset = (d: { id: string; reason: string }): void => {
    if (d.id !== this.id) return;
    this.set({ error: { code: 'internal', message: d.reason } });
    void this.join();
  };

  // ------------------------------------------------------------------ the host's and editors' requests

  async setPolicy(p: Omit<NotebookPolicyPayload, 'id'>): Promise<NotebookAck<NotebookMeta>> {
    const r = await this.request<NotebookMeta>('notebook:policy', { id: this.id, ...p }, 'changing the policy');
    if (!r.ok) this.rejected(r.error);
    return r;
  }

  async play(p: Omit<NotebookPlayPayload, 'id'>): Promise<NotebookAck<NotebookPlayData>> {
    const r = await this.request<NotebookPlayData>('notebook:play', { id: this.id, ...p }, 'opening a room');
    if (!r.ok) this.rejected(r.error);
    return r;
  }

  /** Joins again to pick up a changed seat (e.g. a spectator who took a role in the room meanwhile). */
  refreshSeat(): void {
    if (this.joined && this.socket.connected && !this.destroyed) void this.join();
  }

  /** Sets where this person is (null: nowhere in particular). */
  setCursor(cursor: Presence['cursor']): void {
    this.awareness.setLocalStateField('cursor', cursor);
  }

  /** Leaves the notebook; the document and the socket stay with their owners. */
  destroy(): void {
    if (this.destroyed) return;
    if (this.joined && this.socket.connected) {
      this.awareness.setLocalState(null);
      void this.request('notebook:leave', { id: this.id }, 'leaving');
    }
    this.destroyed = true;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off('notebook:sync', this.onSync);
    this.socket.off('notebook:awareness', this.onAwareness);
    this.socket.off('notebook:meta', this.onMeta);
    this.socket.off('notebook:reset', this.onReset);
    this.listeners.clear();
    this.rejectListeners.clear();
  }
}
