// Store benchmark: `npm run bench:store`. One room's steps appended one after another
// (each awaited, as the server acknowledges a step only after its write) on SQLite (WAL,
// synchronous=NORMAL and FULL) beside PostgreSQL at 127.0.0.1:5432, unfenced and fenced
// (the owner-token check inside each write). Prints steps/s and per-step p50/p99. Figures
// only; a throwaway schema and file are removed at the end.
//
// Options: --steps N (2000)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { systemClock } from '../server/clock.js';
import { RoomLeases } from '../server/cluster/leases.js';
import { makeScenario, type Scenario } from '../engine/index.js';
import type { AnyStore, RoomRecord } from '../server/store/port.js';
import { PostgresStore } from '../server/store/postgres.js';
import { SqliteStore } from '../server/store/sqlite.js';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../test/cluster/services.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '2000' } } });
const steps = Number(values.steps);
const by = { kind: 'bot' as const, bot: 'lazy' as const };
const roomRecord = (code: string): RoomRecord => ({
  code, lesson: null, scenario: makeScenario('v4.19', 'mlocked') as Scenario, mode: 'race', bots: { victim: null, reaper: null, allocator: null },
  seed: 1, runSeed: 1, version: 0, run: 1, runStartedAt: 0, result: null, classCode: null, hostId: null, createdAt: 0,
});

async function run(name: string, s: AnyStore): Promise<void> {
  await s.createRoom(roomRecord('BENCHA'), null);
  const t: number[] = [];
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await s.appendAction('BENCHA', i, { actor: 'victim', step: `s${i}`, by }, { version: i + 1 }, null);
    t.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  t.sort((a, b) => a - b);
  const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))]!.toFixed(2);
  console.log(`${name.padEnd(34)} ${(steps / (total / 1000)).toFixed(0).padStart(7)} steps/s   p50 ${q(0.5)} ms   p99 ${q(0.99)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-store-'));
const schema = randomSchema('bench');
try {
  console.log(`${steps} steps of one room, each awaited before the next`);
  for (const durable of [false, true]) {
    const s = new SqliteStore(join(dir, `db-${durable}.sqlite`), { durable });
    await run(`SQLite (synchronous=${durable ? 'FULL' : 'NORMAL'})`, s);
    s.close();
  }
  const plain = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 2 });
  await run('PostgreSQL, unfenced', plain);
  await plain.close();
  await dropSchema(schema);
  const leases = await RoomLeases.open({ url: TEST_DATABASE_URL, schema, node: 'bench', ttlMs: 60_000, clock: systemClock });
  await leases.acquire('BENCHA');
  const fenced = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 2, fence: leases });
  await run('PostgreSQL, fenced (owner token)', fenced);
  await fenced.close();
  await leases.close();
} finally {
  await dropSchema(schema);
  rmSync(dir, { recursive: true, force: true });
}
