// Cluster mode end to end: three real server processes (test/cluster/harness.ts) on one
// PostgreSQL schema and one Redis prefix. Players of one room sit on different nodes and
// see the same game; every intent, wherever it arrives, is applied once, by the node that
// owns the room's lease; a class seats students from every node; a notebook edited from two
// nodes converges; a SIGKILLed owner's rooms carry on at another node with nothing
// acknowledged lost; a SIGTERM hands the node's homes over before its lease would run out.
// Everything waits on conditions (generous limits), nothing on fixed sleeps.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassView, JoinedData } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { insertCell, readCells } from '../../protocol/notebook/doc.js';
import { killChildServers } from '../child-server.js';
import { openNotebook, textOf as cellText } from '../notebook/helpers.js';
import { startCluster, type TestCluster } from './harness.js';
import { ask, audit, classRooms, connectTo, ownedBy, raceRoom, recovery, until, type PlayedRoom, type Site } from './room-players.js';
import { adminQuery } from './services.js';
import { randomStream } from '../../engine/index.js';

/** The first cell's text, or '' while the notebook has none. */
const textOf = (doc: Y.Doc) => (readCells(doc).length ? cellText(doc) : '');

describe('cluster mode: three nodes on PostgreSQL and Redis', () => {
  let cluster: TestCluster;
  const alive = (i: number) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; };
  const site: Site = { urls: () => cluster.nodes.map((n) => n.url), alive };
  const played: PlayedRoom[] = [];
  const owners = () => Promise.all(cluster.nodes.map((n) => ownedBy(cluster.schema, n.id)));
  const ownerOf = async (home: string) => (await owners()).findIndex((s) => s.has(home));
  const livingUrl = () => cluster.nodes.find((_n, i) => alive(i))!.url;
  /** Plays the rooms until each has `steps` more acknowledged steps, then stops them and lets their last broadcasts land. */
  const play = async (rooms: PlayedRoom[], steps: number) => {
    const from = new Map(rooms.map((r) => [r, r.acked.length]));
    for (const r of rooms) r.start();
    await until(`${steps} acknowledged steps in every room`, () => rooms.every((r) => r.acked.length - from.get(r)! >= steps || r.idle), 45_000);
    for (const r of rooms) r.stop();
    await settled(rooms);
  };
  /** Every seat holds the newest version its room acknowledged. */
  const settled = (rooms: PlayedRoom[]) => until('every seat to hold its room\'s newest state', () => rooms.every((r) => r.seats.every((p) => p.joined && (p.game?.version ?? -1) >= r.maxAcked)));

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3, leaseMs: 3000, env: { REAPLAB_DRAIN_DELAY_MS: '300' } });
  }, 90_000);
  afterAll(async () => {
    for (const r of played) r.close();
    await cluster?.stop();
    killChildServers();
  }, 30_000);

  it('players of one race room on three nodes see the same game, and every intent is applied once, by the room\'s owner', async () => {
    const room = await raceRoom(site, 0, 5, { think: [20, 80], rng: randomStream(7), restart: true });
    played.push(room);
    expect(new Set(room.seats.map((p) => p.node)).size).toBe(3);
    await play([room], 25);
    const a = await audit(livingUrl(), [room]);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    expect(a.checked).toBeGreaterThanOrEqual(25);
    // One owner; what it stored is each acknowledged step once, in order.
    const held = (await owners()).filter((s) => s.has(room.code));
    expect(held).toHaveLength(1);
    const stored = await adminQuery(`SELECT COUNT(*)::int AS n FROM ${cluster.schema}.actions WHERE room = $1`, [room.code]);
    const g = room.seats[0]!.game!;
    expect(stored.rows[0].n).toBe(g.actions.length);
    // A fresh look from every node agrees, and so does every seat's view, built from the
    // game:step deltas the adapter carried to its node.
    for (const url of site.urls()) {
      const s = await connectTo(url);
      const j = await ask<JoinedData>(s, 'room:join', { protocol: PROTOCOL_VERSION, code: room.code, name: 'look' });
      s.disconnect();
      expect(j.ok).toBe(true);
      expect(j.data!.game.version).toBe(g.version);
      for (const p of room.seats) expect(JSON.stringify(p.game)).toBe(JSON.stringify(j.data!.game));
    }
  }, 90_000);

  it('a class with students on every node: one owner for the class and its rooms, and the teacher sees every room', async () => {
    const cls = await classRooms(site, 'tutorial', 6, { think: [20, 80], rng: randomStream(11), restart: false });
    played.push(...cls.rooms);
    // The teacher watches from another node than the one the class was opened on.
    const dash = await connectTo(site.urls()[2]!);
    const views: ClassView[] = [];
    dash.on('class:state', (v: ClassView) => views.push(v));
    const w = await ask<ClassView>(dash, 'class:watch', { code: cls.code, teacherToken: cls.teacherToken });
    expect(w.ok).toBe(true);
    expect(w.data!.rooms.map((r) => r.code).sort()).toEqual(cls.rooms.map((r) => r.code).sort());
    await play(cls.rooms, 3);
    const a = await audit(livingUrl(), cls.rooms);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    const held = await owners();
    expect(held.filter((s) => s.has(cls.code))).toHaveLength(1);
    // The class's rooms live under the class's lease, not leases of their own.
    for (const r of cls.rooms) expect(held.some((s) => s.has(r.code))).toBe(false);
    // Steps made through other nodes reach the dashboard (coalesced views).
    await until('the dashboard to see the steps', () => views.some((v) => v.rooms.some((r) => r.steps > 0)));
    dash.disconnect();
  }, 90_000);

  it('a notebook edited from two nodes converges, and what both wrote is stored', async () => {
    const id = `nb-cluster-${Date.now().toString(36)}`;
    const a = await openNotebook(site.urls()[0]!, id, 'Ada');
    const b = await openNotebook(site.urls()[1]!, id, 'Bob', { color: '#d55e00' });
    try {
      insertCell(a.doc, { kind: 'markdown', text: 'from 1: ' }, { by: 'Ada', at: '2024-01-01T00:00:00.000Z', via: 'editor' });
      await until('the cell to reach node 2', () => textOf(b.doc).startsWith('from 1'));
      const cellOf = (doc: Y.Doc) => { const c = readCells(doc)[0]!; if (c.kind !== 'markdown') throw new Error('not a markdown cell'); return c.text; };
      for (let i = 0; i < 10; i++) {
        cellOf(a.doc).insert(cellOf(a.doc).length, 'a');
        cellOf(b.doc).insert(0, 'b');
      }
      await a.provider.whenSaved();
      await b.provider.whenSaved();
      await until('both to converge', () => textOf(a.doc) === textOf(b.doc) && textOf(a.doc).length === 'from 1: '.length + 20);
      // A third editor on the third node loads what was stored.
      const c = await openNotebook(site.urls()[2]!, id, 'Cy', { color: '#009e73' });
      try {
        await until('the stored notebook to load on node 3', () => textOf(c.doc) === textOf(a.doc));
      } finally {
        c.close();
      }
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);

  it('SIGKILL of the owner: another node takes its rooms over from the database; nothing acknowledged is lost; every client ends equal to the server', async () => {
    const rooms = await Promise.all([1, 2, 3].map((i) => raceRoom(site, i, 4, { think: [30, 120], rng: randomStream(100 + i), restart: true })));
    played.push(...rooms);
    for (const r of rooms) r.start();
    await until('every room to play', () => rooms.every((r) => r.acked.length >= 5), 45_000);
    const victim = await ownerOf(rooms[0]!.code);
    expect(victim).toBeGreaterThanOrEqual(0);
    const owned = (await owners())[victim]!;
    const before = new Map(rooms.map((r) => [r, r.maxAcked]));
    const tKill = performance.now();
    await cluster.signal(victim, 'SIGKILL');
    const { times, waited } = await recovery(rooms, owned, victim, tKill, before, 45_000);
    expect(times.length).toBe(waited);
    // Play on a little after the takeover, then stop and compare.
    await play(rooms, 3);
    const a = await audit(livingUrl(), rooms);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    for (const r of rooms) {
      const now = await ownerOf(r.code);
      expect(now).toBeGreaterThanOrEqual(0);
      expect(now).not.toBe(victim);
    }
    await cluster.restart(victim);
  }, 120_000);

  it('SIGTERM drains: readiness turns false first, then the node\'s homes are handed over before their leases would run out', async () => {
    const room = await raceRoom(site, 4, 4, { think: [30, 120], rng: randomStream(5), restart: true });
    played.push(room);
    await play([room], 3);
    const victim = await ownerOf(room.code);
    expect(victim).toBeGreaterThanOrEqual(0);
    const node = cluster.nodes[victim]!;
    const lease = await adminQuery(`SELECT expires_at FROM ${cluster.schema}.room_owner WHERE code = $1`, [room.code]);
    const expiresAt = lease.rows[0].expires_at as Date;
    node.child.kill('SIGTERM');
    // Readiness is false while the node still holds the room (the drain delay comes first).
    await until('readiness to turn false', async () => (await fetch(`${node.url}/api/ready`).then((r) => r.status, () => 0)) === 503, 10_000);
    // Another node takes the room while the old lease still had time left: it was released, not left to run out.
    await until('another node to take the room', async () => { const o = await ownerOf(room.code); return o >= 0 && o !== victim; }, 20_000);
    const at = await adminQuery('SELECT clock_timestamp() AS now');
    expect((at.rows[0].now as Date).getTime()).toBeLessThan(expiresAt.getTime());
    await new Promise<void>((r) => (node.child.exitCode !== null || node.child.signalCode !== null ? r() : node.child.once('exit', () => r())));
    await play([room], 3);
    const a = await audit(livingUrl(), [room]);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
  }, 120_000);
});
