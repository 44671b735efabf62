// The real server (server/main.ts) in a child process, for crash tests: start it on an
// ephemeral port over a data folder, kill it with SIGKILL, start it again.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const children: ChildProcess[] = [];
// The last lines each child printed, so a test can say why a server died.
const tails = new WeakMap<ChildProcess, string>();
const TAIL_CHARS = 4000;
const keepTail = (child: ChildProcess, d: Buffer) => { tails.set(child, ((tails.get(child) ?? '') + d.toString()).slice(-TAIL_CHARS)); };

/** null while the child runs; once it has died, its exit code or signal and the end of its output. */
export function deathOf(child: ChildProcess): string | null {
  if (child.exitCode === null && child.signalCode === null) return null;
  return `exited (${child.exitCode ?? child.signalCode}); last output:\n${tails.get(child) ?? ''}`;
}

/** Starts server/main.ts (with `env` added to its environment); resolves with its URL once it prints READY. */
export function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dataDir, REAPLAB_BOT_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolveUrl, reject) => {
    let out: string | null = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      keepTail(child, d);
      if (out === null) return;
      out += d.toString();
      // The whole line: a chunk may end inside the port number.
      const m = /^READY (\d+)\n/m.exec(out);
      if (m) {
        out = null;
        resolveUrl({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.stderr!.on('data', (d: Buffer) => { keepTail(child, d); err += d.toString(); });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before READY: ${err.slice(-2000)}`)));
  });
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
}

/** Kills every child server still running (for afterEach). */
export function killChildServers(): void {
  for (const ch of children.splice(0)) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
}
