// Builds the browser client (vite, client/vite.config.ts → dist/client) when the bundle is
// missing or older than any source it is built from. Run by `npm start` before the server.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SOURCES = ['client', 'engine', 'protocol', 'lessons', 'package.json'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === '__snapshots__') continue;
    m = Math.max(m, newest(join(path, e.name)));
  }
  return m;
}

/** True when dist/client must be (re)built. */
export function clientIsStale(): boolean {
  const built = join(root, 'dist/client/index.html');
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > at);
}

export function buildClient(): boolean {
  const config = join(root, 'client/vite.config.ts');
  if (!existsSync(config)) {
    process.stderr.write('build-client: client/vite.config.ts not found; serving without a client\n');
    return false;
  }
  const vite = join(root, 'node_modules/.bin/vite');
  const r = spawnSync(vite, ['build', '--config', config], { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force') || clientIsStale()) {
    process.stdout.write('build-client: building the client (vite build --config client/vite.config.ts)\n');
    if (!buildClient()) {
      process.stderr.write('build-client: the client build failed\n');
      process.exit(1);
    }
  } else process.stdout.write('build-client: dist/client is up to date\n');
}
