// Ownership and fencing against the real PostgreSQL: each test in a schema of its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminQuery, dropSchema, randomSchema, TEST_DATABASE_URL } from '../../test/cluster/services.js';
import { systemClock } from '../clock.js';
import { roomRecord } from '../store/contract.js';
import { StaleOwnerError } from '../store/fence.js';
import { PostgresStore } from '../store/postgres.js';
import type { TraceStep } from '../../protocol/events.js';
import { RoomLeases } from './leases.js';

const step = (s: string, name: string): TraceStep => ({ actor: 'allocator', step: s, by: { kind: 'human', playerId: name, name } });

describe('room leases with a fencing token (PostgreSQL)', () => {
  let schema: string;
  const open: { close(): Promise<void> }[] = [];
  const leases = async (node: string, ttlMs: number) => {
    const l = await RoomLeases.open({ url: TEST_DATABASE_URL, schema, node, ttlMs, clock: systemClock });
    open.push(l);
    return l;
  };
  /** A node: its leases and a store whose room writes carry its tokens. */
  const node = async (name: string, ttlMs = 60_000) => {
    const l = await leases(name, ttlMs);
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, fence: l, max: 2 });
    open.push(store);
    return { leases: l, store };
  };
  const refusal = async (write: Promise<unknown>) => {
    const e: unknown = await write.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(StaleOwnerError);
    return e as StaleOwnerError;
  };

  beforeEach(() => {
    schema = randomSchema('lease');
  });
  afterEach(async () => {
    for (const x of open.splice(0)) await x.close();
    await dropSchema(schema);
  });

  it('a free room is taken at token 1; another node cannot take it while the lease runs; renewal keeps the token', async () => {
    const a = await leases('node-a', 60_000);
    const b = await leases('node-b', 60_000);
    expect(await a.acquire('ROOMAA')).toBe(1);
    expect(await b.acquire('ROOMAA')).toBeNull();
    expect(await a.acquire('ROOMAA')).toBe(1);
    expect(await a.renewAll()).toEqual([]);
    expect(a.tokenOf('ROOMAA')).toBe(1);
    expect(a.holds('ROOMAA')).toBe(true);
    expect(b.tokenOf('ROOMAA')).toBeNull();
    expect(await b.ownerOf('ROOMAA')).toMatchObject({ node: 'node-a', token: 1 });
    expect(await b.ownerOf('NOROOM')).toBeNull();
  });

  it('two would-be owners: only the writes carrying the current token commit', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    expect(await a.leases.acquire('ROOMAA')).toBe(1);
    expect(await b.leases.acquire('ROOMAA')).toBeNull();
    await a.store.createRoom(roomRecord('ROOMAA'), null);
    await a.store.appendAction('ROOMAA', 0, step('A0', 'a'), { version: 1 }, null);
    const e = await refusal(b.store.appendAction('ROOMAA', 1, step('B1', 'b'), { version: 2 }, null));
    expect(e).toMatchObject({ code: 'stale_owner', room: 'ROOMAA', held: null, current: 1 });
    await refusal(b.store.updateRoom('ROOMAA', { mode: 'scheduler' }));
    await refusal(b.store.upsertPlayer('ROOMAA', { id: 'pb', tokenHash: 'h', name: 'B', role: 'victim', joinedAt: 1 }));
    await refusal(b.store.truncateActions('ROOMAA', 0, { version: 9 }));
    // A room nobody owns cannot be created by a fenced node.
    await refusal(b.store.createRoom(roomRecord('ROOMBB'), null));
    const l = (await a.store.loadRoom('ROOMAA'))!;
    expect(l.actions).toEqual([step('A0', 'a')]);
    expect(l.room).toMatchObject({ version: 1, mode: 'race' });
    expect(l.players).toEqual([]);
    expect(await a.store.codeTaken('ROOMBB')).toBe(false);
  });

  it('a class room\'s writes are checked against its class\'s lease', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    expect(await a.leases.acquire('CLASSA')).toBe(1);
    for (const n of [a, b]) n.leases.place('ROOMCA', 'CLASSA');
    await a.store.createRoom({ ...roomRecord('ROOMCA'), classCode: 'CLASSA' }, null);
    await a.store.appendAction('ROOMCA', 0, step('A0', 'a'), { version: 1 }, null);
    // B even holds a lease under the room's own code: it is not the one that counts.
    expect(await b.leases.acquire('ROOMCA')).toBe(1);
    const e = await refusal(b.store.appendAction('ROOMCA', 1, step('B1', 'b'), { version: 2 }, null));
    expect(e).toMatchObject({ code: 'stale_owner', held: null, current: 1 });
    expect((await a.store.loadRoom('ROOMCA'))!.actions).toEqual([step('A0', 'a')]);
  });

  it('a lease that runs out is taken over at a higher token; the old owner\'s writes are refused and the room keeps one history', async () => {
    const a = await node('node-a', 200);
    const b = await node('node-b');
    expect(await a.leases.acquire('ROOMAA')).toBe(1);
    await a.store.createRoom(roomRecord('ROOMAA'), null);
    await a.store.appendAction('ROOMAA', 0, step('A0', 'a'), { version: 1 }, null);
    // A stops renewing (paused, cut off); B asks until the database says the lease ran out.
    let token: number | null = null;
    for (let i = 0; i < 400 && token === null; i++) {
      token = await b.leases.acquire('ROOMAA');
      if (token === null) await new Promise((r) => setTimeout(r, 25));
    }
    expect(token).toBe(2);
    // A still believes it owns the room (token 1); both write step 1 at once.
    expect(a.leases.tokenOf('ROOMAA')).toBe(1);
    const [fromA, fromB] = await Promise.allSettled([
      a.store.appendAction('ROOMAA', 1, step('A1', 'a'), { version: 2 }, null),
      b.store.appendAction('ROOMAA', 1, step('B1', 'b'), { version: 2 }, null),
    ]);
    expect(fromB.status).toBe('fulfilled');
    expect(fromA.status).toBe('rejected');
    expect((fromA as PromiseRejectedResult).reason).toMatchObject({ code: 'stale_owner', held: 1, current: 2 });
    expect((await b.store.loadRoom('ROOMAA'))!.actions).toEqual([step('A0', 'a'), step('B1', 'b')]);
    // A learns it lost the room at its next renewal, and forgets the token.
    expect(await a.leases.renewAll()).toEqual(['ROOMAA']);
    expect(a.leases.tokenOf('ROOMAA')).toBeNull();
    expect(a.leases.holds('ROOMAA')).toBe(false);
    expect(await a.leases.acquire('ROOMAA')).toBeNull();
  });

  it('a released room is taken at once at a higher token, and tokens never go back', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    expect(await a.leases.acquire('ROOMAA')).toBe(1);
    await a.store.createRoom(roomRecord('ROOMAA'), null);
    await a.leases.release('ROOMAA');
    await refusal(a.store.updateRoom('ROOMAA', { version: 5 }));
    expect(await b.leases.acquire('ROOMAA')).toBe(2);
    await b.store.updateRoom('ROOMAA', { version: 6 });
    await b.leases.releaseAll();
    expect(await a.leases.acquire('ROOMAA')).toBe(3);
    expect((await a.store.loadRoom('ROOMAA'))!.room.version).toBe(6);
  });

  it('a takeover waits for a write of the room in progress (its share lock on room_owner), so the new owner reads that write', async () => {
    const a = await node('node-a', 200);
    const b = await node(`node-b-${schema}`);
    await a.leases.acquire('ROOMAA');
    await a.store.createRoom(roomRecord('ROOMAA'), null);
    // A write of A's, held open by hand at the point where it has passed the fencing check.
    const w = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await w.connect();
    try {
      await w.query('BEGIN');
      expect((await w.query(`SELECT token FROM ${schema}.room_owner WHERE code = 'ROOMAA' FOR SHARE`)).rows).toEqual([{ token: '1' }]);
      for (let i = 0; i < 400 && !(await adminQuery(`SELECT expires_at < clock_timestamp() AS x FROM ${schema}.room_owner`)).rows[0].x; i++) await new Promise((r) => setTimeout(r, 10));
      const taking = b.leases.acquire('ROOMAA');
      // B's takeover is queued behind the write's lock (the database says so), not refused, not through.
      let waiting = 0;
      for (let i = 0; i < 400 && waiting === 0; i++) {
        waiting = (await adminQuery("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1", [`reaplab-lease:node-b-${schema}`])).rows[0].n;
        if (waiting === 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(waiting).toBe(1);
      await w.query(`INSERT INTO ${schema}.actions (room, idx, actor, step, by) VALUES ('ROOMAA', 0, 'allocator', 'A0', $1)`, [JSON.stringify(step('A0', 'a').by)]);
      await w.query('COMMIT');
      expect(await taking).toBe(2);
    } finally {
      await w.end();
    }
    expect((await b.store.loadRoom('ROOMAA'))!.actions).toEqual([step('A0', 'a')]);
    await refusal(a.store.appendAction('ROOMAA', 1, step('A1', 'a'), { version: 2 }, null));
  });
});
