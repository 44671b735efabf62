// Updates an adversarial notebook editor crafts: each is a valid Yjs update that breaks one
// of the server's guarantees if accepted (docs/NOTEBOOK.md, "Whole or nothing"). `base` is
// the attacker's copy of the notebook; nothing here touches it.

import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { insertCell } from '../../protocol/notebook/doc.js';

const EDITOR = { by: 'eve', at: '2026-01-01T00:00:00.000Z', via: 'editor' as const };

/** A copy of `base` that writes under `client`. */
export function fork(base: Y.Doc, client: number, gc = false): Y.Doc {
  const copy = new Y.Doc({ gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  // After the base: Yjs would pick another id if the base touched its own during a remote apply.
  copy.clientID = client;
  return copy;
}

/** Checks that a crafted update really writes (or deletes) under `client`. */
function under(client: number, u: Uint8Array): Uint8Array {
  const d = Y.decodeUpdate(u) as unknown as { structs: { id: Y.ID }[]; ds: { clients: Map<number, unknown> } };
  if (!d.structs.some((s) => s.id.client === client) && !d.ds.clients.has(client)) throw new Error(`crafted update is not under client ${client}`);
  return u;
}

/** A new markdown cell under `client` at its current clock (valid if `client` is yours). */
export function cellUnder(base: Y.Doc, client: number, text = 'hello'): Uint8Array {
  const copy = fork(base, client);
  const sv = Y.encodeStateVector(copy);
  insertCell(copy, { kind: 'markdown', text }, EDITOR);
  return under(client, Y.encodeStateAsUpdate(copy, sv));
}

/**
 * The planted delete: a valid new cell under `client` that starts `ahead` cells' worth of
 * clocks past its current clock, with a delete set covering those skipped clocks. Yjs keeps
 * it pending; it would delete whatever `client` writes next.
 */
export function plantedDeletes(base: Y.Doc, client: number, ahead = 1): Uint8Array {
  if (base.getArray('cells').length === 0) throw new Error('plantedDeletes: the planted cell needs a cell the server has to sit before');
  const copy = fork(base, client);
  for (let i = 0; i < ahead; i++) {
    insertCell(copy, { kind: 'markdown', text: 'x' }, EDITOR);
    copy.getArray('cells').delete(copy.getArray('cells').length - 1, 1);
  }
  const sv = Y.encodeStateVector(copy);
  // At the top: its neighbours are cells the server has, so only the skipped clocks are missing.
  insertCell(copy, { kind: 'markdown', text: 'planted' }, EDITOR, 0);
  return under(client, Y.encodeStateAsUpdate(copy, sv));
}

/** Only a delete set, over clocks of `client` nobody has written yet. */
export function futureDeletes(base: Y.Doc, client: number): Uint8Array {
  const copy = fork(base, client);
  insertCell(copy, { kind: 'markdown', text: 'x' }, EDITOR);
  copy.getArray('cells').delete(copy.getArray('cells').length - 1, 1);
  return under(client, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(copy)));
}

/** A valid cell that starts past `client`'s clock (the first clock skips ahead). */
export function clockGap(base: Y.Doc, client: number): Uint8Array {
  const copy = fork(base, client);
  insertCell(copy, { kind: 'markdown', text: 'skipped' }, EDITOR);
  const sv = Y.encodeStateVector(copy);
  insertCell(copy, { kind: 'markdown', text: 'after the gap' }, EDITOR, 0);
  return under(client, Y.encodeStateAsUpdate(copy, sv));
}

/** A cell written and deleted under `client` with garbage collection on: its contents arrive as GC structs. */
export function gcStructs(base: Y.Doc, client: number): Uint8Array {
  const copy = fork(base, client, true);
  const sv = Y.encodeStateVector(copy);
  insertCell(copy, { kind: 'markdown', text: 'soon collected' }, EDITOR);
  insertCell(copy, { kind: 'markdown', text: 'kept' }, EDITOR);
  copy.getArray('cells').delete(copy.getArray('cells').length - 2, 1);
  const u = Y.encodeStateAsUpdate(copy, sv);
  if (!(Y.decodeUpdate(u).structs as unknown[]).some((s) => s instanceof Y.GC)) throw new Error('gcStructs: no GC struct in the update');
  return under(client, u);
}

/** Two characters under clients a and b, each inserted after the other: neither can integrate first. */
export function cycle(a: number, b: number): Uint8Array {
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, 2);
  for (const [me, other, ch] of [[a, b, 'x'], [b, a, 'y']] as const) {
    encoding.writeVarUint(enc.restEncoder, 1);
    enc.writeClient(me);
    encoding.writeVarUint(enc.restEncoder, 0);
    new Y.Item(Y.createID(me, 0), null, Y.createID(other, 0), null, null, null, null, new Y.ContentString(ch)).write(enc, 0);
  }
  encoding.writeVarUint(enc.restEncoder, 0); // empty delete set
  return enc.toUint8Array();
}

/** The y-protocols update message for an update. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Everything a notebook's stored log replays to. */
export function replay(rows: { data: Uint8Array }[]): Y.Doc {
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.data);
  return doc;
}

/** What people see of a document: its cells and title, as JSON. */
export function visible(doc: Y.Doc): string {
  return JSON.stringify({ cells: doc.getArray('cells').toJSON(), meta: doc.getMap('meta').toJSON() });
}
