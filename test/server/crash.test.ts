// A real crash: the server runs in a child process, acknowledges steps, and is killed
// with SIGKILL right after an ack. A new process on the same data folder must hold every
// acknowledged step (write-before-ack, SQLite WAL).

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, killChildServers, startChildServer } from '../child-server.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { connect, ok, shortestTrace, type Client } from './helpers.js';

const clients: Client[] = [];
let dir = '';

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  killChildServers();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('crash safety', () => {
  it('SIGKILL right after an ack loses nothing that was acknowledged', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reaplab-crash-'));
    const first = await startChildServer(dir);
    const c = await connect(first.url);
    clients.push(c);
    const created = ok(await c.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Ada', scenario: { variant: 'rfc-v1', config: 'pgtable-heavy' } }));
    expect(created.room.mode).toBe('scheduler');
    const trace = shortestTrace(created.room.scenario, 'oops');
    const k = trace.length - 3;
    for (let i = 0; i < k - 1; i++) ok(await c.call('game:act', { ...trace[i]!, version: i }));
    // The k-th step: as soon as its ack arrives, fire one more step and kill the process.
    const acked = await new Promise<number>((resolveAck) => {
      c.socket.emit('game:act', { ...trace[k - 1]!, version: k - 1 }, (r) => {
        expect(r.ok).toBe(true);
        c.socket.emit('game:act', { ...trace[k]!, version: k }, () => {});
        first.child.kill('SIGKILL');
        resolveAck(r.ok ? r.data.version : -1);
      });
    });
    expect(acked).toBe(k);
    await exited(first.child);
    c.close();

    const second = await startChildServer(dir);
    const d = await connect(second.url);
    clients.push(d);
    const back = ok(await d.call('room:join', { protocol: PROTOCOL_VERSION, code: created.room.code, name: 'Ada', token: created.token }));
    expect(back.room.hostId).toBe(back.playerId);
    // Every acknowledged step is there; the unacknowledged one may or may not be.
    expect(back.game.version).toBeGreaterThanOrEqual(k);
    expect(back.game.version).toBeLessThanOrEqual(k + 1);
    expect(back.game.actions.map((a) => ({ actor: a.actor, step: a.step }))).toEqual(trace.slice(0, back.game.version));
    // And the game goes on from there.
    for (let i = back.game.version; i < trace.length; i++) ok(await d.call('game:act', { ...trace[i]!, version: i }));
    await killed(second.child);
  });
});
