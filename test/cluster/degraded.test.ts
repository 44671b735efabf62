// Degraded services under play: three nodes whose Redis is a private redis-server the test
// restarts (test/cluster/redis-server.ts, nothing kept), and whose PostgreSQL sits behind a TCP
// proxy the test pauses (test/cluster/tcp-proxy.ts: connections open, nothing answers, longer
// than a lease). Race rooms with players on every node and a notebook edited from two nodes
// go on throughout. Nothing acknowledged may be lost, readiness says when the database is
// away, and the cluster must recover by itself: the same node processes, never restarted.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deathOf, killChildServers } from '../child-server.js';
import { openNotebook } from '../notebook/helpers.js';
import { startCluster, type TestCluster } from './harness.js';
import { NotebookWriter } from './notebook-writers.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';
import { audit, raceRoom, until, type PlayedRoom, type Site } from './room-players.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { randomStream } from '../../engine/index.js';

const LEASE_MS = 3000;

const readiness = (url: string) => fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);

describe('degraded services: Redis restarted and PostgreSQL paused during play', () => {
  let cluster: TestCluster;
  let redis: PrivateRedis;
  let proxy: TcpProxy;
  const running = (i: number) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; };
  const site: Site = { urls: () => cluster.nodes.map((n) => n.url), alive: running };
  const rooms: PlayedRoom[] = [];
  const writers: NotebookWriter[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    proxy = await startTcpProxy('127.0.0.1', 5432);
    cluster = await startCluster({ nodes: 3, leaseMs: LEASE_MS, redisUrl: redis.url, databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
  }, 90_000);
  afterAll(async () => {
    for (const r of rooms) r.close();
    for (const w of writers) w.close();
    proxy?.resume();
    await cluster?.stop();
    killChildServers();
    await proxy?.close();
    await redis?.stop();
  }, 30_000);

  it('loses nothing acknowledged and recovers without restarting a node', async () => {
    for (let i = 0; i < 3; i++) rooms.push(await raceRoom(site, i, 4, { think: [30, 120], rng: randomStream(40 + i), restart: true }));
    const pids = cluster.nodes.map((n) => n.child.pid);
    const nb = 'nb-degraded';
    writers.push(new NotebookWriter(nb, 'Ada', 0, site, 'ada-key-0123456789abcdef'), new NotebookWriter(nb, 'Bo', 1, site, 'bo-key-0123456789abcdefg'));
    const writing = writers.map((w, i) => w.run(randomStream(50 + i)));
    for (const r of rooms) r.start();
    const moreSteps = async (what: string, n: number, since: number) => {
      const from = new Map(rooms.map((r) => [r, r.acked.length]));
      await until(what, () => rooms.every((r) => r.acked.length >= from.get(r)! + n && r.lastAckAt > since), 60_000);
    };
    await moreSteps('every room to play', 4, 0);

    // Redis restarted, empty: broadcasts and forwarding pause, then carry on by themselves.
    await redis.restart();
    const tRedis = performance.now();
    await moreSteps('steps after the Redis restart', 4, tRedis);
    const marks = writers.map((w) => w.acked.length);
    await until('notebook updates acknowledged after the Redis restart', () => writers.every((w, i) => w.acked.length > marks[i]!), 30_000);

    // PostgreSQL paused longer than a lease: requests that need it are refused or wait; readiness turns false.
    proxy.pause();
    const tPause = performance.now();
    await until('a node to say it is not ready', async () => (await Promise.all(site.urls().map(readiness))).includes(503), 20_000);
    await until('the pause to outlast a lease', () => performance.now() - tPause > LEASE_MS + 1500, 20_000);
    proxy.resume();
    const tBack = performance.now();
    await until('every node ready again', async () => (await Promise.all(site.urls().map(readiness))).every((s) => s === 200), 30_000);
    await moreSteps('steps after PostgreSQL came back', 4, tBack);
    const marks2 = writers.map((w) => w.acked.length);
    await until('notebook updates acknowledged after PostgreSQL came back', () => writers.every((w, i) => w.acked.length > marks2[i]!), 30_000);

    // Stop, let the last broadcasts land, and compare.
    for (const r of rooms) r.stop();
    for (const w of writers) w.stop();
    await Promise.all(writing);
    // Recovered by itself: the very same processes, all alive (a dead one says why).
    expect(cluster.nodes.map((n) => n.child.pid)).toEqual(pids);
    expect(cluster.nodes.map((n) => deathOf(n.child))).toEqual([null, null, null]);
    await until('every seat to hold its room\'s newest state', () => rooms.every((r) => r.seats.every((p) => p.joined && (p.game?.version ?? -1) >= r.maxAcked)));
    let a = await audit(site.urls()[0]!, rooms);
    await until('every player equal to the server', async () => (a = await audit(site.urls()[0]!, rooms)).unequal.length === 0, 15_000).catch(() => undefined);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    const reader = await openNotebook(site.urls()[2]!, nb, 'Reader');
    try {
      for (const w of writers) await until(`${w.name}'s acknowledged marks in the stored notebook`, () => w.acked.every((m) => w.textIn(reader.doc).includes(m)), 20_000);
    } finally {
      reader.close();
    }
  }, 240_000);
});
