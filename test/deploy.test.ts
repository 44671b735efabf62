// The deploy files are configuration nobody runs in the test suite, so they are checked
// here: every YAML file parses, the compose file, HAProxy's config and the Kubernetes
// manifests agree with each other and with the server (ports, probe paths), and HAProxy
// itself accepts its config (Debian's haproxy; npm test installs it: test/ensure-tools.sh).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './server/helpers.js';

const deploy = fileURLToPath(new URL('../deploy/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []);
}

/** Every document of a file, with YAML merge keys resolved as docker compose does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function load(path: string): any[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  if (!Array.isArray(docs)) throw new Error(`${path}: no documents`);
  for (const d of docs) {
    if (d.errors.length || d.warnings.length) throw new Error(`${relative(deploy, path)}: ${[...d.errors, ...d.warnings].map((e) => e.message).join('; ')}`);
  }
  return docs.map((d) => d.toJS());
}

describe('deploy files', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('every YAML file parses without errors or warnings', () => {
    const files = yamlFiles(deploy).map((f) => relative(deploy, f)).sort();
    expect(files).toEqual(expect.arrayContaining(['cluster.compose.yaml', 'compose.yaml', 'k8s/config.yaml', 'k8s/deployment.yaml', 'k8s/service.yaml']));
    for (const f of files) expect(load(join(deploy, f)).length).toBeGreaterThan(0);
  });

  it('the cluster compose file runs three identical nodes on PostgreSQL and Redis behind the proxy, and HAProxy balances exactly those nodes', () => {
    const [compose] = load(join(deploy, 'cluster.compose.yaml'));
    const nodes = Object.keys(compose.services).filter((n) => /^app\d+$/.test(n)).sort();
    expect(nodes).toEqual(['app1', 'app2', 'app3']);
    const env = compose.services.app1.environment;
    for (const n of nodes) expect(compose.services[n].environment).toEqual(env);
    expect(new URL(env.REAPLAB_DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(env.REAPLAB_REDIS_URL).hostname).toBe('redis');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['proxy', 'postgres', 'redis']));
    expect(compose.services.proxy.depends_on).toEqual(nodes);
    expect(compose.services.proxy.volumes).toContain('./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');

    const cfg = readFileSync(join(deploy, 'haproxy.cfg'), 'utf8');
    const servers = [...cfg.matchAll(/^\s*server\s+(\S+)\s+([^:\s]+):(\d+)/gm)].map((m) => ({ name: m[1], host: m[2], port: m[3] }));
    expect(servers).toEqual(nodes.map((n) => ({ name: n, host: n, port: env.PORT })));
    // Sticky-free: no cookie or stick table pins a client to a node.
    expect(cfg).not.toMatch(/^\s*(cookie|stick)\b/m);
    expect(cfg).toMatch(/^\s*balance leastconn/m);
    // The proxy checks readiness, so a draining node (or one without its database) gets no new clients.
    expect(cfg).toMatch(/^\s*option httpchk GET \/api\/ready$/m);
    expect(Number(env.REAPLAB_DRAIN_DELAY_MS)).toBeGreaterThan(0);
  });

  it('HAProxy accepts its config (haproxy -c)', () => {
    let out: string;
    try {
      out = execFileSync('haproxy', ['-c', '-f', join(deploy, 'haproxy.cfg')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { code?: string; stderr?: string; stdout?: string };
      throw new Error(err.code === 'ENOENT' ? 'haproxy is not installed (apt-get install haproxy; npm test does it as root: test/ensure-tools.sh)' : `haproxy -c refused deploy/haproxy.cfg:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
    }
    expect(out).toContain('Configuration file is valid');
  });

  it('the Kubernetes manifests: a Deployment with probes the server answers, a Service without affinity on its port, configuration by environment', async () => {
    const docs = ['config.yaml', 'deployment.yaml', 'service.yaml'].flatMap((f) => load(join(deploy, 'k8s', f)));
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    const [dep] = byKind('Deployment');
    const [svc] = byKind('Service');
    const [cm] = byKind('ConfigMap');
    const [secret] = byKind('Secret');
    expect(dep.spec.replicas).toBeGreaterThanOrEqual(3);
    expect(dep.spec.selector.matchLabels).toEqual(dep.spec.template.metadata.labels);
    const c = dep.spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ configMapRef: { name: cm.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    expect(Object.keys(cm.data)).toEqual(expect.arrayContaining(['PORT', 'REAPLAB_REDIS_URL']));
    expect(Object.keys(secret.stringData)).toEqual(['REAPLAB_DATABASE_URL']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: Number(cm.data.PORT) }]);
    // Liveness: the process answers; readiness: it should get traffic (false while draining or without its database).
    expect(c.livenessProbe.httpGet.path).toBe('/api/health');
    expect(c.readinessProbe.httpGet.path).toBe('/api/ready');
    expect(Number(cm.data.REAPLAB_DRAIN_DELAY_MS)).toBeGreaterThanOrEqual(c.readinessProbe.periodSeconds * c.readinessProbe.failureThreshold * 1000);
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe.httpGet.port).toBe('http');
      const res = await fetch(`${server.url}${probe.httpGet.path}`);
      expect(res.status).toBe(200);
    }
    expect(svc.spec.selector).toEqual(dep.spec.template.metadata.labels);
    expect(svc.spec.sessionAffinity).toBe('None');
    expect(svc.spec.ports[0].targetPort).toBe('http');
    expect(byKind('PodDisruptionBudget')[0].spec.selector).toEqual(dep.spec.selector);
  });
});
