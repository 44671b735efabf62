// Ownership and forwarding against the real PostgreSQL and Redis, with three nodes in this
// process (each its own leases, inbox and router): a request runs at the home's owner
// exactly once, whichever node it arrives at; a dead owner's homes are taken after its lease
// runs out, a drained owner's at once; a node that lost a home stops acting for it.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, randomPrefix, randomSchema, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../test/cluster/services.js';
import { systemClock } from '../clock.js';
import { silentLog } from '../log.js';
import { PostgresStore } from '../store/postgres.js';
import { homeOfNotebook, homeOfRoom, Ownership } from './homes.js';
import { RoomLeases } from './leases.js';
import { Router } from './router.js';
import { NodeRpc, RpcUnavailable } from './rpc.js';

interface TestNode {
  id: string;
  leases: RoomLeases;
  ownership: Ownership;
  rpc: NodeRpc;
  router: Router;
  /** Requests this node ran as the owner: home → calls. */
  served: Map<string, unknown[]>;
  acquired: string[];
  lost: string[];
  inUse: Set<string>;
  close(): Promise<void>;
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('homes, ownership and forwarding (PostgreSQL + Redis)', () => {
  let schema: string;
  let prefix: string;
  const nodes: TestNode[] = [];

  async function node(id: string, ttlMs = 1500, opts: { sweepEveryMs?: number; idleGraceMs?: number } = {}): Promise<TestNode> {
    const leases = await RoomLeases.open({ url: TEST_DATABASE_URL, schema, node: id, ttlMs, clock: systemClock });
    const served = new Map<string, unknown[]>();
    const n = { id, leases, served, acquired: [] as string[], lost: [] as string[], inUse: new Set<string>() } as TestNode;
    n.ownership = new Ownership({
      leases, clock: systemClock, log: silentLog, ttlMs, sweepEveryMs: opts.sweepEveryMs ?? 0, idleGraceMs: opts.idleGraceMs ?? 60_000,
      hooks: {
        acquired: async (home) => { n.acquired.push(home); n.inUse.add(home); },
        lost: (home) => { n.lost.push(home); n.inUse.delete(home); },
        inUse: (home) => n.inUse.has(home),
      },
    });
    let router: Router | null = null;
    n.rpc = await NodeRpc.open({ url: TEST_REDIS_URL, prefix, node: id, timeoutMs: 3000 }, (from, body) => router!.handle(from, body));
    router = new Router({
      ownership: n.ownership, rpc: n.rpc, clock: systemClock, patienceMs: ttlMs * 3 + 2000,
      serve: async (home, call) => {
        if ((call as { hang?: boolean }).hang) {
          (served.get(home) ?? served.set(home, []).get(home)!).push(call);
          return new Promise(() => {});
        }
        const list = served.get(home) ?? [];
        list.push(call);
        served.set(home, list);
        return { by: id, n: list.length };
      },
    });
    n.router = router;
    n.ownership.start();
    n.close = async () => {
      n.ownership.stop();
      await n.rpc.close();
      await leases.close();
    };
    nodes.push(n);
    return n;
  }
  /** A node dies: it stops renewing and answering; its leases run out by themselves. */
  const kill = async (n: TestNode) => {
    nodes.splice(nodes.indexOf(n), 1);
    await n.close();
    // As after a SIGKILL, once Redis has seen the connection go (a request racing that moment fails unretried).
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await until('Redis to drop the inbox', async () => Number(((await redis.pubsub('NUMSUB', `${prefix}inbox:${n.id}`)) as [string, number])[1]) === 0);
    } finally {
      redis.disconnect();
    }
  };

  beforeEach(async () => {
    schema = randomSchema('route');
    prefix = randomPrefix('route');
    // The schema with its tables (rooms, room_owner) before any lease opens.
    await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 1 })).close();
  });
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
    await dropSchema(schema);
  });

  it('a class room lives under its class; a room\'s notebook with its room; a free notebook under nb:<id>', async () => {
    expect(homeOfRoom('ROOMAA', null)).toBe('ROOMAA');
    expect(homeOfRoom('ROOMAA', 'CLASSB')).toBe('CLASSB');
    const roomHome = async (code: string) => (code === 'ROOMAA' ? 'CLASSB' : code);
    expect(await homeOfNotebook('room-ROOMAA', roomHome)).toBe('CLASSB');
    expect(await homeOfNotebook('room-ROOMCC', roomHome)).toBe('ROOMCC');
    expect(await homeOfNotebook('class-CLASSB', roomHome)).toBe('CLASSB');
    expect(await homeOfNotebook('k3j4h5', roomHome)).toBe('nb:k3j4h5');
    // The stored room says which class it is in; the fence then checks the class's lease for its writes.
    const a = await node('a');
    await adminQuery(`INSERT INTO ${schema}.rooms (code, lesson, scenario, mode, bots, seed, run_seed, version, run, run_started_at, class_code, created_at)
      VALUES ('ROOMAA', NULL, '{}', 'race', '{}', 1, 1, 0, 1, 0, 'CLASSB', 0)`);
    expect(await a.ownership.homeOfRoom('ROOMAA')).toBe('CLASSB');
    expect(await a.ownership.homeOfRoom('NOSUCH')).toBe('NOSUCH');
    await a.ownership.claim('CLASSB');
    expect(a.leases.homeOf('ROOMAA')).toBe('CLASSB');
    expect(a.leases.tokenOf('ROOMAA')).toBe(a.leases.tokenOf('CLASSB'));
  });

  it('requests arriving at three nodes at once for a new home run at one owner, each exactly once', async () => {
    const [a, b, c] = [await node('a'), await node('b'), await node('c')];
    const calls = [a, b, c].flatMap((n, i) => [0, 1, 2, 3].map((k) => n.router.run('ROOMXY', { from: n.id, k, i })));
    const answers = (await Promise.all(calls)) as { by: string; n: number }[];
    const owners = new Set(answers.map((x) => x.by));
    expect(owners.size).toBe(1);
    const owner = [a, b, c].find((n) => n.id === [...owners][0])!;
    expect(owner.served.get('ROOMXY')).toHaveLength(12);
    expect(answers.map((x) => x.n).sort((x, y) => x - y)).toEqual([...Array(12).keys()].map((k) => k + 1));
    for (const n of [a, b, c]) if (n !== owner) expect(n.served.size).toBe(0);
    expect(owner.acquired).toEqual(['ROOMXY']);
  });

  it('a dead owner\'s home is taken by the next node that needs it once the lease runs out, at a higher token', async () => {
    const a = await node('a');
    const b = await node('b');
    await a.router.run('ROOMKL', { k: 1 });
    expect(a.leases.tokenOf('ROOMKL')).toBe(1);
    expect(((await b.router.run('ROOMKL', { k: 2 })) as { by: string }).by).toBe('a');
    await kill(a);
    const t0 = Date.now();
    const r = (await b.router.run('ROOMKL', { k: 3 })) as { by: string; n: number };
    expect(r).toEqual({ by: 'b', n: 1 });
    // Not before the dead owner's lease (1.5 s) had run out.
    expect(Date.now() - t0).toBeGreaterThan(300);
    expect(b.leases.tokenOf('ROOMKL')).toBe(2);
    expect(b.acquired).toEqual(['ROOMKL']);
  });

  it('a drained owner\'s homes are taken at once by the nodes it tells', async () => {
    const a = await node('a', 60_000);
    const b = await node('b', 60_000);
    await a.router.run('ROOM01', {});
    await a.router.run('ROOM02', {});
    b.rpc.onNotice((_from, body) => void b.ownership.released((body as { released: string[] }).released));
    const handed = await a.ownership.handOver();
    expect(handed.sort()).toEqual(['ROOM01', 'ROOM02']);
    expect(a.lost.sort()).toEqual(['ROOM01', 'ROOM02']);
    await a.rpc.notifyAll({ released: handed });
    // A 60 s lease, taken within seconds: the release, not the expiry, handed them over.
    await until('b takes both homes', () => b.ownership.holds('ROOM01') && b.ownership.holds('ROOM02'), 5000);
    expect(b.acquired.sort()).toEqual(['ROOM01', 'ROOM02']);
    // The drained node takes nothing any more: its requests go to the new owner.
    expect(((await a.router.run('ROOM01', {})) as { by: string }).by).toBe('b');
  });

  it('a node that lost a home (paused past its lease) stops acting for it, and forwards no longer reach it as owner', async () => {
    const a = await node('a', 800);
    const b = await node('b', 800);
    await a.router.run('ROOMPQ', {});
    a.ownership.stop(); // paused: no renewals
    await until('the lease to run out', async () => ((await b.leases.ownerOf('ROOMPQ'))?.remainingMs ?? 0) <= 0);
    expect(((await b.router.run('ROOMPQ', {})) as { by: string }).by).toBe('b');
    expect(a.ownership.holds('ROOMPQ')).toBe(false);
    await a.ownership.renewOnce();
    expect(a.lost).toEqual(['ROOMPQ']);
    expect(a.leases.owned()).toEqual([]);
    expect(await a.router.handle('b', { home: 'ROOMPQ', call: {} })).toEqual({ moved: true });
  });

  it('the sweep takes homes whose owner died, before anyone asks', async () => {
    const a = await node('a', 800);
    const b = await node('b', 800, { sweepEveryMs: 300 });
    await a.router.run('ROOMSW', {});
    await kill(a);
    await until('b sweeps the home up', () => b.ownership.holds('ROOMSW'));
    expect(b.acquired).toEqual(['ROOMSW']);
  });

  it('a home nothing uses any more is released at the next renewal', async () => {
    const a = await node('a', 60_000, { idleGraceMs: 0 });
    await a.router.run('ROOMID', {});
    a.inUse.delete('ROOMID');
    await a.ownership.renewOnce();
    expect(a.leases.owned()).toEqual([]);
    const b = await node('b', 60_000);
    expect(((await b.router.run('ROOMID', {})) as { by: string }).by).toBe('b');
  });

  it('a forward to an owner that does not answer in time fails as unavailable and is not sent again', async () => {
    const a = await node('a');
    const b = await node('b');
    await a.router.run('ROOMTO', {});
    const e = await b.router.run('ROOMTO', { hang: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcUnavailable);
    expect((e as RpcUnavailable).reason).toBe('timeout');
    expect(a.served.get('ROOMTO')!.filter((c) => (c as { hang?: boolean }).hang)).toHaveLength(1);
  });
});
