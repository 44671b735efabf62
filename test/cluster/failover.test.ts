// Failover under play: three nodes (test/cluster/harness.ts), race rooms and a class whose
// players sit on every node, and a shared notebook edited from two nodes. At seeded random
// moments the owner of a busy room is SIGKILLed (then started again), several times. After
// each kill every affected client must be consistent again; at the end nothing acknowledged
// is lost — no step, no finished run, no notebook update — and every client holds what the
// server holds. The failover times (kill → every affected client consistent) are printed.
// The seed is REAPLAB_FAILOVER_SEED (default fixed), so a failure names the run that shows it.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildServers } from '../child-server.js';
import { openNotebook } from '../notebook/helpers.js';
import { startCluster, type TestCluster } from './harness.js';
import { NotebookWriter } from './notebook-writers.js';
import { audit, classRooms, ownedBy, raceRoom, recovery, until, type PlayedRoom, type Site } from './room-players.js';
import { randomStream } from '../../engine/index.js';

const t0 = performance.now();
const phase = (what: string) => process.stderr.write(`[failover ${((performance.now() - t0) / 1000).toFixed(1)} s] ${what}\n`);
const SEED = Number(process.env.REAPLAB_FAILOVER_SEED ?? 20261202);
const KILLS = 3;

describe(`failover: SIGKILL of busy owners at seeded moments (seed ${SEED})`, () => {
  let cluster: TestCluster;
  const alive = (i: number) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; };
  const site: Site = { urls: () => cluster.nodes.map((n) => n.url), alive };
  const rooms: PlayedRoom[] = [];
  const writers: NotebookWriter[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3, leaseMs: 2000 });
  }, 90_000);
  afterAll(async () => {
    for (const r of rooms) r.close();
    for (const w of writers) w.close();
    await cluster?.stop();
    killChildServers();
  }, 30_000);

  it('loses no acknowledged step, run or notebook update, and every client ends equal to the server', async () => {
    const rng = randomStream(SEED);
    for (let i = 0; i < 3; i++) rooms.push(await raceRoom(site, i, 4, { think: [20, 100], rng: randomStream(SEED + i), restart: true }));
    const cls = await classRooms(site, 'tutorial', 6, { think: [20, 100], rng: randomStream(SEED + 10), restart: false });
    rooms.push(...cls.rooms);
    // A class room's home is its class: the class's code names it among a node's homes.
    const homeOf = (r: PlayedRoom) => (cls.rooms.includes(r) ? cls.code : r.code);
    const nb = `nb-failover-${SEED}`;
    writers.push(new NotebookWriter(nb, 'Ada', 0, site, 'ada-key-0123456789abcdef'), new NotebookWriter(nb, 'Bo', 1, site, 'bo-key-0123456789abcdefg'));
    const writing = writers.map((w, i) => w.run(randomStream(SEED + 20 + i)));
    for (const r of rooms) r.start();
    phase('playing');
    await until('every room to play', () => rooms.every((r) => r.acked.length >= 3 || r.idle), 45_000);

    const failovers: number[] = [];
    // A killed node starts again in the background (slow on a loaded machine); a kill waits only
    // until two nodes are alive, so the one it leaves holds everything for a while.
    const restarts = new Map<number, Promise<unknown>>();
    for (let k = 0; k < KILLS; k++) {
      while (cluster.nodes.filter((_n, i) => alive(i)).length < 2) await Promise.race(restarts.values());
      // A seeded moment in the middle of play, then the owner of a seeded busy room.
      await new Promise((r) => setTimeout(r, 500 + rng() * 1500));
      const busy = rooms.filter((r) => !r.idle);
      const target = busy[Math.floor(rng() * busy.length)] ?? rooms[0]!;
      const owners = await Promise.all(cluster.nodes.map((n) => ownedBy(cluster.schema, n.id)));
      const victim = owners.findIndex((s, i) => alive(i) && s.has(homeOf(target)));
      expect(victim, `kill ${k + 1}: the owner of ${target.code}`).toBeGreaterThanOrEqual(0);
      const owned = new Set([...owners[victim]!].flatMap((h) => (h === cls.code ? cls.rooms.map((r) => r.code) : [h])));
      const before = new Map(rooms.map((r) => [r, r.maxAcked]));
      const tKill = performance.now();
      await cluster.signal(victim, 'SIGKILL');
      phase(`kill ${k + 1}: node ${victim + 1} (owner of ${homeOf(target)})`);
      const { times, waited } = await recovery(rooms, owned, victim, tKill, before, 45_000);
      expect(times.length, `kill ${k + 1} (node ${victim + 1}): clients consistent again`).toBe(waited);
      failovers.push(Math.max(0, ...times));
      phase(`kill ${k + 1}: consistent after ${Math.round(failovers[k]!)} ms`);
      const back = cluster.restart(victim).then(() => { restarts.delete(victim); phase(`node ${victim + 1} back`); });
      restarts.set(victim, back);
    }
    await Promise.all(restarts.values());

    // Play on a little after the last takeover, then stop and let the last broadcasts land.
    const from = new Map(rooms.map((r) => [r, r.acked.length]));
    await until('steps after the last kill', () => rooms.every((r) => r.acked.length > from.get(r)! || r.idle), 45_000);
    for (const r of rooms) r.stop();
    phase('stopping');
    for (const w of writers) w.stop();
    await Promise.all(writing);
    phase('writers stopped');
    await until('every seat to hold its room\'s newest state', () => rooms.every((r) => r.seats.every((p) => p.joined && (p.game?.version ?? -1) >= r.maxAcked)));
    const living = site.urls().find((_u, i) => alive(i))!;
    let a = await audit(living, rooms);
    await until('every player equal to the server', async () => (a = await audit(living, rooms)).unequal.length === 0, 15_000).catch(() => undefined);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    expect(a.checked).toBeGreaterThan(0);

    // The notebook: a fresh editor on a living node reads every acknowledged mark; the writers converge with it.
    phase('audited');
    const reader = await openNotebook(living, nb, 'Reader');
    try {
      for (const w of writers) {
        await until(`${w.name}'s acknowledged marks in the stored notebook`, () => w.acked.every((m) => w.textIn(reader.doc).includes(m)), 20_000);
        expect(w.acked.length).toBeGreaterThan(KILLS);
      }
      await until('the writers to converge with the server', () => writers.every((w) => writers.every((x) => x.textIn(w.doc) === x.textIn(reader.doc))), 20_000);
    } finally {
      reader.close();
    }
    const sorted = [...failovers].sort((x, y) => x - y);
    console.log(`failover (seed ${SEED}): ${KILLS} kills, kill → every affected client consistent: ${sorted.map((t) => `${Math.round(t)} ms`).join(', ')}; ` +
      `${a.checked} acknowledged steps checked, ${writers.map((w) => `${w.acked.length} ${w.name}`).join(' + ')} acknowledged notebook updates`);
  }, 300_000);
});
