// Seeded validator fuzz: several simulated editors and one adversary share a notebook on
// the real NotebookService and SQLite log. Honest editors insert, type, delete and go
// offline and back; the adversary mixes honest edits with every known attack (planted
// deletes, writing under another editor's id, GC structs, clock gaps, cyclic references,
// future deletes, claiming ids that are not hers, random bytes). After every step: nothing
// is pending in the server's document, the stored log replays to exactly what the server
// holds, and every online honest editor sees the same. Now and then the server restarts:
// its log is compacted and the checks go on against the document reloaded from it. A
// failure prints the seed and the list of updates sent; a failing seed becomes a named
// regression below.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { insertCell, readCells } from '../../protocol/notebook/doc.js';
import { NOTEBOOK_PROTOCOL_VERSION } from '../../protocol/notebook/events.js';
import { cellUnder, clockGap, cycle, futureDeletes, gcStructs, plantedDeletes, replay, visible } from '../../test/notebook/adversary.js';
import { systemClock } from '../clock.js';
import type { LessonCatalog } from '../lessons.js';
import { silentLog } from '../log.js';
import type { GamePorts } from './ports.js';
import { SqliteStore } from '../store/sqlite.js';
import type { NotebookRelay } from './relay.js';
import { NotebookService } from './service.js';
import { randomStream } from '../../engine/index.js';

const ID = 'nb-fuzz';

