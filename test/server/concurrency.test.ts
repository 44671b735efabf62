// Concurrent intents: when several players step at the same version, the server accepts
// exactly one, rejects the others as stale, and every client sees the same order — the
// order of the accepted acks. Rounds repeat until the run ends; the seed picks who sends
// first, so a failure names the seed that reproduces it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextRandom } from '../../engine/index.js';
import type { GameView } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { connect, ok, startServer, type Client, type TestServer } from './helpers.js';

let srv: TestServer;
const clients: Client[] = [];
beforeEach(async () => {
  srv = await startServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv.stop();
  srv.cleanup();
});

async function seatThree(): Promise<{ host: Client; byRole: Record<'victim' | 'reaper' | 'allocator', Client[]>; all: Client[] }> {
  const host = await connect(srv.url);
  clients.push(host);
  const { room } = await host.createForHumans('Host');
  const byRole = { victim: [] as Client[], reaper: [] as Client[], allocator: [] as Client[] };
  for (const role of ['victim', 'reaper', 'allocator'] as const) {
    const c = await connect(srv.url);
    clients.push(c);
    await c.join(room.code, role.toUpperCase());
    ok(await c.call('role:claim', { role }));
    byRole[role].push(c);
  }
  // the host plays too: it may step actors whose role nobody holds (none here), so it only watches
  return { host, byRole, all: [host, ...byRole.victim, ...byRole.reaper, ...byRole.allocator] };
}

describe('concurrent steps', () => {
  for (const seed of [1, 7, 2024]) {
    it(`applies simultaneous intents in arrival order while their step stands, and all clients see one order (seed ${seed})`, async () => {
      const { byRole, all } = await seatThree();
      const accepted: { actor: string; step: string }[] = [];
      let rng = seed;
      let view: GameView = all[0]!.game;
      let rounds = 0;
      while (!view.state.outcome && rounds < 60) {
        rounds++;
        const enabled = view.choices.filter((c) => c.enabled);
        expect(enabled.length, `seed ${seed}: the run stalled`).toBeGreaterThan(0);
        // Shuffle who sends first with the seeded PRNG, then fire everything without awaiting.
        const order = enabled.map((c) => {
          const r = nextRandom(rng);
          rng = r.seed;
          return { c, k: r.value };
        }).sort((a, b) => a.k - b.k).map((x) => x.c);
        const version = view.version;
        const sent = order.map((c) => ({ c, p: byRole[roleOfActor(c.actor)][0]!.call('game:act', { actor: c.actor, step: c.step, version }) }));
        const results = await Promise.all(sent.map((s) => s.p));
        // The first to arrive wins; the others go in after it, in arrival order, while their
        // actor still offers the step they clicked; the rest are stale.
        const winners = results.map((r, i) => ({ v: r.ok ? r.data.version : 0, c: sent[i]!.c })).filter((x) => x.v > 0).sort((a, b) => a.v - b.v);
        expect(winners.length, `seed ${seed} round ${rounds}`).toBeGreaterThan(0);
        expect(winners.map((w) => w.v)).toEqual(winners.map((_, i) => version + 1 + i));
        for (const r of results) if (!r.ok) expect(r.error).toMatchObject({ code: 'stale_version' });
        for (const w of winners) accepted.push({ actor: w.c.actor, step: w.c.step });
        const reached = version + winners.length;
        for (const c of all) await c.untilVersion(reached);
        view = all[0]!.games.find((g) => g.version === reached)!;
      }
      expect(view.state.outcome, `seed ${seed}: no outcome after ${rounds} rounds`).not.toBeNull();
      // Everyone saw the same sequence of states, one per accepted step, in the accepted order.
      const first = JSON.stringify(all[0]!.games);
      for (const c of all) expect(JSON.stringify(c.games)).toBe(first);
      expect(all[0]!.games.map((g) => g.version)).toEqual(accepted.map((_, i) => i + 1));
      expect(view.actions.map((a) => ({ actor: a.actor, step: a.step }))).toEqual(accepted);
      // And the store holds exactly that order.
      expect(srv.store.loadRoom(view.code)!.actions.map((a) => ({ actor: a.actor, step: a.step }))).toEqual(accepted);
    });
  }

  it('two connections of the same role racing on one actor: one wins, one is stale', async () => {
    const { byRole, all } = await seatThree();
    const alloc = byRole.allocator[0]!;
    const choice = alloc.game.choices.find((c) => c.actor === 'allocator' && c.enabled)!;
    const [a, b] = await Promise.all([
      alloc.call('game:act', { actor: 'allocator', step: choice.step, version: 0 }),
      alloc.call('game:act', { actor: 'allocator', step: choice.step, version: 0 }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    if (!b.ok) expect(b.error.code).toBe('stale_version');
    for (const c of all) await c.untilVersion(1);
    for (const c of all) expect(c.games).toHaveLength(1);
  });
});
