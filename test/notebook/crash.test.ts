// A real crash: the server (server/main.ts) runs in a child process; the moment it
// acknowledges a notebook update it is killed with SIGKILL. A new process on the same data
// folder must hold every acknowledged edit (the update log is written before the ack).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, killChildServers, startChildServer } from '../child-server.js';
import { insertCell, readCells } from '../../protocol/notebook/doc.js';
import { openNotebook, textOf, type NbClient } from './helpers.js';

const open: NbClient[] = [];
let dir = '';

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  killChildServers();
  if (dir) rmSync(dir, { recursive: true, force: true });
});



describe('notebook crash safety', () => {
  it('SIGKILL right after an acknowledged update loses nothing that was acknowledged', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reaplab-nb-crash-'));
    const first = await startChildServer(dir);
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

    const second = await startChildServer(dir);
    const b = await openNotebook(second.url, 'nb-crash', 'Bob');
    open.push(b);
    expect(textOf(b.doc).startsWith('before the crash — acknowledged')).toBe(true);
  });
});