function msg(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

interface Editor {
  name: string;
  socket: string;
  doc: Y.Doc;
  key: string;
  online: boolean;
  /** Updates in flight to the server. */
  inflight: Promise<void>[];
}

type Sent = { step: number; who: string; what: string; update: string; verdict: string };

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function run(seed: number, steps: number): Promise<{ sent: Sent[]; refused: number; accepted: number; restarts: number }> {
  const rand = randomStream(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const store = new SqliteStore(':memory:');
  const editors = new Map<string, Editor>();
  const sent: Sent[] = [];
  let step = 0;
  let refused = 0;
  let accepted = 0;
  const failures: string[] = [];

  const deliver = (e: Editor, data: Uint8Array) => {
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (type === syncProtocol.messageYjsSyncStep1) {
      // The server's state vector after a join: answer with what it lacks (offline edits).
      const diff = Y.encodeStateAsUpdate(e.doc, payload);
      if (diff.byteLength > 2) send(e, 'offline edits', msg(syncProtocol.messageYjsSyncStep2, diff), true);
    } else Y.applyUpdate(e.doc, payload, 'server');
  };
  const relay: NotebookRelay = {
    sync(_id, data, except) {
      for (const e of editors.values()) if (e.online && e.socket !== except) deliver(e, data);
    },
    syncTo(socketId, _id, data) {
      const e = editors.get(socketId);
      if (e?.online) deliver(e, data);
    },
    awareness() {},
    awarenessTo() {},
    meta() {},
    reset(socketId) {
      failures.push(`step ${step}: the server reset ${socketId}'s notebook`);
    },
  };
  // A free notebook: no room or class seat to prove, no room to open.
  const noGame: GamePorts = { seatOf: () => Promise.resolve(null), openRoom: () => { throw new Error('this notebook opens no room'); } };
  const startService = () => new NotebookService({
    store: store.notebooks, game: store, ports: noGame, lessons: {} as LessonCatalog,
    clock: systemClock, log: silentLog, relay, compactUpdates: 40, idleUnloadMs: 3_600_000,
  });
  let service = startService();
  let restarts = 0;
  cleanup = async () => {
    await service.stop();
    store.close();
  };

  /** Sends one sync message from an honest editor: it must be accepted. */
  function send(e: Editor, what: string, data: Uint8Array, honest: boolean): void {
    const entry: Sent = { step, who: e.name, what, update: Buffer.from(data).toString('base64'), verdict: '…' };
    sent.push(entry);
    const r = service.sync(e.socket, ID, data);
    e.inflight.push(Promise.resolve(r).then((v) => {
      entry.verdict = v.ok ? 'ok' : v.error.code;
      if (honest && !v.ok) failures.push(`step ${step}: ${e.name}'s honest ${what} was refused: ${v.error.code} ${v.error.message}`);
    }));
  }

  async function join(e: Editor): Promise<void> {
    e.online = true;
    const r = await service.join(e.socket, { protocol: NOTEBOOK_PROTOCOL_VERSION, id: ID, name: e.name, editor: { key: e.key, clients: [e.doc.clientID] } });
    if (!r.ok) throw new Error(`${e.name} could not join: ${r.error.message}`);
    if (!r.data.clients.includes(e.doc.clientID)) throw new Error(`${e.name}'s own client id was refused`);
    // y-protocols handshake: our state vector (the server answers with what we lack), then theirs.
    const mine = encoding.createEncoder();
    syncProtocol.writeSyncStep1(mine, e.doc);
    const answer = service.sync(e.socket, ID, encoding.toUint8Array(mine));
    if (answer instanceof Promise || !answer.ok) throw new Error('step 1 was not answered at once');
    service.greet(e.socket, ID);
  }

  const names = ['Ana', 'Ben', 'Cai'];
  for (const [i, name] of names.entries()) {
    const doc = new Y.Doc({ gc: false });
    doc.clientID = 1000 + i * 7919 + (seed % 997);
    const e: Editor = { name, socket: `s-${name}`, doc, key: `key-of-${name}-0123456789abcdef`, online: false, inflight: [] };
    editors.set(e.socket, e);
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'server' && e.online) send(e, 'edit', msg(syncProtocol.messageYjsUpdate, u), true);
    });
    await join(e);
  }
  // The adversary: her own key and ids, and a look at the server's document whenever she likes.
  const EVE = 's-Eve';
  const eveIds = [0x7e000001 + seed, 0x7e100001 + seed];
  const eveJoin = (claims: number[]) => service.join(EVE, { protocol: NOTEBOOK_PROTOCOL_VERSION, id: ID, name: 'Eve', editor: { key: 'eve-key-0123456789abcdef', clients: claims } });
  const eveJoined = await eveJoin(eveIds);
  if (!eveJoined.ok || eveJoined.data.clients.length !== 2) throw new Error('Eve could not claim her ids');
  const serverDoc = () => service.peek(ID)!;
  const honest = () => [...editors.values()];
  const victimIds = () => [...honest().map((e) => e.doc.clientID), serverDoc().clientID];

  const settle = async () => {
    for (let round = 0; round < 5; round++) {
      const all = honest().flatMap((e) => e.inflight.splice(0));
      if (all.length === 0) break;
      await Promise.all(all);
    }
  };

  const markdown = (doc: Y.Doc) => readCells(doc).filter((c) => c.kind === 'markdown') as Extract<ReturnType<typeof readCells>[number], { kind: 'markdown' }>[];
  const honestOps: ((e: Editor) => void | Promise<void>)[] = [
    (e) => insertCell(e.doc, { kind: 'markdown', text: `cell ${step} by ${e.name}` }, { by: e.name, at: '', via: 'editor' }, int(e.doc.getArray('cells').length + 1)),
    (e) => {
      const cs = markdown(e.doc);
      if (!cs.length) return;
      const t = pick(cs).text;
      t.insert(int(t.length + 1), pick(['a', 'bc', ' ', 'déf', '😀']));
    },
    (e) => {
      const cs = markdown(e.doc);
      if (!cs.length) return;
      const t = pick(cs).text;
      if (t.length) t.delete(int(t.length), 1 + int(3));
    },
    (e) => {
      const cells = e.doc.getArray('cells');
      const i = readCells(e.doc).findIndex((c) => c.kind === 'markdown');
      if (i >= 0 && cells.length > 2) cells.delete(i, 1);
    },
    async (e) => {
      if (e.online) {
        service.disconnect(e.socket);
        e.online = false;
      } else await join(e);
    },
  ];
  type Attack = { what: string; make: () => Uint8Array | null };
  const attacks: Attack[] = [
    { what: 'planted deletes under a victim id', make: () => (serverDoc().getArray('cells').length ? plantedDeletes(serverDoc(), pick(victimIds()), 1 + int(3)) : null) },
    { what: 'planted deletes under an own id', make: () => (serverDoc().getArray('cells').length ? plantedDeletes(serverDoc(), pick(eveIds), 1 + int(3)) : null) },
    { what: 'a cell under a victim id', make: () => cellUnder(serverDoc(), pick(victimIds())) },
    { what: 'deletes over a victim’s future clocks', make: () => futureDeletes(serverDoc(), pick(victimIds())) },
    { what: 'deletes over own future clocks', make: () => futureDeletes(serverDoc(), pick(eveIds)) },
    { what: 'GC structs', make: () => gcStructs(serverDoc(), pick([...eveIds, ...victimIds()])) },
    { what: 'a clock gap', make: () => clockGap(serverDoc(), pick(eveIds)) },
    { what: 'a reference cycle', make: () => cycle(eveIds[0]!, eveIds[1]!) },
    { what: 'random bytes', make: () => Uint8Array.from({ length: 1 + int(60) }, () => int(256)) },
  ];

  const check = (what: string) => {
    const doc = serverDoc();
    const st = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
    if (st.pendingStructs !== null || st.pendingDs !== null) failures.push(`after ${what}: the server's document holds pending structs or deletes`);
    const seen = visible(doc);
    if (visible(replay(store.notebooks.updates(ID))) !== seen) failures.push(`after ${what}: the stored log does not replay to the server's document`);
    for (const e of honest()) {
      if (e.online && visible(e.doc) !== seen) failures.push(`after ${what}: ${e.name} sees something else than the server`);
    }
    if (failures.length) {
      throw new Error(`validator fuzz failed, seed ${seed}, step ${step}:\n  ${failures.join('\n  ')}\nupdates sent (step, who, what, verdict, base64):\n${sent.map((s) => `  ${s.step} ${s.who} ${s.what} ${s.verdict} ${s.update}`).join('\n')}`);
    }
  };

  /** The server stops (compacting the log) and starts again: its document is the compacted log, reloaded. */
  const restart = async () => {
    await settle();
    const back = honest().filter((e) => e.online);
    for (const e of back) e.online = false;
    await service.stop();
    service = startService();
    restarts++;
    for (const e of back) await join(e);
    const again = await eveJoin(eveIds);
    if (!again.ok || again.data.clients.length !== 2) failures.push(`step ${step}: Eve lost her own ids in a restart`);
  };

  for (step = 0; step < steps; step++) {
    let what: string;
    if (rand() < 0.03) {
      what = 'a server restart';
      await restart();
    } else if (rand() < 0.35) {
      const a = pick(attacks);
      const u = a.make();
      what = `Eve: ${a.what}`;
      if (u) {
        const before = { rows: store.notebooks.stats(ID), seen: visible(serverDoc()) };
        const r = await service.sync(EVE, ID, msg(syncProtocol.messageYjsUpdate, u));
        sent.push({ step, who: 'Eve', what: a.what, update: Buffer.from(u).toString('base64'), verdict: r.ok ? 'ok' : r.error.code });
        if (r.ok) failures.push(`step ${step}: Eve's ${a.what} was accepted`);
        else refused++;
        if (JSON.stringify({ rows: store.notebooks.stats(ID), seen: visible(serverDoc()) }) !== JSON.stringify(before)) failures.push(`step ${step}: Eve's refused ${a.what} changed the notebook`);
      }
    } else if (rand() < 0.1) {
      // Eve edits honestly under her own id now and then, or tries to claim a victim's id.
      if (rand() < 0.5) {
        const r = await service.sync(EVE, ID, msg(syncProtocol.messageYjsUpdate, cellUnder(serverDoc(), eveIds[0]!, `Eve at ${step}`)));
        what = 'Eve: an honest cell';
        if (!r.ok) failures.push(`step ${step}: Eve's honest cell was refused (${r.error.code})`);
        else accepted++;
      } else {
        const r = await eveJoin([...eveIds, ...victimIds()]);
        what = 'Eve: claims victim ids';
        if (!r.ok || r.data.clients.some((c) => !eveIds.includes(c))) failures.push(`step ${step}: Eve got a victim's client id`);
      }
    } else {
      const e = pick(honest());
      const op = int(honestOps.length);
      what = `${e.name}: op ${op}`;
      await honestOps[op]!(e);
      accepted++;
    }
    await settle();
    check(what);
  }
  // Everyone comes back: all converge on what the log holds.
  for (const e of honest()) if (!e.online) await join(e);
  await settle();
  check('everyone reconnected');
  for (const e of honest()) expect(visible(e.doc)).toBe(visible(serverDoc()));
  return { sent, refused, accepted, restarts };
}

/** Seeds that once failed, by what they caught (run before the random ones). */
const REGRESSIONS: Record<string, number> = {};

describe('notebook validator fuzz', () => {
  for (const [name, seed] of Object.entries(REGRESSIONS)) {
    it(`regression: ${name} (seed ${seed})`, async () => {
      await run(seed, 200);
    });
  }
  for (const seed of [1, 2, 3, 42, 2024, 31337]) {
    it(`seed ${seed}: every stored log replays to what the honest editors see`, async () => {
      const r = await run(seed, 160);
      expect(r.refused).toBeGreaterThan(10);
      expect(r.accepted).toBeGreaterThan(50);
      expect(r.restarts).toBeGreaterThan(0);
    });
  }
});
