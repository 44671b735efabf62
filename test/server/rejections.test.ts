// Everything that is not a valid intent gets a typed rejection and changes nothing: the
// version, the stored action list and the broadcasts stay as they were. Each case is
// checked against the exact error code (and, where it helps, the message).

import { describe, expect, it } from 'vitest';
import type { Ack, ErrorCode } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import type { Clock } from '../../server/clock.js';
import { ok, startServer, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();
const open = ctx.open;

function expectCode(r: Ack<unknown>, code: ErrorCode, message?: RegExp): void {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe(code);
    if (message) expect(r.error.message).toMatch(message);
  }
}

/** A room with victim, reaper, allocator players and a spectator, bots off, one step played. */
async function playing() {
  const host = await open();
  const { room } = await host.createForHumans('Host');
  const players = { victim: await open(), reaper: await open(), allocator: await open(), spectator: await open() };
  for (const [role, c] of Object.entries(players)) {
    await c.join(room.code, role);
    if (role !== 'spectator') ok(await c.call('role:claim', { role: role as 'victim' }));
  }
  const first = players.allocator.game.choices.find((c) => c.actor === 'allocator')!;
  ok(await players.allocator.call('game:act', { actor: 'allocator', step: first.step, version: 0 }));
  for (const c of [host, ...Object.values(players)]) await c.untilVersion(1);
  const snapshot = () => {
    const loaded = ctx.srv.store.loadRoom(room.code)!;
    return JSON.stringify({ version: loaded.room.version, actions: loaded.actions, live: ctx.srv.app.rooms.game(room.code) });
  };
  return { host, code: room.code, ...players, snapshot, all: [host, ...Object.values(players)] };
}

