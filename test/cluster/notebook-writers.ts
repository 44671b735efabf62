// Editors of a cluster test's shared notebook, speaking the notebook protocol directly so that
// each write's acknowledgement is known: every editor keeps one cell of its own and appends a
// numbered mark to it, one update per mark, and records the marks the server acknowledged.
// When its node dies it joins a living node with the same editor key and client id and sends
// the whole of its document again (the server keeps what it already has once).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { insertCell, readCells } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';
import { nbSocket, rawEmit } from '../notebook/helpers.js';
import type { Site } from './room-players.js';

const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const REMOTE = 'remote';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

type Sock = ReturnType<typeof nbSocket>;

export class NotebookWriter {
  readonly doc = new Y.Doc();
  readonly acked: string[] = [];
  node: number;
  private socket: Sock | null = null;
  private cellId: string | null = null;
  private running = false;
  private closed = false;
  private n = 0;

  constructor(readonly id: string, readonly name: string, node: number, private readonly site: Site, private readonly key: string) {
    this.node = node;
  }

  /** The text of this editor's cell in `doc` ('' while it has none). */
  textIn(doc: Y.Doc): string {
    const c = readCells(doc).find((x) => x.id === this.cellId);
    return c && c.kind === 'markdown' ? c.text.toString() : '';
  }

  private async send(type: number, payload: Uint8Array): Promise<boolean> {
    const s = this.socket;
    if (!s?.connected) return false;
    const r = await Promise.race([rawEmit(s, 'notebook:sync', { id: this.id, data: message(type, payload) }), sleep(8000).then(() => null)]);
    return r?.ok === true;
  }

  /** Joins the notebook on a living node (trying each in turn) and sends what it has. */
  async connect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const n = this.site.urls().length;
      const node = (this.node + attempt) % n;
      if (!this.site.alive(node)) {
        await sleep(50);
        continue;
      }
      const s = nbSocket(this.site.urls()[node]!);
      s.on('notebook:sync', (d: { id: string; data: Uint8Array }) => this.received(s, d));
      s.connect();
      const up = await Promise.race([new Promise<boolean>((r) => { s.once('connect', () => r(true)); s.once('connect_error', () => r(false)); }), sleep(5000).then(() => false)]);
      const j = up ? await rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id: this.id, name: this.name, editor: { key: this.key, clients: [this.doc.clientID] } }) : null;
      if (!j?.ok || !(j.data as { clients: number[] }).clients.includes(this.doc.clientID)) {
        s.disconnect();
        await sleep(150);
        continue;
      }
      this.socket = s;
      this.node = node;
      s.once('disconnect', () => { if (this.socket === s) this.socket = null; });
      // Ask for what the server has; give it all this editor has.
      s.emit('notebook:sync', { id: this.id, data: message(STEP1, Y.encodeStateVector(this.doc)) }, () => {});
      if (await this.send(STEP2, Y.encodeStateAsUpdate(this.doc))) return;
      s.disconnect();
      this.socket = null;
    }
  }

  private received(s: Sock, d: { id: string; data: Uint8Array }): void {
    if (d.id !== this.id) return;
    const dec = decoding.createDecoder(new Uint8Array(d.data));
    const type = decoding.readVarUint(dec);
    const payload = decoding.readVarUint8Array(dec);
    if (type === STEP1) s.emit('notebook:sync', { id: this.id, data: message(STEP2, Y.encodeStateAsUpdate(this.doc, payload)) }, () => {});
    else Y.applyUpdate(this.doc, payload, REMOTE);
  }

  /** Writes marks one after another (an update each, acknowledged or not) until stop(). */
  async run(rng: () => number): Promise<void> {
    this.running = true;
    await this.connect();
    this.cellId ??= insertCell(this.doc, { kind: 'markdown', text: `${this.name}: ` }, { by: this.name, at: '2026-01-01T00:00:00.000Z', via: 'editor' });
    while (!(await this.send(STEP2, Y.encodeStateAsUpdate(this.doc))) && this.running) await this.connect();
    while (this.running && !this.closed) {
      const mark = `${this.name}${this.n++};`;
      const before = Y.encodeStateVector(this.doc);
      const c = readCells(this.doc).find((x) => x.id === this.cellId);
      if (!c || c.kind !== 'markdown') throw new Error(`${this.name}: its cell is gone`);
      c.text.insert(c.text.length, mark);
      if (await this.send(UPDATE, Y.encodeStateAsUpdate(this.doc, before))) this.acked.push(mark);
      else if (!this.closed) await this.connect();
      await sleep(40 + rng() * 120);
    }
  }

  stop(): void {
    this.running = false;
  }

  close(): void {
    this.running = false;
    this.closed = true;
    this.socket?.disconnect();
  }
}
