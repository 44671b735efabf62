// Split brain: the owner of a busy race room is frozen (SIGSTOP) past its lease while its
// players go on through the other nodes; another node takes the room over at a higher fencing
// token. When the frozen node wakes (SIGCONT) it believes for a moment that it still owns the
// room: it must not commit anything for it — it lets the room go, an intent sent to it is
// answered from the new owner's history — and the room has one history: every acknowledged
// step at its place, the stored steps those every client holds.
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameStep, GameView, JoinedData } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { GameFollower } from '../../protocol/game-step.js';
import { killChildServers } from '../child-server.js';
import { startCluster, type TestCluster } from './harness.js';
import { ask, audit, connectTo, ownedBy, raceRoom, until, type PlayedRoom, type Site } from './room-players.js';
import { adminQuery } from './services.js';
import { randomStream } from '../../engine/index.js';

const LEASE_MS = 2000;

describe('split brain: a frozen owner wakes after another node took its room', () => {
  let cluster: TestCluster;
  const frozen = new Set<number>();
  const running = (i: number) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; };
  const site: Site = { urls: () => cluster.nodes.map((n) => n.url), alive: (i) => running(i) && !frozen.has(i) };
  let room: PlayedRoom | null = null;
  let watcher: Socket | null = null;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3, leaseMs: LEASE_MS });
  }, 90_000);
  afterAll(async () => {
    room?.close();
    watcher?.disconnect();
    await cluster?.stop();
    killChildServers();
  }, 30_000);

  it('the woken node commits nothing for the room, and the room keeps one history', async () => {
    room = await raceRoom(site, 0, 4, { think: [20, 80], rng: randomStream(3), restart: true });
    const r = room;
    r.start();
    await until('the room to play', () => r.acked.length >= 6, 45_000);
    const tokenOf = async () => Number((await adminQuery(`SELECT token FROM ${cluster.schema}.room_owner WHERE code = $1`, [r.code])).rows[0]?.token);
    const ownerOf = async () => (await Promise.all(cluster.nodes.map((n) => ownedBy(cluster.schema, n.id)))).findIndex((s) => s.has(r.code));
    const x = await ownerOf();
    expect(x).toBeGreaterThanOrEqual(0);
    const tokenBefore = await tokenOf();
    // A spectator connected to the owner itself: it will speak to the woken node.
    watcher = await connectTo(cluster.nodes[x]!.url);
    const w = await ask<JoinedData>(watcher, 'room:join', { protocol: PROTOCOL_VERSION, code: r.code, name: 'watcher' });
    expect(w.ok).toBe(true);
    let watched: GameView = w.data!.game;
    const ws = watcher;
    const follower = new GameFollower({
      sync: (code) => ask<GameView>(ws, 'game:sync', { code }).then((r) => (r.ok ? r.data! : null)),
      changed: (g) => { if (g.version > watched.version) watched = g; },
    });
    follower.view = watched;
    watcher.on('game:state', (g: GameView) => follower.full(g));
    watcher.on('game:step', (d: GameStep) => follower.step(d));

    // Frozen: its players give up on it and go to the others (as a browser would after its timeouts).
    frozen.add(x);
    cluster.nodes[x]!.child.kill('SIGSTOP');
    const tFreeze = performance.now();
    for (const p of r.seats) if (p.node === x) p.socket?.disconnect();
    // Another node takes the room over at a higher token, and play goes on there.
    await until('another node to own the room', async () => { const o = await ownerOf(); return o >= 0 && o !== x; }, 30_000);
    const y = await ownerOf();
    const tokenAfter = await tokenOf();
    expect(tokenAfter).toBeGreaterThan(tokenBefore);
    const ackedAtTakeover = r.acked.length;
    await until('steps at the new owner', () => r.acked.length >= ackedAtTakeover + 5 && r.lastAckAt > tFreeze, 30_000);
    // Well past the lease: the frozen node's lease is over by every clock.
    await until('the lease to be long over', () => performance.now() - tFreeze > 3 * LEASE_MS, 10_000);

    // Woken: it must not act for the room again. An intent sent to it is served by the owner's history.
    cluster.nodes[x]!.child.kill('SIGCONT');
    frozen.delete(x);
    const g = watched;
    const fresh = await ask<{ version: number }>(watcher, 'game:undo', { version: g.version });
    // A spectator may not undo: the answer comes back (from the new owner), and changes nothing.
    expect(fresh.ok).toBe(false);
    await until('the woken node to let the room go', async () => !(await ownedBy(cluster.schema, cluster.nodes[x]!.id)).has(r.code), 15_000);
    // The row itself, expired or not: a renewal that is late on a busy machine must not read as "nobody".
    const holder = String((await adminQuery(`SELECT owner FROM ${cluster.schema}.room_owner WHERE code = $1`, [r.code])).rows[0]?.owner ?? '');
    expect(holder.startsWith(cluster.nodes[y]!.id)).toBe(true);
    expect(await tokenOf()).toBe(tokenAfter);
    await until('more steps after the wake', () => r.acked.length >= ackedAtTakeover + 10, 30_000);
    r.stop();
    await until('every seat to hold the newest state', () => r.seats.every((p) => p.joined && (p.game?.version ?? -1) >= r.maxAcked));

    // One history: every acknowledged step at its place, every client equal to the server, and the
    // stored current run exactly what they hold; acknowledged positions never repeat.
    const living = site.urls()[y]!;
    let a = await audit(living, [r]);
    await until('every player equal to the server', async () => (a = await audit(living, [r])).unequal.length === 0, 15_000).catch(() => undefined);
    expect(a.lost).toEqual([]);
    expect(a.unequal).toEqual([]);
    const places = r.acked.map((s) => `${s.run}:${s.pos}`);
    expect(new Set(places).size).toBe(places.length);
    const final = r.seats[0]!.game!;
    const rows = await adminQuery(`SELECT actor, step FROM ${cluster.schema}.actions WHERE room = $1 ORDER BY idx`, [r.code]);
    expect(rows.rows.map((x: { actor: string; step: string }) => `${x.actor}:${x.step}`)).toEqual(final.actions.map((s) => `${s.actor}:${s.step}`));
    // The watcher on the woken node sees that same history too.
    await until('the watcher on the woken node to see the final state', () => watched.version >= final.version, 15_000);
    expect(JSON.stringify(watched.actions)).toBe(JSON.stringify(final.actions));
  }, 180_000);
});
