// The per-step delta over real sockets: an accepted game:act reaches every member of the
// room as one game:step (no whole view), and the view each member builds from it is the
// server's; undo, restart and jump come whole; a member that missed a delta resyncs with
// game:sync and ends with the server's view; a bad or foreign game:sync is refused with a
// typed error and changes nothing.

import { describe, expect, it } from 'vitest';
import type { GameView } from '../../protocol/events.js';
import { type Client, ok, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();

/** A scheduler room (the host steps every actor) with two watchers. */
async function room(): Promise<{ host: Client; a: Client; b: Client; code: string }> {
  const host = await ctx.open();
  const j = await host.createForHumans('Host', { mode: 'scheduler' });
  const a = await ctx.open();
  const b = await ctx.open();
  await a.join(j.room.code, 'Ann');
  await b.join(j.room.code, 'Bo');
  return { host, a, b, code: j.room.code };
}

const next = (g: GameView) => g.choices.find((c) => c.enabled)!;
/** The host takes the first enabled step of the view `from` holds, at that view's version. */
const act = async (host: Client, from: Client = host) => {
  const g = from.game;
  const c = next(g);
  return ok(await host.call('game:act', { actor: c.actor, step: c.step, version: g.version }));
};
const server = async (code: string) => JSON.parse(JSON.stringify(await ctx.srv.app.rooms.game(code))) as GameView;

describe('game:step deltas on the wire', () => {
  it('one act is one game:step to every member, with the new version, and every member then holds the server\'s view', async () => {
    const { host, a, b, code } = await room();
    const all = [host, a, b];
    for (let v = 0; v < 4; v++) {
      const c = next(host.game);
      expect(await host.call('game:act', { actor: c.actor, step: c.step, version: v })).toEqual({ ok: true, data: { version: v + 1 } });
      for (const m of all) await m.untilVersion(v + 1);
    }
    const want = await server(code);
    for (const m of all) {
      expect(m.steps.map((d) => d.version)).toEqual([1, 2, 3, 4]);
      expect(m.steps.every((d) => d.code === code && d.run === 1)).toBe(true);
      expect(m.fulls).toEqual([]);
      expect(m.follower.syncs).toBe(0);
      expect(m.game).toEqual(want);
    }
    // The delta carries the step, not the state, choices or history.
    expect(Object.keys(a.steps[3]!).sort()).toEqual(['code', 'events', 'referee', 'result', 'run', 'step', 'version']);
    expect(a.steps[3]!.step).toEqual(want.actions[3]);
  });

  it('undo, jump and restart send the whole game:state', async () => {
    const { host, a, code } = await room();
    for (let v = 0; v < 3; v++) {
      await act(host);
      await a.untilVersion(v + 1);
    }
    ok(await host.call('game:undo', { version: 3 }));
    await a.untilVersion(4);
    ok(await host.call('game:jump', { version: 4, to: 1 }));
    await a.untilVersion(5);
    ok(await host.call('game:restart', { version: 5 }));
    await a.untilVersion(6);
    expect(a.steps.map((d) => d.version)).toEqual([1, 2, 3]);
    expect(a.fulls.map((g) => [g.version, g.run, g.actions.length])).toEqual([[4, 1, 2], [5, 1, 1], [6, 2, 0]]);
    // The next step after a restart is a delta of the new run, applied to the whole view.
    await act(host, a);
    await a.untilVersion(7);
    expect(a.steps[3]).toMatchObject({ version: 7, run: 2 });
    expect(a.game).toEqual(await server(code));
  });

  it('a member that missed a delta does not apply the next one: it resyncs with game:sync and holds the server\'s view', async () => {
    const { host, a, code } = await room();
    await act(host);
    await a.untilVersion(1);
    // a's connection loses the next delta (as a client that was busy or dropped a packet).
    const listeners = a.socket.listeners('game:step');
    a.socket.off('game:step');
    const lost = new Promise<void>((resolve) => a.socket.once('game:step', () => resolve()));
    await act(host);
    await lost;
    for (const l of listeners) a.socket.on('game:step', l as never);
    expect(a.game.version).toBe(1);

    await act(host);
    await a.untilVersion(3);
    expect(a.follower.syncs).toBe(1);
    expect(a.games.map((g) => g.version)).toEqual([1, 3]);
    expect(a.game).toEqual(await server(code));
    // And it follows the deltas again from the synced view.
    await act(host);
    await a.untilVersion(4);
    expect(a.follower.syncs).toBe(1);
    expect(a.game).toEqual(await server(code));
  });

  it('game:sync answers the whole view of this connection\'s room; a malformed or foreign request gets a typed error and changes nothing', async () => {
    const { host, a, code } = await room();
    await act(host);
    await a.untilVersion(1);
    expect(ok(await a.call('game:sync', { code: code.toLowerCase() }))).toEqual(await server(code));

    const other = await ctx.open();
    const elsewhere = (await other.createForHumans('Else', { mode: 'scheduler' })).room.code;
    const stranger = await ctx.open();
    const before = JSON.stringify(await server(code));
    const seen = a.games.length + host.games.length;
    const refusals: [Client, unknown, string][] = [
      [a, { code: elsewhere }, 'not_in_room'],
      [stranger, { code }, 'not_in_room'],
      [a, { code: 42 }, 'bad_request'],
      [a, { code, version: 1 }, 'bad_request'],
      [a, {}, 'bad_request'],
      [a, 'ABCDEF', 'bad_request'],
    ];
    for (const [who, payload, code_] of refusals) {
      const r = await who.raw('game:sync', payload);
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code_);
        expect(r.error.message.length).toBeGreaterThan(0);
      }
    }
    expect(JSON.stringify(await server(code))).toBe(before);
    expect(a.games.length + host.games.length).toBe(seen);
  });
});
