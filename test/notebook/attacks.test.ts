// An adversarial editor over a real socket: for every attack on the notebook's guarantees
// (planted deletes, writing under another connection's client id, GC structs, clock gaps,
// cyclic references, claiming someone else's id), the update is refused with its typed
// code, nothing is stored or relayed, and the victim's next edit reaches everyone and the disk.

import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { insertCell } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';
import type { Client } from '../server/helpers.js';
import { cellUnder, clockGap, cycle, fork, futureDeletes, gcStructs, plantedDeletes, replay, updateMessage, visible } from './adversary.js';
import { accepted, cells, connect, nbSocket, ok, openNotebook, rawEmit, shortestTrace, startServer, until, type NbClient, type TestServer } from './helpers.js';

let server: TestServer | null = null;
const open: NbClient[] = [];
const games: Client[] = [];
const sockets: ReturnType<typeof nbSocket>[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  for (const c of games.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.disconnect();
  if (server) {
    await server.stop();
    server.cleanup();
    server = null;
  }
});

const EVE_A = 0x0eee0001;
const EVE_B = 0x0eee0002;

/** Eve's raw connection: joined with her own key, claiming two fresh ids and `also`. */
async function eve(id: string, also: number[] = []) {
  const s = nbSocket(server!.url);
  sockets.push(s);
  s.connect();
  const joined = accepted(await rawEmit(s, 'notebook:join', {
    protocol: NOTEBOOK_PROTOCOL_VERSION, id, name: 'Eve', editor: { key: 'eve-secret-key-0123456789', clients: [EVE_A, EVE_B, ...also] },
  })) as { clients: number[]; canEdit: boolean };
  const relayed: unknown[] = [];
  return { s, joined, relayed, send: (u: Uint8Array) => rawEmit(s, 'notebook:sync', { id, data: updateMessage(u) }) };
}

