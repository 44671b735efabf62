// Failover figures of bench:cluster: race rooms play at human rate on a 3-node cluster while
// the node that owns a randomly chosen busy room is SIGKILLed at seeded random moments, then
// started again (test/cluster/room-players.ts plays the rooms and audits them).
//
// A client of an affected room (one the killed node owned, or one connected to it) is
// consistent again once (1) it is joined on a living node, (2) it holds a state received
// after the kill whose version is at least every version acknowledged before the kill, and
// (3) its room has acknowledged a step after the kill (the takeover is done). Players of
// affected rooms step again as soon as they can, so no think time is in the figure.
// Lost: an acknowledged step that is not at its place in the room's final history.

import { performance } from 'node:perf_hooks';
import { audit, ownedBy, raceRoom, recovery, type PlayedRoom, type Site } from '../../test/cluster/room-players.js';
import type { Target } from './targets.js';
import { percentile } from './load.js';
import { randomStream } from '../../engine/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FailoverOptions {
  rooms: number;
  players: number;
  kills: number;
  seed: number;
  out: (s: string) => void;
  load: () => string;
}

export async function runFailover(target: Target, o: FailoverOptions): Promise<void> {
  const cluster = target.cluster!;
  const rng = randomStream(o.seed);
  const site: Site = {
    urls: () => cluster.nodes.map((n) => n.url),
    alive: (i) => { const c = cluster.nodes[i]!.child; return c.exitCode === null && c.signalCode === null; },
  };
  const rooms: PlayedRoom[] = [];
  for (let i = 0; i < o.rooms; i += 10) rooms.push(...(await Promise.all(Array.from({ length: Math.min(10, o.rooms - i) }, (_, k) => raceRoom(site, i + k, o.players, { think: [400, 1600], rng, restart: true })))));
  for (const r of rooms) r.start();
  const times: number[] = [];
  const clientTimes: number[] = [];
  let timedOut = 0;
  try {
    await sleep(3000);
    for (let k = 0; k < o.kills; k++) {
      await sleep(500 + rng() * 2500);
      const room = rooms[Math.floor(rng() * rooms.length)]!;
      const owners = await Promise.all(cluster.nodes.map((n) => ownedBy(cluster.schema, n.id)));
      const victim = owners.findIndex((s) => s.has(room.code));
      if (victim < 0) { k--; continue; }
      const owned = owners[victim]!;
      const before = new Map(rooms.map((r) => [r, r.maxAcked]));
      const tKill = performance.now();
      await cluster.signal(victim, 'SIGKILL');
      const { times: all, waited } = await recovery(rooms, owned, victim, tKill, before, 30_000);
      clientTimes.push(...all);
      const t = all.length === waited ? Math.max(...all) : NaN;
      if (Number.isFinite(t)) times.push(t);
      else timedOut++;
      o.out(`kill ${String(k + 1).padStart(2)}: node ${victim + 1} (owned ${owned.size} rooms), ${waited} clients affected, all consistent after ${Number.isFinite(t) ? `${(t / 1000).toFixed(2)} s` : `— (${waited - all.length} not within 30 s)`}; load ${o.load()}`);
      await cluster.restart(victim);
    }
  } finally {
    for (const r of rooms) r.stop();
  }
  await sleep(1500);
  const a = await audit(site.urls()[0]!, rooms);
  for (const r of rooms) r.close();
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  o.out(`failover over ${times.length} kills: p50 ${s(percentile(times, 50))}, p95 ${s(percentile(times, 95))}, max ${s(Math.max(...times))} (goal p95 ≤ 3 s); per client p50 ${s(percentile(clientTimes, 50))}, p95 ${s(percentile(clientTimes, 95))}; ${timedOut} kills not recovered within 30 s`);
  o.out(`acknowledged steps: ${a.checked} checked, ${a.lost.length} lost (goal 0); clients not equal to the server at the end: ${a.unequal.length}`);
}
