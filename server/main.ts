// The production entry point: opens ./data/reaplab.sqlite (WAL), loads the campaign,
// serves the built client and the socket endpoint on PORT (default 3000).
// Environment: PORT, HOST, REAPLAB_DATA (folder), REAPLAB_DURABLE=1 (fsync every step),
// REAPLAB_METRICS=1 (GET /metrics), REAPLAB_BOT_DELAY_MS, REAPLAB_RATE (burst,perSecond),
// REAPLAB_RETENTION_DAYS (rooms, classes and notebooks unused this long are removed; default 180; 0: keep all),
// REAPLAB_DRAIN_DELAY_MS (on SIGTERM, how long readiness is false before the node hands over and closes; default 0),
// REAPLAB_GRAPH_CACHE_MB (memory for cached state graphs; default 256), and the edge limits of
// docs/SECURITY.md: REAPLAB_ORIGINS, REAPLAB_TRUST_PROXY, REAPLAB_LIMIT_CONNECTIONS,
// REAPLAB_LIMIT_CREATES, REAPLAB_LIMIT_CREATES_PER_CONNECTION, REAPLAB_LIMIT_CODE_LOOKUPS.
// Cluster mode (docs/ARCHITECTURE.md, deploy/README.md): REAPLAB_DATABASE_URL and
// REAPLAB_REDIS_URL together, with REAPLAB_DATABASE_SCHEMA, REAPLAB_REDIS_PREFIX (default
// "reaplab:"), REAPLAB_NODE_ID (default: the host name) and REAPLAB_LEASE_MS (default 2000).

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { loadCampaignCatalog } from './lessons.js';
import { NodeLifecycle } from './lifecycle.js';
import { limitsFromEnv } from './limits/index.js';
import { jsonLog } from './log.js';
import { attachClusterDelivery } from './cluster/adapter.js';
import { clusterEnv, openClusterParts } from './cluster/open.js';
import type { AnyStore } from './store/port.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const env = process.env;
const log = jsonLog();
const dataDir = resolve(env.REAPLAB_DATA ?? join(root, 'data'));
// Cluster mode: PostgreSQL for what lasts (fenced by this node's leases), Redis between nodes.
const clusterMode = env.REAPLAB_DATABASE_URL !== undefined || env.REAPLAB_REDIS_URL !== undefined;
const settings = clusterMode ? clusterEnv(env) : null;
const cluster = settings ? await openClusterParts(settings) : null;
const store: AnyStore & { close(): unknown; ping?(): Promise<void> } = settings && cluster
  ? await PostgresStore.open({ url: settings.databaseUrl, ...(settings.schema ? { schema: settings.schema } : {}), fence: cluster.leases })
  : new SqliteStore(join(dataDir, 'reaplab.sqlite'), { durable: env.REAPLAB_DURABLE === '1', backgroundCheckpointMs: 1000 });
const lessons = loadCampaignCatalog(log);
const rate = env.REAPLAB_RATE?.split(',').map(Number);
const retentionDays = env.REAPLAB_RETENTION_DAYS !== undefined ? Number(env.REAPLAB_RETENTION_DAYS) : 180;
if (!Number.isFinite(retentionDays) || retentionDays < 0) throw new Error(`REAPLAB_RETENTION_DAYS must be a number of days (0: keep everything), not "${env.REAPLAB_RETENTION_DAYS}"`);
const lifecycle = new NodeLifecycle({ log, ...(store.ping ? { ping: () => store.ping!() } : {}) });
const drainDelayMs = Number(env.REAPLAB_DRAIN_DELAY_MS ?? 0);
const graphMb = env.REAPLAB_GRAPH_CACHE_MB !== undefined ? Number(env.REAPLAB_GRAPH_CACHE_MB) : 256;
if (!Number.isFinite(graphMb) || graphMb <= 0) throw new Error(`REAPLAB_GRAPH_CACHE_MB must be a positive number of MiB, not "${env.REAPLAB_GRAPH_CACHE_MB}"`);
const app = createApp({
  limits: limitsFromEnv(env),
  graphCacheBytes: graphMb * 1024 * 1024,
  store,
  readiness: () => lifecycle.readiness(),
  lessons,
  log,
  clientDir: join(root, 'dist/client'),
  metrics: env.REAPLAB_METRICS === '1',
  retention: retentionDays === 0 ? { everyMs: 0 } : { unusedForMs: retentionDays * 24 * 3600_000 },
  botDelayMs: env.REAPLAB_BOT_DELAY_MS !== undefined ? Number(env.REAPLAB_BOT_DELAY_MS) : 700,
  ...(rate && rate.length === 2 && rate.every((n) => Number.isFinite(n) && n > 0) ? { rateLimit: { burst: rate[0]!, perSecond: rate[1]! } } : {}),
  ...(cluster ? { cluster } : {}),
});
// Broadcasts reach every node's sockets before the first connection is accepted.
const delivery = settings ? await attachClusterDelivery(app.io, { url: settings.redisUrl, prefix: settings.prefix }) : null;
const port = await app.listen(Number(env.PORT ?? 3000), env.HOST);
log.info('reaplab: listening', { port, ...(settings ? { node: cluster!.rpc.node, schema: settings.schema ?? 'public' } : { data: dataDir }), lessons: lessons.list().length });
// Machine-readable line for scripts that start the server (tests, bench, cli).
process.stdout.write(`READY ${port}\n`);

// SIGTERM drains: readiness turns false, then (cluster mode) the node releases its homes so
// other nodes take them at once, closes its sockets (clients reconnect, through the proxy,
// to another node) and its store, and exits.
async function shutdown(signal: string) {
  if (lifecycle.draining) return;
  log.info('reaplab: shutting down', { signal });
  await lifecycle.drain([
    ...(app.cluster ? [{ name: 'homes handed over', run: async () => { await app.cluster!.handOver(); } }] : []),
    { name: 'sockets and HTTP closed', run: () => app.close() },
    { name: 'store closed', run: async () => { await store.close(); } },
    ...(delivery ? [{ name: 'cross-node delivery closed', run: () => delivery.close() }] : []),
    ...(app.cluster ? [{ name: 'leases and inbox closed', run: () => app.cluster!.close() }] : []),
  ], drainDelayMs);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