describe('rejections change nothing', () => {
  it('stale versions, wrong roles, blocked and unknown steps', async () => {
    const g = await playing();
    const before = g.snapshot();
    const view = g.victim.game;
    const blocked = view.choices.find((c) => !c.enabled && c.step !== '');
    const enabled = view.choices.find((c) => c.enabled)!;
    const owner = g[enabled.role];

    // A click on the board from before the allocator moved, on the allocator itself: its step has changed.
    const alloc = view.choices.find((c) => c.actor === 'allocator')!;
    expectCode(await g.allocator.call('game:act', { actor: 'allocator', step: alloc.step, version: 0 }), 'stale_version', /version 1, you saw 0/);
    const stale = await owner.call('game:act', { actor: enabled.actor, step: enabled.step, version: 5 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_version', version: 1 } });
    const other = (['victim', 'reaper', 'allocator'] as const).find((r) => r !== enabled.role)!;
    expectCode(await g[other].call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }), 'not_your_actor', new RegExp(`you play the ${other}`));
    expectCode(await g.spectator.call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }), 'not_your_actor', /spectators watch/);
    expect(blocked, 'the fixture has a blocked actor after one step').toBeDefined();
    expectCode(await g[blocked!.role].call('game:act', { actor: blocked!.actor, step: blocked!.step, version: 1 }), 'not_enabled', new RegExp(`${blocked!.actor} is blocked`));
    expectCode(await owner.call('game:act', { actor: enabled.actor, step: 'no_such_step', version: 1 }), 'wrong_step');
    expectCode(await g.allocator.call('game:act', { actor: 'allocator7', step: 'A1', version: 1 }), 'unknown_actor');
    // Host-only operations from a player.
    expectCode(await g.victim.call('game:undo', { version: 1 }), 'not_host');
    expectCode(await g.victim.call('game:mode', { mode: 'scheduler' }), 'not_host');
    expectCode(await g.victim.call('bot:set', { role: 'reaper', kind: 'random' }), 'not_host');
    expectCode(await g.host.call('game:jump', { version: 1, to: 5 }), 'bad_step_index');
    expectCode(await g.host.call('game:undo', { version: 0 }), 'stale_version');
    // Role conflicts.
    expectCode(await g.spectator.call('role:claim', { role: 'reaper' }), 'role_taken', /played by reaper/);
    expectCode(await g.spectator.call('role:handover', { to: g.victim.joined!.playerId }), 'bad_request');
    expectCode(await g.victim.call('role:handover', { to: 'nobody' }), 'unknown_player');
    expectCode(await g.victim.call('role:release', { playerId: g.reaper.joined!.playerId }), 'not_host');

    expect(g.snapshot()).toBe(before);
    // No broadcast went out: the next accepted step is the next game view everyone holds (one game:step each, no resync).
    ok(await owner.call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }));
    for (const c of g.all) {
      await c.untilVersion(2);
      expect(c.games.map((x) => x.version)).toEqual([1, 2]);
      expect(c.steps.map((x) => x.version)).toEqual([1, 2]);
      expect(c.follower.syncs).toBe(0);
    }
  });

  it('scheduler mode: only the host steps', async () => {
    const g = await playing();
    ok(await g.host.call('game:mode', { mode: 'scheduler' }));
    const enabled = g.victim.game.choices.find((c) => c.enabled)!;
    expectCode(await g[enabled.role].call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }), 'not_scheduler');
    expect(ok(await g.host.call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }))).toEqual({ version: 2 });
  });

  it('malformed payloads, unknown rooms and events, bad names, protocol mismatch', async () => {
    const g = await playing();
    const before = g.snapshot();
    const c = g.victim;
    expectCode(await c.raw('game:act', null), 'bad_request');
    expectCode(await c.raw('game:act', 'victim'), 'bad_request');
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'x' }), 'bad_request', /version/);
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'x', version: -1 }), 'bad_request');
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'x', version: 1.5 }), 'bad_request');
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'x', version: 1, extra: true }), 'bad_request', /extra/);
    expectCode(await c.raw('game:act', { actor: { $ne: 1 }, step: 'x', version: 1 }), 'bad_request');
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'x'.repeat(65), version: 1 }), 'bad_request');
    expectCode(await c.raw('role:claim', { role: 'admin' }), 'bad_request');
    expectCode(await c.raw('no:such', {}), 'bad_request', /unknown event/);
    expectCode(await c.raw('game:act', { actor: 'victim', step: 'y'.repeat(5000), version: 1 }), 'payload_too_large');

    const stranger = await open();
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: 'ZZZZZZ', name: 'Eve' }), 'unknown_room');
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: 'Z!', name: 'Eve' }), 'bad_request');
    expectCode(await stranger.call('room:join', { protocol: 99, code: g.code, name: 'Eve' }), 'protocol_mismatch');
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: g.code, name: '   ' }), 'bad_request', /empty/);
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: g.code, name: 'x'.repeat(41) }), 'bad_request', /too long/);
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: g.code, name: 'Eve\u0000' }), 'bad_request', /control/);
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: g.code, name: 'Eve\u202egnp.exe' }), 'bad_request', /control/);
    expectCode(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: g.code, name: 'Eve', token: 'A'.repeat(32) }), 'bad_token');
    expectCode(await stranger.call('game:act', { actor: 'victim', step: 'x', version: 1 }), 'not_in_room');
    expectCode(await stranger.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Eve', lesson: 'nope' }), 'unknown_lesson');
    expectCode(await stranger.call('room:create', { protocol: PROTOCOL_VERSION, name: 'Eve', scenario: { variant: 'v4.19', config: 'mlocked', overrides: { free: 250 } } }), 'bad_scenario', /255/);
    expect(g.snapshot()).toBe(before);

    // A name is text, never markup: it is stored and sent back as given.
    const html = await open();
    const j = await html.join(g.code, '<img src=x onerror=alert(1)>');
    expect(j.room.players.at(-1)!.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('a message over the transport limit closes the connection and changes nothing', async () => {
    const g = await playing();
    const before = g.snapshot();
    const closed = new Promise<string>((resolve) => g.victim.socket.on('disconnect', (reason) => resolve(reason)));
    g.victim.socket.emit('game:act', { actor: 'victim', step: 'z'.repeat(100_000), version: 1 }, () => {});
    expect(await closed).toBe('transport close');
    expect(g.snapshot()).toBe(before);
    // The others still play.
    const enabled = g.reaper.game.choices.find((c) => c.enabled)!;
    ok(await g[enabled.role].call('game:act', { actor: enabled.actor, step: enabled.step, version: 1 }));
  });

  it('rate limits each connection with a token bucket', async () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now, setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; }, defer: (fn) => { setImmediate(fn); } };
    const limited = await startServer({ clock, rateLimit: { burst: 5, perSecond: 1 } });
    try {
      const c = await open(limited);
      const results = [];
      for (let i = 0; i < 7; i++) results.push(await c.call('progress:get', { name: 'Ada' }));
      expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
      now += 1000;
      expect((await c.call('progress:get', { name: 'Ada' })).ok).toBe(true);
      expectCode(await c.call('progress:get', { name: 'Ada' }), 'rate_limited');
      // Another connection has its own bucket.
      const d = await open(limited);
      expect((await d.call('progress:get', { name: 'Ada' })).ok).toBe(true);
    } finally {
      ctx.closeClients();
      await limited.stop();
      limited.cleanup();
    }
  });

  it('oversized HTTP bodies are refused', async () => {
    const res = await fetch(`${ctx.srv.url}/api/lessons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(10_000) }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });
});
