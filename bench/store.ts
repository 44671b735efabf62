// Store benchmark: `npm run bench:store`. One room's steps appended one after another
// (each awaited, as the server acknowledges a step only after its write) on SQLite (WAL,
// synchronous=NORMAL and FULL) beside PostgreSQL at 127.0.0.1:5432, unfenced and fenced
// (the owner-token check inside each write). The stores take turns over rounds (the order
// rotated each round), so a busy neighbour hits them alike; each line prints the round's
// load average, steps/s and per-step p50/p99, and the summary the median steps/s per store
// with its per-round range. Figures only; a throwaway schema and file are removed at the end.
// One process drives one store at a time: there is no load generator to saturate.
//
// Options: --steps N (2000) --rounds N (3)

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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

const { values } = parseArgs({ options: { steps: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } } });
const steps = Number(values.steps);
const rounds = Math.max(1, Number(values.rounds) || 3);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const by = { kind: 'bot' as const, bot: 'lazy' as const };
const roomRecord = (code: string): RoomRecord => ({
  code, lesson: null, scenario: makeScenario('v4.19', 'mlocked') as Scenario, mode: 'race', bots: { victim: null, reaper: null, allocator: null },
  seed: 1, runSeed: 1, version: 0, run: 1, runStartedAt: 0, result: null, classCode: null, hostId: null, createdAt: 0,
});

/** Steps/s of one round on a fresh room. */
async function run(name: string, s: AnyStore, round: number): Promise<number> {
  const code = `BENCH${round}`;
  await s.createRoom(roomRecord(code), null);
  const t: number[] = [];
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await s.appendAction(code, i, { actor: 'victim', step: `s${i}`, by }, { version: i + 1 }, null);
    t.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  t.sort((a, b) => a - b);
  const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))]!.toFixed(2);
  const rate = steps / (total / 1000);
  console.log(`${String(round).padEnd(6)}${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} steps/s   p50 ${q(0.5)} ms   p99 ${q(0.99)} ms   load ${load()}`);
  return rate;
}

interface Subject {
  name: string;
  open: () => Promise<{ store: AnyStore; close: () => Promise<void> }>;
}

const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-store-'));
const schema = randomSchema('bench');
const sqlite = (durable: boolean): Subject => ({
  name: `SQLite (synchronous=${durable ? 'FULL' : 'NORMAL'})`,
  open: async () => {
    const s = new SqliteStore(join(dir, `db-${durable}.sqlite`), { durable });
    return { store: s, close: async () => s.close() };
  },
});
const subjects: Subject[] = [
  sqlite(false),
  sqlite(true),
  {
    name: 'PostgreSQL, unfenced',
    open: async () => {
      const s = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: `${schema}_plain`, max: 2 });
      return { store: s, close: () => s.close() };
    },
  },
  {
    name: 'PostgreSQL, fenced (owner token)',
    open: async () => {
      const leases = await RoomLeases.open({ url: TEST_DATABASE_URL, schema, node: 'bench', ttlMs: 60_000, clock: systemClock });
      for (let r = 1; r <= rounds; r++) await leases.acquire(`BENCH${r}`);
      const s = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 2, fence: leases });
      return { store: s, close: async () => { await s.close(); await leases.close(); } };
    },
  },
];
const rates = new Map<string, number[]>(subjects.map((x) => [x.name, []]));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
try {
  console.log(`bench:store — ${steps} steps of one room, each awaited before the next; ${rounds} rounds; ${cpus().length} CPUs, load ${load()}`);
  console.log(`${'round'.padEnd(6)}${'store'.padEnd(34)} ${'rate'.padStart(7)}`);
  const opened = [];
  for (const x of subjects) opened.push({ x, ...(await x.open()) });
  for (let r = 1; r <= rounds; r++) {
    // Rotate the order each round so no store always runs first (or right after another's checkpoint).
    for (let k = 0; k < opened.length; k++) {
      const o = opened[(k + r - 1) % opened.length]!;
      rates.get(o.x.name)!.push(await run(o.x.name, o.store, r));
    }
  }
  for (const o of opened) await o.close();
  console.log(`\nSummary (median steps/s, per-round range):`);
  for (const [name, xs] of rates) console.log(`  ${name.padEnd(34)} ${median(xs).toFixed(0).padStart(7)}  (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`);
  console.log(`load at the end ${load()}`);
} finally {
  await dropSchema(schema);
  await dropSchema(`${schema}_plain`);
  rmSync(dir, { recursive: true, force: true });
}
