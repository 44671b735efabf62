// The production entry point: opens ./data/reaplab.sqlite (WAL), loads the campaign,
// serves the built client and the socket endpoint on PORT (default 3000).
// Environment: PORT, HOST, REAPLAB_DATA (folder), REAPLAB_DURABLE=1 (fsync every step),
// REAPLAB_METRICS=1 (GET /metrics), REAPLAB_BOT_DELAY_MS, REAPLAB_RATE (burst,perSecond),
// REAPLAB_RETENTION_DAYS (rooms, classes and notebooks unused this long are removed; default 180; 0: keep all),
// REAPLAB_DRAIN_DELAY_MS (on SIGTERM, how long readiness is false before the node hands over and closes; default 0),
// REAPLAB_GRAPH_CACHE_MB (memory for cached state graphs; default 256), and the edge limits of
// docs/SECURITY.md: REAPLAB_ORIGINS, REAPLAB_TRUST_PROXY, REAPLAB_LIMIT_CONNECTIONS,
// REAPLAB_LIMIT_CREATES, REAPLAB_LIMIT_CREATES_PER_CONNECTION, REAPLAB_LIMIT_CODE_LOOKUPS.

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { loadCampaignCatalog } from './lessons.js';
import { NodeLifecycle } from './lifecycle.js';
import { limitsFromEnv } from './limits/index.js';
import { jsonLog } from './log.js';
import { SqliteStore } from './store/sqlite.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const env = process.env;
const log = jsonLog();
const dataDir = resolve(env.REAPLAB_DATA ?? join(root, 'data'));
const store = new SqliteStore(join(dataDir, 'reaplab.sqlite'), { durable: env.REAPLAB_DURABLE === '1', backgroundCheckpointMs: 1000 });
const lessons = loadCampaignCatalog(log);
const rate = env.REAPLAB_RATE?.split(',').map(Number);
const retentionDays = env.REAPLAB_RETENTION_DAYS !== undefined ? Number(env.REAPLAB_RETENTION_DAYS) : 180;
if (!Number.isFinite(retentionDays) || retentionDays < 0) throw new Error(`REAPLAB_RETENTION_DAYS must be a number of days (0: keep everything), not "${env.REAPLAB_RETENTION_DAYS}"`);
const lifecycle = new NodeLifecycle({ log });
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
});
const port = await app.listen(Number(env.PORT ?? 3000), env.HOST);
log.info('reaplab: listening', { port, data: dataDir, lessons: lessons.list().length });
// Machine-readable line for scripts that start the server (tests, bench, cli).
process.stdout.write(`READY ${port}\n`);

// SIGTERM drains: readiness turns false, then the node closes its sockets (clients reconnect,
// through the proxy, to another node) and its store, and exits.
async function shutdown(signal: string) {
  if (lifecycle.draining) return;
  log.info('reaplab: shutting down', { signal });
  await lifecycle.drain([
    { name: 'sockets and HTTP closed', run: () => app.close() },
    { name: 'store closed', run: () => store.close() },
  ], drainDelayMs);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
