// A cluster on one machine for tests: N processes of the real server (server/main.ts), each
// on its own ephemeral port, all pointed at one PostgreSQL schema (migrated before they
// start) and one Redis key prefix, both fresh and removed by stop(). Nodes can be killed
// (SIGKILL, SIGSTOP/SIGCONT for a paused owner) and started again on the same identity.
//
// The environment each node gets is the cluster mode's: REAPLAB_DATABASE_URL,
// REAPLAB_DATABASE_SCHEMA, REAPLAB_REDIS_URL, REAPLAB_REDIS_PREFIX, REAPLAB_NODE_ID,
// REAPLAB_LEASE_MS; each node's folder holds only what it writes locally (never a database).

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { PostgresStore } from '../../server/store/postgres.js';
import { exited, startChildServer } from '../child-server.js';
import { dropSchema, randomPrefix, randomSchema, TEST_DATABASE_URL, TEST_REDIS_URL } from './services.js';

export interface ClusterNode {
  id: string;
  url: string;
  child: ChildProcess;
}

export interface TestCluster {
  schema: string;
  prefix: string;
  nodes: ClusterNode[];
  /** Sends the signal to node i; after SIGKILL, resolves once it has exited. */
  signal(i: number, sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void>;
  /** Starts node i again (same id and folder, a new port). */
  restart(i: number): Promise<ClusterNode>;
  /** Kills every node and removes the schema, the Redis keys and the folders. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  leaseMs?: number;
  /** What the nodes connect to instead of the test services (e.g. a TCP proxy the test pauses, a private Redis). */
  databaseUrl?: string;
  redisUrl?: string;
  /** More environment for every node (e.g. REAPLAB_METRICS=1 for a benchmark). */
  env?: Record<string, string>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const schema = randomSchema('cluster');
  const prefix = randomPrefix('cluster');
  const dirs: string[] = [];
  // Migrate once before the nodes start, so they all find the schema at the latest version.
  await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 1 })).close();
  const envOf = (id: string): Record<string, string> => ({
    REAPLAB_DATABASE_URL: opts.databaseUrl ?? TEST_DATABASE_URL,
    REAPLAB_DATABASE_SCHEMA: schema,
    REAPLAB_REDIS_URL: opts.redisUrl ?? TEST_REDIS_URL,
    REAPLAB_REDIS_PREFIX: prefix,
    REAPLAB_NODE_ID: id,
    REAPLAB_LEASE_MS: String(opts.leaseMs ?? 2000),
    ...opts.env,
  });
  const start = async (i: number): Promise<ClusterNode> => {
    const id = `node-${i + 1}`;
    dirs[i] ??= mkdtempSync(join(tmpdir(), `reaplab-${id}-`));
    const { child, url } = await startChildServer(dirs[i]!, envOf(id));
    return { id, url, child };
  };
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < (opts.nodes ?? 3); i++) nodes.push(await start(i));
  } catch (e) {
    for (const n of nodes) n.child.kill('SIGKILL');
    await dropSchema(schema);
    throw e;
  }
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  return {
    schema,
    prefix,
    nodes,
    async signal(i, sig) {
      const n = nodes[i]!;
      n.child.kill(sig);
      if (sig === 'SIGKILL' || sig === 'SIGTERM') await exited(n.child);
    },
    async restart(i) {
      const old = nodes[i]!;
      if (alive(old.child)) {
        old.child.kill('SIGKILL');
        await exited(old.child);
      }
      nodes[i] = await start(i);
      return nodes[i]!;
    },
    async stop() {
      for (const n of nodes) {
        if (alive(n.child)) {
          n.child.kill('SIGCONT');
          n.child.kill('SIGKILL');
          await exited(n.child);
        }
      }
      await dropSchema(schema);
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
      for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
    },
  };
}
