// Cluster mode from the environment (server/main.ts): REAPLAB_DATABASE_URL (and
// REAPLAB_DATABASE_SCHEMA) for the leases, REAPLAB_REDIS_URL (and REAPLAB_REDIS_PREFIX) for
// the inbox, REAPLAB_NODE_ID (default: the host name) and REAPLAB_LEASE_MS (default 2000).
// A process is a new owner each time it starts: its owner id is the node id and a random
// suffix, so a restarted node never mistakes a lease of its previous life for its own.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock } from '../clock.js';
import { RoomLeases } from './leases.js';
import type { ClusterParts } from './node.js';
import { NodeRpc } from './rpc.js';

export const DEFAULT_LEASE_MS = 2000;

export interface ClusterEnv {
  databaseUrl: string;
  schema?: string;
  redisUrl: string;
  prefix: string;
  nodeId: string;
  leaseMs: number;
}

/** Reads the cluster's settings; throws with what is wrong. */
export function clusterEnv(env: NodeJS.ProcessEnv): ClusterEnv {
  const databaseUrl = env.REAPLAB_DATABASE_URL;
  const redisUrl = env.REAPLAB_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('cluster mode needs both REAPLAB_DATABASE_URL and REAPLAB_REDIS_URL');
  const leaseMs = env.REAPLAB_LEASE_MS !== undefined ? Number(env.REAPLAB_LEASE_MS) : DEFAULT_LEASE_MS;
  if (!Number.isFinite(leaseMs) || leaseMs < 300) throw new Error(`REAPLAB_LEASE_MS must be a number of milliseconds (at least 300), not "${env.REAPLAB_LEASE_MS}"`);
  return {
    databaseUrl,
    ...(env.REAPLAB_DATABASE_SCHEMA ? { schema: env.REAPLAB_DATABASE_SCHEMA } : {}),
    redisUrl,
    prefix: env.REAPLAB_REDIS_PREFIX ?? 'reaplab:',
    nodeId: env.REAPLAB_NODE_ID ?? hostname(),
    leaseMs,
  };
}

/** Opens the leases (the store's fence) and the inbox of this process. */
export async function openClusterParts(c: ClusterEnv): Promise<ClusterParts> {
  const owner = `${c.nodeId}.${randomBytes(3).toString('hex')}`;
  const leases = await RoomLeases.open({ url: c.databaseUrl, ...(c.schema ? { schema: c.schema } : {}), node: owner, ttlMs: c.leaseMs, clock: systemClock });
  try {
    const rpc = await NodeRpc.open({ url: c.redisUrl, prefix: c.prefix, node: owner, timeoutMs: Math.max(5000, c.leaseMs * 2) });
    return { leases, rpc, ttlMs: c.leaseMs };
  } catch (e) {
    await leases.close();
    throw e;
  }
}
