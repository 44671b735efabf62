// Every message the server refuses changes nothing: not the document, not the update log,
// not what the others see. Each refusal comes back with its typed code and is logged.

import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { cellsOf, insertCell, readCells } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_FRAME_MAX, NOTEBOOK_MESSAGE_MAX, NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';
import type { LogFields } from '../../server/log.js';
import { accepted, cells, connect, nbSocket, ok, openNotebook, rawEmit, startServer, until, type NbClient, type TestServer } from './helpers.js';
import type { Client } from '../server/helpers.js';

let server: TestServer | null = null;
const open: NbClient[] = [];
const clients: Client[] = [];
const warnings: { msg: string; fields?: LogFields }[] = [];
const log = { info() {}, warn: (msg: string, fields?: LogFields) => warnings.push({ msg, ...(fields ? { fields } : {}) }), error: (msg: string, fields?: LogFields) => console.error(msg, fields) };

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  for (const c of clients.splice(0)) c.close();
  warnings.length = 0;
  if (server) {
    await server.stop();
    server.cleanup();
    server = null;
  }
});

function message(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/**
 * The update that `change` makes to a copy of `base`, under base's own client id (the one
 * its connection owns: the schema checks below are what refuses these updates).
 */
function updateFrom(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  copy.clientID = base.clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, sv);
}

const upd = (u: Uint8Array) => message(syncProtocol.messageYjsUpdate, u);

/** A room with a host, a player (victim) and a spectator in its notebook. */
async function roomWithSeats() {
  server = await startServer({ log });
  const host = await connect(server.url);
  clients.push(host);
  const h = await host.create('Hana');
  const code = h.room.code;
  const p = await connect(server.url);
  clients.push(p);
  const pj = await p.join(code, 'Pia');
  ok(await p.call('role:claim', { role: 'victim' }));
  const id = `room-${code}`;
  const hostNb = await openNotebook(server.url, id, 'Hana', { credential: { kind: 'room', room: code, token: h.token } });
  const playerCred = { kind: 'room' as const, room: code, token: pj.token };
  const playerNb = await openNotebook(server.url, id, 'Pia', { credential: playerCred });
  const specNb = await openNotebook(server.url, id, 'Sid');
  open.push(hostNb, playerNb, specNb);
  expect([hostNb.provider.seat, playerNb.provider.seat, specNb.provider.seat]).toEqual(['host', 'player', 'spectator']);
  expect(specNb.provider.canEdit).toBe(false);
  const rows = () => { const st = server!.store.notebooks.stats(id); return { n: st.rows, b: st.bytes }; };
  const serverDoc = () => server!.app.notebooks!.service.peek(id)!;
  const snapshot = () => ({ sv: Y.encodeStateVector(serverDoc()), rows: rows(), cells: readCells(serverDoc()).length });
  return { id, code, hostNb, playerNb, specNb, snapshot, serverDoc, playerCred };
}