describe('an adversarial editor', () => {
  it('is refused every attack in a free notebook; the victims’ next edits reach everyone and the disk', async () => {
    server = await startServer();
    const id = 'nb-attacked';
    const hana = await openNotebook(server.url, id, 'Hana');
    const pia = await openNotebook(server.url, id, 'Pia');
    open.push(hana, pia);
    const serverDoc = () => server!.app.notebooks!.service.peek(id)!;
    const serverId = serverDoc().clientID;
    const e = await eve(id, [hana.doc.clientID, serverId]);
    // Only Eve's own fresh ids are hers: not Hana's, not the server's.
    expect(e.joined.canEdit).toBe(true);
    expect(e.joined.clients.sort()).toEqual([EVE_A, EVE_B].sort());
    // Something to write beside: a first cell each.
    insertCell(hana.doc, { kind: 'markdown', text: 'Hana’s first cell' }, { by: 'Hana', at: '', via: 'editor' });
    insertCell(pia.doc, { kind: 'markdown', text: 'Pia’s first cell' }, { by: 'Pia', at: '', via: 'editor' });
    await hana.provider.whenSaved();
    await pia.provider.whenSaved();
    const heard: number[] = [];
    for (const c of [hana, pia]) c.socket.on('notebook:sync', () => heard.push(1));

    const snapshot = () => ({ sv: [...Y.decodeStateVector(Y.encodeStateVector(serverDoc()))], rows: server!.store.notebooks.stats(id), seen: visible(serverDoc()) });
    const attacks: [string, () => Uint8Array, string[]][] = [
      ['planted deletes under the victim’s id', () => plantedDeletes(serverDoc(), hana.doc.clientID, 2), ['not_your_client']],
      ['planted deletes under the server’s id', () => plantedDeletes(serverDoc(), serverId, 1), ['not_your_client']],
      ['planted deletes under an own id (a gap)', () => plantedDeletes(serverDoc(), EVE_A, 2), ['missing_dependency']],
      ['a delete set over the victim’s next clocks', () => futureDeletes(serverDoc(), pia.doc.clientID), ['missing_dependency']],
      ['a valid cell under the victim’s id', () => cellUnder(serverDoc(), pia.doc.clientID), ['not_your_client']],
      ['GC structs under an own id', () => gcStructs(serverDoc(), EVE_B), ['bad_update']],
      ['GC structs under the victim’s id', () => gcStructs(serverDoc(), hana.doc.clientID), ['bad_update', 'not_your_client']],
      ['a first clock that skips ahead', () => clockGap(serverDoc(), EVE_A), ['missing_dependency']],
      ['items that wait on each other', () => cycle(EVE_A, EVE_B), ['bad_update']],
    ];
    const sent: string[] = [];
    for (const [what, make, codes] of attacks) {
      const before = snapshot();
      const u = make();
      sent.push(`${what}: ${u.byteLength} bytes`);
      const r = await e.send(u);
      expect(r.ok, what).toBe(false);
      expect(codes, `${what}: ${JSON.stringify(r)}`).toContain(r.ok ? 'ok' : r.error.code);
      expect(snapshot(), what).toEqual(before);
      // The victims write next: their edits are stored and everyone sees them.
      insertCell(hana.doc, { kind: 'markdown', text: `Hana after ${what}` }, { by: 'Hana', at: '', via: 'editor' });
      insertCell(pia.doc, { kind: 'markdown', text: `Pia after ${what}` }, { by: 'Pia', at: '', via: 'editor' });
      await hana.provider.whenSaved();
      await pia.provider.whenSaved();
      await until(() => visible(hana.doc) === visible(serverDoc()) && visible(pia.doc) === visible(serverDoc()), `${what}: everyone converges`);
      const texts = cells(serverDoc()).map((c) => (c.kind === 'markdown' ? c.text.toString() : ''));
      expect(texts, what).toContain(`Hana after ${what}`);
      expect(texts, what).toContain(`Pia after ${what}`);
      expect(visible(replay(server.store.notebooks.updates(id))), `${what}: the log replays to what everyone sees`).toBe(visible(serverDoc()));
    }
    expect(hana.provider.diverged || pia.provider.diverged).toBe(false);
    // Eve may still edit honestly under her own id.
    accepted(await e.send(cellUnder(serverDoc(), EVE_A, 'an honest cell')));
    await until(() => cells(hana.doc).some((c) => c.kind === 'markdown' && c.text.toString() === 'an honest cell'), 'Eve’s honest cell');
    console.log(`attacks sent: ${sent.length}, all refused\n  ${sent.join('\n  ')}`);
  });

  it('cannot plant a delete in the next recorded run of a room', async () => {
    server = await startServer();
    const host = await connect(server.url);
    games.push(host);
    const joined = await host.create('Ada', { lesson: 'fixture-scheduler' });
    const code = joined.room.code;
    const id = `room-${code}`;
    const player = await connect(server.url);
    games.push(player);
    const pj = await player.join(code, 'Eve');
    ok(await player.call('role:claim', { role: 'victim' }));
    const ada = await openNotebook(server.url, id, 'Ada', { credential: { kind: 'room', room: code, token: joined.token } });
    open.push(ada);
    const s = nbSocket(server.url);
    sockets.push(s);
    s.connect();
    const doc = server.app.notebooks!.service.peek(id)!;
    const serverId = doc.clientID;
    accepted(await rawEmit(s, 'notebook:join', {
      protocol: NOTEBOOK_PROTOCOL_VERSION, id, name: 'Eve', credential: { kind: 'room', room: code, token: pj.token }, editor: { key: 'eve-secret-key-0123456789', clients: [EVE_A] },
    }));
    // The server writes the next trace cell under its own id, at its current clock: Eve plants a delete there.
    const r = await rawEmit(s, 'notebook:sync', { id, data: updateMessage(plantedDeletes(fork(doc, EVE_A), serverId, 3)) });
    expect(r.ok ? 'ok' : r.error.code).toBe('not_your_client');
    const trace = shortestTrace(host.game.state.scenario, 'oops');
    for (let i = 0; i < trace.length; i++) ok(await host.call('game:act', { ...trace[i]!, version: i }));
    await until(() => cells(ada.doc).some((c) => c.kind === 'trace'), 'the trace cell');
    await server.app.notebooks!.service.compactAll();
    expect(cells(replay(server.store.notebooks.updates(id))).filter((c) => c.kind === 'trace')).toHaveLength(1);
    expect(visible(replay(server.store.notebooks.updates(id)))).toBe(visible(doc));
  });

  it('loses the seat with the room at once: a released player stops editing, a former host loses the policy', async () => {
    server = await startServer();
    const host = await connect(server.url);
    games.push(host);
    const joined = await host.create('Ada', { lesson: 'fixture-scheduler' });
    const code = joined.room.code;
    const id = `room-${code}`;
    const player = await connect(server.url);
    games.push(player);
    const pj = await player.join(code, 'Ben');
    ok(await player.call('role:claim', { role: 'victim' }));
    const ada = await openNotebook(server.url, id, 'Ada', { credential: { kind: 'room', room: code, token: joined.token } });
    const ben = await openNotebook(server.url, id, 'Ben', { credential: { kind: 'room', room: code, token: pj.token } });
    open.push(ada, ben);
    expect([ada.provider.seat, ben.provider.seat, ben.provider.canEdit]).toEqual(['host', 'player', true]);
    ok(await host.call('role:release', { playerId: pj.playerId }));
    await until(() => ben.provider.seat === 'spectator' && !ben.provider.canEdit, 'Ben to be a spectator in the notebook');
    const doc = server.app.notebooks!.service.peek(id)!;
    const before = server.store.notebooks.stats(id);
    const r = await rawEmit(ben.socket, 'notebook:sync', { id, data: updateMessage(cellUnder(doc, ben.doc.clientID)) });
    expect(r.ok ? 'ok' : r.error.code).toBe('read_only');
    expect(server.store.notebooks.stats(id)).toEqual(before);
    // The host's powers pass to Ben: Ada, who holds no actor, is a spectator from now on.
    ok(await host.call('host:handover', { to: pj.playerId }));
    await until(() => ada.provider.seat !== 'host' && ben.provider.seat === 'host', 'the seats to follow the host');
    const lock = await ada.provider.setPolicy({ locked: true });
    expect(lock.ok ? 'ok' : lock.error.code).toBe('not_host');
    accepted(await ben.provider.setPolicy({ spectators: 'edit' }));
  });
});
