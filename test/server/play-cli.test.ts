// The headless player (cli/play.ts) joins over the public protocol and plays its actor:
// two adversary players and one human play a run to its end.

import { afterEach, describe, expect, it } from 'vitest';
import { runPlayer } from '../../cli/play.js';
import { connect, ok, startServer, type Client, type TestServer } from './helpers.js';

let srv: TestServer | null = null;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv?.stop();
  srv?.cleanup();
});

describe('npm run play', () => {
  it('plays the victim and the reaper as adversaries beside a human allocator', async () => {
    srv = await startServer();
    const host = await connect(srv.url);
    clients.push(host);
    const { room } = await host.create('Host', { mode: 'race' });
    for (const role of ['victim', 'reaper', 'allocator'] as const) ok(await host.call('bot:set', { role, kind: null }));
    const lines: string[] = [];
    const players = (['victim', 'reaper'] as const).map((role) =>
      runPlayer({ url: srv!.url, room: room.code, role, strategy: 'adversary', delayMs: 0, once: true, log: (l) => lines.push(l) }));
    await host.until(() => host.room.players.filter((p) => p.role === 'victim' || p.role === 'reaper').length === 2, 'two headless players');
    const alma = await connect(srv.url);
    clients.push(alma);
    await alma.join(room.code, 'Alma');
    ok(await alma.call('role:claim', { role: 'allocator' }));
    while (!alma.game.result) {
      const g = alma.game;
      const mine = g.choices.find((c) => c.role === 'allocator' && c.enabled);
      if (mine) await alma.call('game:act', { actor: mine.actor, step: mine.step, version: g.version });
      await alma.until(() => alma.game.version > g.version, 'the next step');
    }
    const results = await Promise.all(players.map((p) => p.done));
    // The interleaving depends on who is faster; every player saw the same end.
    const end = alma.game.result;
    for (const r of results) expect(r).toMatchObject({ outcome: end.outcome, verdict: end.verdict });
    const names = new Set(alma.game.actions.filter((a) => a.actor !== 'allocator').map((a) => (a.by.kind === 'human' ? a.by.name : a.by.kind)));
    expect([...names]).toEqual(['bot-adversary']);
    expect(lines.some((l) => l.includes('plays the victim'))).toBe(true);
  });
});
