// The sites bench:cluster drives: the echo peer on N nodes, reaplab as `npm start` runs it
// (one process, SQLite) and reaplab in cluster mode on N nodes (test/cluster/harness.ts: one
// fresh PostgreSQL schema and Redis prefix, removed at the end). Each node answers
// GET /metrics with its event-loop utilisation since the last read, its RSS and its
// connection count.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startCluster, type TestCluster } from '../../test/cluster/harness.js';
import { NO_EDGE_LIMITS } from '../no-limits.js';
import { TEST_REDIS_URL } from '../../test/cluster/services.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { call, connectOne, type Kind } from './load.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface NodeMetrics { elu: number; rss: number; connections: number }

export interface Target {
  name: string;
  kind: Kind;
  urls: string[];
  /** Present for reaplab in cluster mode. */
  cluster?: TestCluster;
  metrics(): Promise<NodeMetrics[]>;
  stop(): Promise<void>;
}

function startChild(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\d+)$/m.exec(out);
      if (m) res({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => rej(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

async function readMetrics(urls: string[]): Promise<NodeMetrics[]> {
  return Promise.all(urls.map(async (u) => {
    try {
      const m = (await (await fetch(`${u}/metrics`)).json()) as NodeMetrics;
      return { elu: m.elu, rss: m.rss, connections: m.connections };
    } catch {
      return { elu: NaN, rss: NaN, connections: NaN };
    }
  }));
}

async function dropKeys(prefix: string): Promise<void> {
  const r = new Redis(TEST_REDIS_URL);
  try {
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}

const exited = (c: ChildProcess) => new Promise<void>((done) => (c.exitCode !== null || c.signalCode !== null ? done() : c.once('exit', () => done())));

export async function echoSite(nodes: number, payloadBytes: number): Promise<Target> {
  const prefix = `reaplab-bench:echo:${randomBytes(4).toString('hex')}:`;
  const children = await Promise.all(Array.from({ length: nodes }, () => startChild(['bench/cluster/echo-node.ts'], {
    ECHO_PAYLOAD: String(payloadBytes), ECHO_REDIS_URL: TEST_REDIS_URL, ECHO_PREFIX: prefix,
  })));
  const urls = children.map((c) => c.url);
  return {
    name: `echo × ${nodes}`,
    kind: 'echo',
    urls,
    metrics: () => readMetrics(urls),
    async stop() {
      for (const c of children) c.child.kill('SIGTERM');
      await Promise.all(children.map((c) => exited(c.child)));
      await dropKeys(prefix);
    },
  };
}

/** The server as `npm start` runs it: one process on a SQLite file. */
export async function singleProcess(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-bench-'));
  const { child, url } = await startChild(['server/main.ts'], {
    PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dir, REAPLAB_METRICS: '1', REAPLAB_BOT_DELAY_MS: '0', REAPLAB_RATE: '1000,1000', ...NO_EDGE_LIMITS,
  });
  return {
    name: 'reaplab, SQLite',
    kind: 'reaplab',
    urls: [url],
    metrics: () => readMetrics([url]),
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function clusterSite(nodes: number, leaseMs: number): Promise<Target> {
  const cluster = await startCluster({ nodes, leaseMs, env: { REAPLAB_METRICS: '1', REAPLAB_RATE: '1000,1000', ...NO_EDGE_LIMITS } });
  const urls = () => cluster.nodes.map((n) => n.url);
  return {
    name: `reaplab cluster × ${nodes}`,
    kind: 'reaplab',
    get urls() { return urls(); },
    cluster,
    metrics: () => readMetrics(urls()),
    stop: () => cluster.stop(),
  };
}

/**
 * Whether this build runs a room across nodes: a room created on the first node can be
 * joined on the second. When it cannot, the cluster figures are left out (and said so).
 */
export async function roomsCrossNodes(t: Target): Promise<string | null> {
  const [a, b] = [await connectOne(t.urls[0]!), await connectOne(t.urls[1]!)];
  try {
    const r = await call<{ room: { code: string } }>(a, 'room:create', { protocol: PROTOCOL_VERSION, name: 'probe', mode: 'scheduler', scenario: { variant: 'tetsuo-timeout', config: 'mlocked' } });
    if (!r.ok) return `room:create on node 1: ${r.error?.code} ${r.error?.message}`;
    const j = await call(b, 'room:join', { protocol: PROTOCOL_VERSION, code: r.data!.room.code, name: 'probe2' });
    return j.ok ? null : `room:join on node 2 of a room made on node 1: ${j.error?.code} (${j.error?.message})`;
  } finally {
    a.disconnect();
    b.disconnect();
  }
}
