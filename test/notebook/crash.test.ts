// A real crash: the server (server/main.ts) runs in a child process; the moment it
// acknowledges a notebook update it is killed with SIGKILL. A new process on the same data
// folder must hold every acknowledged edit (the update log is written before the ack).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCell, readCells } from '../../protocol/notebook/doc.js';
import { openNotebook, textOf, type NbClient } from './helpers.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const children: ChildProcess[] = [];
const open: NbClient[] = [];
let dir = '';

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const ch of children.splice(0)) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REAPLAB_DATA: dataDir, REAPLAB_BOT_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolveUrl, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\d+)$/m.exec(out);
      if (m) resolveUrl({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before READY: ${err.slice(-2000)}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));

describe('notebook crash safety', () => {
  it('SIGKILL right after an acknowledged update loses nothing that was acknowledged', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reaplab-nb-crash-'));
    const first = await startChild(dir);
    const a = await openNotebook(first.url, 'nb-crash', 'Ada');
    open.push(a);
    insertCell(a.doc, { kind: 'markdown', text: 'before the crash' }, { by: 'Ada', at: '2024-01-01T00:00:00Z', via: 'editor' });
    await a.provider.whenSaved();
    const cell = readCells(a.doc)[0]!;
    if (cell.kind !== 'markdown') throw new Error('not markdown');
    // The last keystroke: the instant its ack arrives, type one more and kill the server.
    const killedAfterAck = new Promise<void>((done) => {
      const off = a.provider.onChange(() => {
        if (a.provider.pending !== 0) return;
        off();
        cell.text.insert(cell.text.length, '?'); // sent, never acknowledged: may or may not survive
        first.child.kill('SIGKILL');
        done();
      });
    });
    cell.text.insert(cell.text.length, ' — acknowledged');
    await killedAfterAck;
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    a.close();
    open.splice(0);

    const second = await startChild(dir);
    const b = await openNotebook(second.url, 'nb-crash', 'Bob');
    open.push(b);
    expect(textOf(b.doc).startsWith('before the crash — acknowledged')).toBe(true);
  });
});
