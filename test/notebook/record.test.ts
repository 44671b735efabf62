// The notebook as the lab record: the server writes a trace cell for every finished run
// into the room's notebook (seeded with the lesson and an explorer cell), the class's
// and any notebook the room was opened from — and the cell replays to the same outcome.

import { afterEach, describe, expect, it } from 'vitest';
import { replay } from '../../engine/index.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import type { TraceRecord } from '../../protocol/notebook/doc.js';
import { connect, cells, ok, openNotebook, shortestTrace, startServer, until, type NbClient, type TestServer } from './helpers.js';
import type { Client } from '../server/helpers.js';

let server: TestServer | null = null;
const open: NbClient[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  for (const c of clients.splice(0)) c.close();
  if (server) {
    await server.stop();
    server.cleanup();
    server = null;
  }
});

async function playOops(c: Client): Promise<void> {
  const trace = shortestTrace(c.game.state.scenario, 'oops');
  for (let i = 0; i < trace.length; i++) ok(await c.call('game:act', { ...trace[i]!, version: i }));
}

const traces = (nb: NbClient) => cells(nb.doc).filter((c) => c.kind === 'trace').map((c) => (c as { trace: TraceRecord }).trace);

describe('runs in notebooks', () => {
  it("a finished game appears in the room's notebook as a trace cell that replays to the same outcome", async () => {
    server = await startServer();
    const host = await connect(server.url);
    clients.push(host);
    // A scheduler-mode lesson: no bot moves until Ada does.
    const joined = await host.create('Ada', { lesson: 'fixture-scheduler' });
    const code = joined.room.code;
    const nb = await openNotebook(server.url, `room-${code}`, 'Ada', { credential: { kind: 'room', room: code, token: joined.token } });
    open.push(nb);
    expect(nb.provider.seat).toBe('host');
    // Seeded when the room's notebook was made: the lesson and an explorer cell on its scenario.
    expect(cells(nb.doc).map((c) => c.kind)).toEqual(['lesson', 'explorer']);
    await playOops(host);
    await until(() => traces(nb).length === 1, 'the trace cell');
    const t = traces(nb)[0]!;
    expect(t.outcome).toBe('oops');
    expect(t.room).toBe(code);
    expect(t.by.every((b) => b === 'Ada')).toBe(true);
    const result = host.game.result!;
    expect(t.traceId).toBe(result.traceId);
    const r = replay(t.scenario, t.actions);
    expect(r.ok && r.outcome?.id).toBe('oops');
    expect(r.ok && r.outcome?.detail).toBe(t.detail);
    // Recorded once, also after a reload of the notebook from disk.
    await server.app.notebooks!.service.compactAll();
    const again = await openNotebook(server.url, `room-${code}`, 'Bob');
    open.push(again);
    expect(traces(again).map((x) => x.traceId)).toEqual([result.traceId]);
  });

  it('records runs that finished before anyone opened the notebook, and class runs in the class notebook', async () => {
    server = await startServer();
    const teacher = await connect(server.url);
    clients.push(teacher);
    const cls = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson: 'fixture-scheduler', grouping: 'auto', mode: 'scheduler' }));
    const student = await connect(server.url);
    clients.push(student);
    const seat = ok(await student.call('class:join', { protocol: PROTOCOL_VERSION, code: cls.code, name: 'Sam' }));
    student.joined = seat.joined;
    await playOops(student);
    const classNb = await openNotebook(server.url, `class-${cls.code}`, 'Teacher', { credential: { kind: 'teacher', token: cls.teacherToken } });
    open.push(classNb);
    expect(classNb.provider.seat).toBe('host');
    await until(() => traces(classNb).length === 1, 'the class trace cell');
    expect(traces(classNb)[0]!.classCode).toBe(cls.code);
    const roomNb = await openNotebook(server.url, `room-${seat.joined!.room.code}`, 'Sam', { credential: { kind: 'room', room: seat.joined!.room.code, token: seat.joined!.token } });
    open.push(roomNb);
    expect(traces(roomNb).length).toBe(1);
  });

  it('a run played from a notebook (notebook:play) lands in that notebook too', async () => {
    server = await startServer();
    const nb = await openNotebook(server.url, 'nb-study-group', 'Ada');
    open.push(nb);
    expect(nb.provider.seat).toBe('host');
    const room = await nb.provider.play({ lesson: 'fixture-scheduler' });
    if (!room.ok) throw new Error(room.error.message);
    const player = await connect(server.url);
    clients.push(player);
    await player.join(room.data.code, 'Ada', room.data.token);
    await playOops(player);
    await until(() => traces(nb).length === 1, 'the trace in the study group notebook');
    expect(traces(nb)[0]!.room).toBe(room.data.code);
  });
});
