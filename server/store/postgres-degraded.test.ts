// The PostgreSQL store when the database goes away and comes back, through a TCP proxy the
// test controls (the shared server is never touched): a paused database (connections open,
// no answer) and a cut one (connections dropped, new ones refused). A write that cannot be
// made durable fails in bounded time with an error that the gate answers as `unavailable`;
// nothing acknowledged before is lost; the same store object works again once the database
// is back (the pool opens new connections), with no restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceStep } from '../../protocol/events.js';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../../test/cluster/services.js';
import { startTcpProxy, type TcpProxy } from '../../test/cluster/tcp-proxy.js';
import { NodeLifecycle } from '../lifecycle.js';
import { silentLog } from '../log.js';
import { roomRecord } from './contract.js';
import { PostgresStore } from './postgres.js';
import { isUnavailable } from './unavailable.js';

const step = (n: number): TraceStep => ({ actor: 'allocator', step: `A${n}`, by: { kind: 'human', playerId: 'p1', name: 'Ada' } });

describe('PostgreSQL store: database paused or down, then back', () => {
  let schema = '';
  let proxy: TcpProxy | null = null;
  let store: PostgresStore | null = null;

  afterEach(async () => {
    await store?.close().catch(() => {});
    await proxy?.close();
    await dropSchema(schema);
    store = null;
    proxy = null;
  });

  async function open(): Promise<PostgresStore> {
    schema = randomSchema('degraded');
    const u = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(u.hostname, Number(u.port || 5432));
    u.host = `127.0.0.1:${proxy.port}`;
    store = await PostgresStore.open({ url: u.toString(), schema, max: 3, connectTimeoutMs: 500, queryTimeoutMs: 1000 });
    return store;
  }

  async function writeSteps(s: PostgresStore, from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) await s.appendAction('ROOMAA', i, step(i), { version: i + 1 }, null);
  }

  for (const outage of ['pause', 'cut'] as const) {
    it(`${outage === 'pause' ? 'paused (no answer)' : 'down (connections refused)'}: writes fail as unavailable, readiness is false, and the same store recovers with every acknowledged step`, async () => {
      const s = await open();
      const ready = new NodeLifecycle({ ping: () => s.ping(), pingTimeoutMs: 1500, log: silentLog });
      await s.createRoom(roomRecord('ROOMAA'), null);
      await writeSteps(s, 0, 5);
      expect(await ready.readiness()).toEqual({ ready: true });

      proxy![outage]();
      const failed = await s.appendAction('ROOMAA', 5, step(5), { version: 6 }, null).then(() => null, (e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(isUnavailable(failed)).toBe(true);
      const reads = await s.loadRoom('ROOMAA').then(() => null, (e: unknown) => e);
      expect(isUnavailable(reads)).toBe(true);
      expect(await ready.readiness()).toMatchObject({ ready: false, reason: 'store_unreachable' });

      proxy!.resume();
      // The refused step was never acknowledged: the room holds the five before it, and the
      // sixth goes in now on the same store object.
      let loaded = await s.loadRoom('ROOMAA');
      for (let i = 0; i < 50 && !loaded; i++) loaded = await s.loadRoom('ROOMAA').catch(() => null);
      expect(loaded!.actions.map((a) => a.step)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
      await writeSteps(s, 5, 8);
      expect((await s.loadRoom('ROOMAA'))!.actions.map((a) => a.step)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']);
      expect((await s.loadRoom('ROOMAA'))!.room.version).toBe(8);
      expect(await ready.readiness()).toEqual({ ready: true });
    });
  }
});
