// What the server acknowledged survives: a new app on the same SQLite file resumes every
// room where it was, and a player who reloads or loses the connection gets their role
// back with the reconnect token.

import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import type { Clock } from '../../server/clock.js';
import { connect, ok, shortestTrace, startServer, type Client, type TestServer } from './helpers.js';
import { roleOfActor } from '../../protocol/rules.js';

const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) {
    await s.stop();
    s.cleanup();
  }
});
async function open(url: string) {
  const c = await connect(url);
  clients.push(c);
  return c;
}

describe('resuming', () => {
  it('a restarted server (new app, same SQLite file) resumes the room mid-game; players get their roles back', async () => {
    const first = await startServer();
    servers.push(first);
    const host = await open(first.url);
    const created = await host.createForHumans('Host', { mode: 'scheduler' });
    const code = created.room.code;
    ok(await host.call('bot:set', { role: 'reaper', kind: 'random' }));
    const players = { victim: await open(first.url), allocator: await open(first.url) };
    const joined = { victim: await players.victim.join(code, 'Vera'), allocator: await players.allocator.join(code, 'Alma') };
    ok(await players.victim.call('role:claim', { role: 'victim' }));
    ok(await players.allocator.call('role:claim', { role: 'allocator' }));
    ok(await host.call('game:mode', { mode: 'scheduler' }));

    // The host schedules the first half of the oops trace.
    const trace = shortestTrace(created.room.scenario, 'oops');
    const half = Math.floor(trace.length / 2);
    for (let i = 0; i < half; i++) ok(await host.call('game:act', { ...trace[i]!, version: i }));
    await players.victim.untilVersion(half);
    const mid = players.victim.game;

    // Crash-free stop of the first instance, then a new app on the same file.
    for (const c of clients.splice(0)) c.close();
    await first.stop();
    const second = await startServer({ dir: first.dir });
    servers.push(second);

    const host2 = await open(second.url);
    const back = await host2.join(code, 'Host', created.token);
    expect(back.playerId).toBe(created.playerId);
    expect(back.role).toBe('spectator');
    expect(back.room.hostId).toBe(created.playerId);
    expect(back.game.version).toBe(half);
    expect(back.game.actions).toEqual(mid.actions);
    expect(back.game.state).toEqual(mid.state);
    expect(back.game.referee).toEqual(mid.referee);
    expect(back.room.mode).toBe('scheduler');
    expect(back.room.bots).toEqual({ victim: null, reaper: 'random', allocator: null });
    expect(back.room.players.map((p) => [p.name, p.role, p.connected])).toEqual([
      ['Host', 'spectator', true], ['Vera', 'victim', false], ['Alma', 'allocator', false],
    ]);
    const vera = await open(second.url);
    expect((await vera.join(code, 'Vera', joined.victim.token)).role).toBe('victim');

    // Play on to the outcome on the new instance.
    for (let i = half; i < trace.length; i++) ok(await host2.call('game:act', { ...trace[i]!, version: i }));
    await vera.untilVersion(trace.length);
    expect(vera.game.result).toMatchObject({ outcome: 'oops', verdict: 'win' });
    expect(second.store.getTrace(vera.game.result!.traceId)!.actions).toHaveLength(trace.length);
  });

  it('a dropped connection keeps the role; the token brings it back; others may claim it only after the grace period', async () => {
    let now = 5_000_000;
    const clock: Clock = { now: () => now, setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; }, defer: (fn) => { setImmediate(fn); } };
    const srv = await startServer({ clock, roleGraceMs: 30_000 });
    servers.push(srv);
    const host = await open(srv.url);
    const { room } = await host.create('Host');
    const rui = await open(srv.url);
    const j = await rui.join(room.code, 'Rui');
    ok(await rui.call('role:claim', { role: 'reaper' }));

    rui.close();
    await host.until(() => host.room.players.some((p) => p.name === 'Rui' && !p.connected && p.role === 'reaper'), 'Rui shown disconnected');
    const eve = await open(srv.url);
    await eve.join(room.code, 'Eve');
    const early = await eve.call('role:claim', { role: 'reaper' });
    expect(early).toMatchObject({ ok: false, error: { code: 'role_taken', message: 'reaper belongs to Rui, who may reconnect; try again in 30 s' } });

    // Rui reloads: same player, same role.
    const rui2 = await open(srv.url);
    const again = await rui2.join(room.code, 'Rui', j.token);
    expect(again).toMatchObject({ playerId: j.playerId, role: 'reaper' });

    // A second tab with the same token takes the player over; the first is told.
    const rui3 = await open(srv.url);
    await rui3.join(room.code, 'Rui', j.token);
    await rui2.until(() => rui2.left.length > 0, 'room:left');
    expect(rui2.left).toEqual([{ code: room.code, reason: 'replaced' }]);
    expect((await rui2.call('role:claim', { role: 'victim' })).ok).toBe(false);

    // Gone for longer than the grace period: the role is free for others.
    rui3.close();
    await host.until(() => host.room.players.some((p) => p.name === 'Rui' && !p.connected), 'Rui disconnected again');
    now += 30_001;
    expect(ok(await eve.call('role:claim', { role: 'reaper' }))).toEqual({ role: 'reaper' });
    const rui4 = await open(srv.url);
    expect((await rui4.join(room.code, 'Rui', j.token)).role).toBe('spectator');
  });

  it('undo, jump and restart recompute the state from the action list (host and solo)', async () => {
    const srv = await startServer();
    servers.push(srv);
    const solo = await open(srv.url);
    const created = await solo.create('Solo', { lesson: 'fixture-scheduler' });
    expect(created.room.mode).toBe('scheduler');
    const trace = shortestTrace(created.room.scenario, 'oops');
    for (let i = 0; i < 4; i++) ok(await solo.call('game:act', { ...trace[i]!, version: i }));
    await solo.untilVersion(4);
    const after2 = solo.games[1]!;
    expect(ok(await solo.call('game:undo', { version: 4 }))).toEqual({ version: 5 });
    await solo.untilVersion(5);
    expect(solo.game.actions).toEqual(solo.games[2]!.actions);
    expect(solo.game.state).toEqual(solo.games[2]!.state);
    expect(solo.game.events).toEqual([]);
    ok(await solo.call('game:jump', { version: 5, to: 2 }));
    await solo.untilVersion(6);
    expect(solo.game.state).toEqual(after2.state);
    expect(solo.game.actions).toEqual(after2.actions);
    // Play to the end, then undo the final step: the run is open again.
    for (let i = 2; i < trace.length; i++) ok(await solo.call('game:act', { ...trace[i]!, version: solo.game.version }));
    expect(solo.game.result?.outcome).toBe('oops');
    ok(await solo.call('game:undo', { version: solo.game.version }));
    expect(solo.game.result).toBeNull();
    ok(await solo.call('game:restart', { version: solo.game.version }));
    expect(solo.game).toMatchObject({ run: 2, actions: [], result: null });
    expect(solo.game.state).toEqual(created.game.state);
    expect(srv.store.loadRoom(created.room.code)!.actions).toEqual([]);
    expect(srv.store.listTraces(created.room.code, 10)).toHaveLength(1);
    // A second player joins: the solo player (a host) keeps the powers; a spectator has none.
    const other = await open(srv.url);
    await other.join(created.room.code, 'Other');
    expect((await other.call('game:restart', { version: solo.game.version })).ok).toBe(false);
  });

  it('bots play unclaimed roles through the same path: an adversary reaches the goal with a lazy helper', async () => {
    const srv = await startServer();
    servers.push(srv);
    const host = await open(srv.url);
    const { room } = await host.createForHumans('Host');
    ok(await host.call('bot:set', { role: 'victim', kind: 'adversary' }));
    ok(await host.call('bot:set', { role: 'reaper', kind: 'adversary' }));
    // The adversaries wait while a person could still move (the host may step free seats, here the allocator's).
    expect(srv.app.rooms.stats.botSteps).toBe(0);
    const alma = await open(srv.url);
    await alma.join(room.code, 'Alma');
    ok(await alma.call('role:claim', { role: 'allocator' }));
    // Alma steps whenever her actor is enabled; bots move otherwise.
    while (!alma.game.result) {
      const g = alma.game;
      const mine = g.choices.find((c) => c.role === 'allocator' && c.enabled);
      if (mine) {
        const r = await alma.call('game:act', { actor: mine.actor, step: mine.step, version: g.version });
        if (!r.ok) expect(r.error.code).toBe('stale_version');
      }
      await alma.until(() => alma.game.version > g.version || alma.game.result !== null, 'the next step');
    }
    expect(alma.game.actions.some((a) => a.by.kind === 'bot')).toBe(true);
    expect(alma.game.actions.filter((a) => a.by.kind === 'bot').every((a) => a.by.kind === 'bot' && a.by.bot === 'adversary')).toBe(true);
    expect(srv.app.rooms.stats.botSteps).toBeGreaterThan(0);
  });

  it('room:away keeps the seat and shows the player away; room:join with the token on the same connection brings it back', async () => {
    const srv = await startServer();
    servers.push(srv);
    const host = await open(srv.url);
    const { room } = await host.create('Host');
    const a = await open(srv.url);
    const ja = await a.join(room.code, 'A');
    ok(await a.call('role:claim', { role: 'victim' }));
    expect(ok(await a.call('room:away', {}))).toEqual({});
    await host.until(() => host.room.players.find((p) => p.id === ja.playerId)?.connected === false, 'away');
    expect(host.room.players.find((p) => p.id === ja.playerId)?.role).toBe('victim');
    // Away from the room, this connection's intents are refused.
    expect((await a.call('role:release', {})).ok).toBe(false);
    const back = ok(await a.call('room:join', { protocol: PROTOCOL_VERSION, code: room.code, name: 'A', token: ja.token }));
    expect(back.playerId).toBe(ja.playerId);
    expect(back.role).toBe('victim');
    await host.until(() => host.room.players.find((p) => p.id === ja.playerId)?.connected === true, 'back');
    expect(a.left).toEqual([]);
  });

  it('handover and release', async () => {
    const srv = await startServer();
    servers.push(srv);
    const host = await open(srv.url);
    const { room } = await host.create('Host');
    const a = await open(srv.url);
    const b = await open(srv.url);
    const ja = await a.join(room.code, 'A');
    const jb = await b.join(room.code, 'B');
    ok(await a.call('role:claim', { role: 'victim' }));
    ok(await b.call('role:claim', { role: 'reaper' }));
    expect(ok(await a.call('role:handover', { to: jb.playerId }))).toEqual({ role: 'spectator' });
    await host.until(() => host.room.players.find((p) => p.id === jb.playerId)?.role === 'victim', 'handover');
    expect(host.room.players.map((p) => p.role)).toEqual(['spectator', 'spectator', 'victim']);
    expect(ok(await host.call('role:release', { playerId: jb.playerId }))).toEqual({ role: 'spectator' });
    await host.until(() => host.room.players.every((p) => p.role !== 'victim'), 'release');
    expect(ok(await a.call('role:claim', { role: 'victim' }))).toEqual({ role: 'victim' });
    expect(ok(await a.call('role:release', {}))).toEqual({ role: 'spectator' });
    ok(await a.call('room:leave', {}));
    await host.until(() => !host.room.players.some((p) => p.id === ja.playerId), 'leave');
    expect((await a.call('room:join', { protocol: PROTOCOL_VERSION, code: room.code, name: 'A', token: ja.token })).ok).toBe(false);
    const roleOf = (actor: string) => roleOfActor(actor);
    expect(roleOf('allocator2')).toBe('allocator');
  });
});
