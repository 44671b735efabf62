// The cluster harness itself: N real server processes on N ports over one fresh schema,
// which it migrates first and drops at the end; a node killed and started again answers on
// a new port while the others go on. (What the nodes do together: cluster.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../server/store/migrations.js';
import { killChildServers } from '../child-server.js';
import { startCluster, type TestCluster } from './harness.js';
import { adminQuery } from './services.js';

describe('cluster harness', () => {
  let cluster: TestCluster | null = null;
  afterEach(async () => {
    await cluster?.stop();
    cluster = null;
    killChildServers();
  });

  const healthy = async (url: string) => (await fetch(`${url}/api/health`)).status === 200;

  it('starts three nodes on three ports over one migrated schema, survives a SIGKILL of one, restarts it, and cleans up', async () => {
    cluster = await startCluster({ nodes: 3 });
    const { schema } = cluster;
    expect(new Set(cluster.nodes.map((n) => n.url)).size).toBe(3);
    for (const n of cluster.nodes) expect(await healthy(n.url)).toBe(true);
    expect((await adminQuery(`SELECT MAX(version) AS v FROM ${schema}.schema_migrations`)).rows[0]).toEqual({ v: SCHEMA_VERSION });

    await cluster.signal(1, 'SIGKILL');
    expect(cluster.nodes[1]!.child.signalCode).toBe('SIGKILL');
    expect(await healthy(cluster.nodes[0]!.url)).toBe(true);
    expect(await healthy(cluster.nodes[2]!.url)).toBe(true);
    const again = await cluster.restart(1);
    expect(again.id).toBe('node-2');
    expect(await healthy(again.url)).toBe(true);

    await cluster.stop();
    cluster = null;
    expect((await adminQuery('SELECT COUNT(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema])).rows[0]).toEqual({ n: 0 });
  });
});
