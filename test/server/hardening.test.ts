// Adversarial game clients: requests a hostile or buggy client sends and what must come of
// them — a typed answer, and nothing stored or shown changed.

import { describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { ok, shortestTrace, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();
const open = ctx.open;

/** Emits with any argument list (the typed client allows only payload + ack). */
function emitRaw(c: Awaited<ReturnType<typeof open>>, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return new Promise((resolve) => {
    (c.socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args, resolve);
  });
}

describe('every request gets an answer', () => {
  it('answers a request with no payload, or with extra arguments, with bad_request', async () => {
    const c = await open();
    await c.create('Ada');
    for (const event of ['room:leave', 'game:undo', 'role:claim', 'room:create', 'class:join']) {
      expect(await emitRaw(c, event), event).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(await emitRaw(c, event, {}, 'extra'), event).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    // Still in the room, untouched.
    expect((await ctx.srv.app.rooms.view(c.joined!.room.code))!.players).toHaveLength(1);
  });
});

describe('one connection is one player per room', () => {
  it('joining the room it is already in again takes the same player over (no ghost)', async () => {
    const host = await open();
    const { room } = await host.createForHumans('Host');
    const c = await open();
    const first = await c.join(room.code, 'Ben');
    for (let i = 0; i < 30; i++) await c.join(room.code, `Ben ${i}`);
    const live = async () => (await ctx.srv.app.rooms.view(room.code))!;
    expect((await live()).players.map((p) => p.name)).toEqual(['Host', 'Ben 29']);
    expect(c.joined!.playerId).toBe(first.playerId);
    expect(ctx.srv.store.loadRoom(room.code)!.players).toHaveLength(2);
    // The old token stopped working; the newest one is the seat.
    expect(await c.call('room:join', { protocol: PROTOCOL_VERSION, code: room.code, name: 'Ben', token: first.token })).toMatchObject({ ok: false, error: { code: 'bad_token' } });
    await c.join(room.code, 'Ben', c.joined!.token);
    c.close();
    await host.until(() => host.room.players.find((p) => p.id === first.playerId)?.connected === false, 'Ben shown away');
    expect((await live()).players.every((p) => p.id === first.playerId ? !p.connected : true)).toBe(true);
  });

  it('a token for another seat lets the connection’s current player go like a dropped connection', async () => {
    const host = await open();
    const { room } = await host.createForHumans('Host');
    const a = await open();
    const seat = await a.join(room.code, 'Old seat');
    a.close();
    const c = await open();
    const mine = await c.join(room.code, 'Cai');
    await c.join(room.code, 'Old seat', seat.token);
    const live = (await ctx.srv.app.rooms.view(room.code))!;
    expect(live.players.find((p) => p.id === mine.playerId)!.connected).toBe(false);
    expect(live.players.find((p) => p.id === seat.playerId)!.connected).toBe(true);
    expect(live.players.filter((p) => p.connected)).toHaveLength(2);
  });
});

describe('finished runs', () => {
  it('a jump to the last step of a finished run keeps its result', async () => {
    const c = await open();
    const { room } = await c.createForHumans('Ada', { mode: 'scheduler' });
    const trace = shortestTrace(room.scenario, 'oops');
    for (const [i, a] of trace.entries()) ok(await c.call('game:act', { actor: a.actor, step: a.step, version: i }));
    await c.untilVersion(trace.length);
    const ended = c.game;
    expect(ended.result?.outcome).toBe('oops');
    ok(await c.call('game:jump', { version: trace.length, to: trace.length }));
    await c.untilVersion(trace.length + 1);
    expect(c.game.state.outcome?.id).toBe('oops');
    expect(c.game.result).toEqual(ended.result);
    expect(ctx.srv.store.loadRoom(room.code)!.room.result).toEqual(ended.result);
    // A jump back clears it, as the state is no longer ended.
    ok(await c.call('game:jump', { version: trace.length + 1, to: 1 }));
    await c.untilVersion(trace.length + 2);
    expect(c.game.result).toBeNull();
  });
});

describe('names', () => {
  it('refuses lone surrogates and counts length in code points', async () => {
    const c = await open();
    for (const name of ['Ada\uD800', '\uDC00x', 'x'.repeat(41), '😀'.repeat(41)]) {
      expect(await c.call('room:create', { protocol: PROTOCOL_VERSION, name, lesson: 'fixture-oops' }), name).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    ok(await c.call('room:create', { protocol: PROTOCOL_VERSION, name: '😀'.repeat(40), lesson: 'fixture-oops' }));
    expect(ctx.srv.app.rooms.loadedRooms).toBe(1);
  });
});

describe('classes', () => {
  async function stoppedClass() {
    const teacher = await open();
    const made = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson: 'fixture-oops', grouping: 'auto' }));
    const ana = await open();
    const j = ok(await ana.call('class:join', { protocol: PROTOCOL_VERSION, code: made.code, name: 'Ana' }));
    ok(await teacher.call('class:stop', { code: made.code, teacherToken: made.teacherToken }));
    return { made, ana, room: j.joined!.room.code };
  }

  it('a stopped class refuses joins, mode and bot changes in its rooms', async () => {
    const { ana, room } = await stoppedClass();
    const before = JSON.stringify(ctx.srv.store.loadRoom(room));
    const ben = await open();
    expect(await ben.call('room:join', { protocol: PROTOCOL_VERSION, code: room, name: 'Ben' })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    expect(await ana.call('game:mode', { mode: 'scheduler' })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    expect(await ana.call('bot:set', { role: 'reaper', kind: 'lazy' })).toMatchObject({ ok: false, error: { code: 'class_closed' } });
    expect(JSON.stringify(ctx.srv.store.loadRoom(room))).toBe(before);
  });

  it('class:join gives a student their own room only', async () => {
    const teacher = await open();
    const made = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson: 'fixture-oops', grouping: 'auto' }));
    const seats = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) seats.push(ok(await (await open()).call('class:join', { protocol: PROTOCOL_VERSION, code: made.code, name })));
    const dee = seats[3]!;
    expect(dee.rooms).toEqual([]);
    expect(dee.joined!.room.players.map((p) => p.name)).toEqual(['Dee']);
    expect(JSON.stringify(dee)).not.toContain(seats[0]!.joined!.room.code);
    // A pick class lists rooms to choose from without anyone's name.
    const pick = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Teacher', lesson: 'fixture-oops', grouping: 'pick' }));
    ok(await (await open()).call('class:join', { protocol: PROTOCOL_VERSION, code: pick.code, name: 'Secret name', room: 'new' }));
    const list = ok(await (await open()).call('class:join', { protocol: PROTOCOL_VERSION, code: pick.code, name: 'Eve' }));
    expect(list.rooms).toMatchObject([{ seated: 1, free: ['reaper', 'allocator'] }]);
    expect(JSON.stringify(list)).not.toContain('Secret name');
  });
});
