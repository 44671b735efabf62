// One node in cluster mode (server/main.ts with REAPLAB_DATABASE_URL and REAPLAB_REDIS_URL):
// it keeps everything in PostgreSQL, its readiness asks the database, and a race room played
// through it survives a SIGKILL in the middle of play: after the restart every acknowledged
// step is in the room's history, read back from PostgreSQL, and every player ends equal to
// the server (the one node takes the room over again from its log).
import { afterEach, describe, expect, it } from 'vitest';
import { killChildServers } from '../child-server.js';
import { startCluster, type TestCluster } from './harness.js';
import { audit, raceRoom, until, type Audit, type PlayedRoom } from './room-players.js';
import { adminQuery } from './services.js';
import { randomStream } from '../../engine/index.js';

describe('one node on PostgreSQL and Redis', () => {
  let cluster: TestCluster | null = null;
  let room: PlayedRoom | null = null;
  afterEach(async () => {
    room?.close();
    room = null;
    await cluster?.stop();
    cluster = null;
    killChildServers();
  });

  it('is ready while the database answers, and a race room keeps every acknowledged step across a SIGKILL and restart', async () => {
    cluster = await startCluster({ nodes: 1 });
    const c = cluster;
    const ready = await fetch(`${c.nodes[0]!.url}/api/ready`);
    expect(ready.status).toBe(200);
    let alive = true;
    const site = { urls: () => [c.nodes[0]!.url], alive: () => alive };
    room = await raceRoom(site, 0, 5, { think: [5, 40], rng: randomStream(10), restart: true });
    const r = room;
    r.start();
    await until('12 acknowledged steps', () => r.maxAcked >= 12);

    // Killed in the middle of play (steps in flight), then started again on the same schema.
    alive = false;
    await c.signal(0, 'SIGKILL');
    const ackedBefore = r.acked.length;
    await c.restart(0);
    const tBack = performance.now();
    alive = true;
    // The players find the node again with their tokens and play on.
    await until('steps acknowledged after the restart', () => r.lastAckAt > tBack && r.acked.length >= ackedBefore + 6);
    r.stop();

    // Once the last broadcasts have arrived: nothing acknowledged lost, everyone equal to the server.
    let last: Audit | null = null;
    await until('every player equal to the server', async () => {
      last = await audit(c.nodes[0]!.url, [r]);
      return last.unequal.length === 0;
    }, 15_000).catch(() => undefined);
    expect(last!.lost).toEqual([]);
    expect(last!.unequal).toEqual([]);
    expect(last!.checked).toBe(r.acked.length);
    expect(last!.checked).toBeGreaterThan(ackedBefore);

    // And the history lives in PostgreSQL: the current run's rows and the finished runs' traces.
    const rows = await adminQuery(`SELECT COUNT(*)::int AS n FROM ${c.schema}.actions WHERE room = $1`, [r.code]);
    const runs = await adminQuery(`SELECT COUNT(*)::int AS n FROM ${c.schema}.traces WHERE room = $1`, [r.code]);
    const final = r.seats[0]!.game!;
    expect(rows.rows[0].n).toBe(final.actions.length);
    // Every finished run has its trace: the earlier ones, and the current one once it has ended.
    expect(runs.rows[0].n).toBe(final.run - 1 + (final.result ? 1 : 0));
  });
});