describe('rejected notebook messages change nothing', () => {
  it('refuses spectators, malformed and schema-breaking updates, oversized messages, and logs them aggregated', async () => {
    const { id, hostNb, playerNb, specNb, snapshot, playerCred } = await roomWithSeats();
    const received: number[] = [];
    hostNb.socket.on('notebook:sync', () => received.push(Date.now()));
    const before = snapshot();
    const base = playerNb.doc;
    const note = updateFrom(base, (d) => insertCell(d, { kind: 'markdown', text: 'hi' }, { by: 'x', at: '', via: 'editor' }));

    const cases: [string, Promise<{ ok: boolean; error?: { code: string } }>, string][] = [
      ['spectator edit', rawEmit(specNb.socket, 'notebook:sync', { id, data: upd(note) }), 'read_only'],
      ['garbage bytes', rawEmit(playerNb.socket, 'notebook:sync', { id, data: new Uint8Array([2, 9, 200, 1, 2, 3, 4, 5, 6, 7]) }), 'bad_update'],
      ['not a sync message', rawEmit(playerNb.socket, 'notebook:sync', { id, data: message(7, note) }), 'bad_update'],
      ['another root type', rawEmit(playerNb.socket, 'notebook:sync', { id, data: upd(updateFrom(base, (d) => d.getMap('evil').set('x', 1))) }), 'bad_update'],
      ['changing the lesson', rawEmit(playerNb.socket, 'notebook:sync', { id, data: upd(updateFrom(base, (d) => cellsOf(d).get(0).set('lesson', { title: 'forged' }))) }), 'bad_update'],
      ['a forged trace cell', rawEmit(playerNb.socket, 'notebook:sync', { id, data: upd(updateFrom(base, (d) => { const m = new Y.Map(); cellsOf(d).push([m]); m.set('id', 'forged1'); m.set('kind', 'trace'); })) }), 'bad_update'],
      ['a player deleting the lesson', rawEmit(playerNb.socket, 'notebook:sync', { id, data: upd(updateFrom(base, (d) => cellsOf(d).delete(0, 1))) }), 'not_host'],
      ['a frame over the limit', rawEmit(playerNb.socket, 'notebook:sync', { id, data: new Uint8Array(NOTEBOOK_FRAME_MAX + 1) }), 'payload_too_large'],
      ['text instead of bytes', rawEmit(playerNb.socket, 'notebook:sync', { id, data: 'AAEC' }), 'bad_request'],
      ['a notebook not joined', rawEmit(playerNb.socket, 'notebook:sync', { id: 'nb-elsewhere', data: upd(note) }), 'not_joined'],
      ['malformed presence', rawEmit(playerNb.socket, 'notebook:awareness', { id, data: new Uint8Array([1, 5, 1, 3, 123, 123, 123]) }), 'bad_request'],
      ['unknown event', rawEmit(playerNb.socket, 'notebook:drop', { id }), 'bad_request'],
    ];
    for (const [what, p, code] of cases) {
      const r = await p;
      expect(r.ok, what).toBe(false);
      expect(r.error?.code, what).toBe(code);
    }
    // A message in parts that adds up to more than NOTEBOOK_MESSAGE_MAX.
    const count = Math.ceil(NOTEBOOK_MESSAGE_MAX / NOTEBOOK_FRAME_MAX) + 1;
    let last: { ok: boolean; error?: { code: string } } = { ok: true };
    for (let index = 0; index < count && last.ok; index++) {
      last = await rawEmit(playerNb.socket, 'notebook:sync', { id, data: new Uint8Array(NOTEBOOK_FRAME_MAX), part: { key: 7, index, count: Math.min(count, 86) } });
    }
    expect(last.ok).toBe(false);
    expect(last.error?.code, JSON.stringify(last.error)).toBe('payload_too_large');
    expect(['payload_too_large', 'bad_request']).toContain(last.error?.code);

    expect(snapshot()).toEqual(before);
    expect(received).toEqual([]);
    // Logged aggregated: every kind of refusal at once, its repeats as one line per interval.
    const logged = new Set(warnings.filter((w) => w.msg.startsWith('notebook:')).map((w) => String(w.fields?.code ?? w.fields?.event)));
    for (const code of ['read_only', 'bad_update', 'not_host', 'not_joined', 'notebook:sync']) expect(logged, code).toContain(code);
    expect(warnings.some((w) => w.msg === 'notebook: unknown event')).toBe(true);
    expect(warnings.some((w) => w.msg.endsWith('(repeated)'))).toBe(false);
    server!.app.notebooks!.service.warnings.flush();
    expect(warnings.find((w) => w.msg === 'notebook: message rejected (repeated)' && w.fields?.code === 'bad_update')?.fields?.repeated).toBe(cases.filter((c) => c[2] === 'bad_update').length - 1);
    // The player's real edits still go through afterwards.
    const fresh = await openNotebook(server!.url, id, 'Pia', { credential: playerCred });
    open.push(fresh);
    insertCell(fresh.doc, { kind: 'markdown', text: 'fine' }, { by: 'Pia', at: '', via: 'editor' });
    await fresh.provider.whenSaved();
    await until(() => cells(hostNb.doc).length === before.cells + 1, 'the good edit');
  });

  it('the host decides: spectators may edit, and a locked notebook refuses everyone', async () => {
    const { id, hostNb, playerNb, specNb, snapshot } = await roomWithSeats();
    const r = await specNb.provider.setPolicy({ locked: true });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error.code).toBe('not_host');
    accepted(await hostNb.provider.setPolicy({ spectators: 'edit' }));
    await until(() => specNb.provider.canEdit, 'spectators to be allowed');
    insertCell(specNb.doc, { kind: 'markdown', text: 'from the back row' }, { by: 'Sid', at: '', via: 'editor' });
    await specNb.provider.whenSaved();
    await until(() => cells(hostNb.doc).length === 3, 'the spectator\'s cell');
    expect(specNb.provider.diverged).toBe(false);
    accepted(await hostNb.provider.setPolicy({ locked: true }));
    await until(() => !playerNb.provider.canEdit && !hostNb.provider.canEdit, 'everyone to be read-only');
    const before = snapshot();
    const note = updateFrom(playerNb.doc, (d) => insertCell(d, { kind: 'markdown', text: 'too late' }, { by: 'x', at: '', via: 'editor' }));
    const refused = await rawEmit(playerNb.socket, 'notebook:sync', { id, data: upd(note) });
    expect(refused.ok ? '' : refused.error.code).toBe('locked');
    expect(snapshot()).toEqual(before);
    accepted(await hostNb.provider.setPolicy({ locked: false }));
    await until(() => playerNb.provider.canEdit, 'unlocked');
  });

  it('a joined socket cannot speak for another connection\'s presence, and a join needs the right protocol', async () => {
    server = await startServer({ log });
    const a = await openNotebook(server.url, 'nb-presence-x', 'Ada');
    open.push(a);
    const s = nbSocket(server.url);
    s.connect();
    const wrong = await rawEmit(s, 'notebook:join', { protocol: 99, id: 'nb-presence-x', name: 'Eve' });
    expect(wrong.ok ? '' : wrong.error.code).toBe('protocol_mismatch');
    accepted(await rawEmit(s, 'notebook:join', { protocol: NOTEBOOK_PROTOCOL_VERSION, id: 'nb-presence-x', name: 'Eve' }));
    // Ada's client id, claimed by Eve's connection.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, a.doc.clientID);
    encoding.writeVarUint(e, 99);
    encoding.writeVarString(e, JSON.stringify({ user: { name: 'Ada', color: '#000000' }, cursor: null }));
    const spoof = await rawEmit(s, 'notebook:awareness', { id: 'nb-presence-x', data: encoding.toUint8Array(e) });
    expect(spoof.ok ? '' : spoof.error.code).toBe('bad_request');
    s.disconnect();
  });
});
