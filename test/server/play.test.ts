// Three players and a spectator claim roles and play the fixture lesson to its outcome:
// every client sees the same broadcasts, the run ends with the lesson's win text, the
// trace is stored and announced in-process, and the winners' progress is recorded.

import { describe, expect, it } from 'vitest';
import type { RunTrace } from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { roleOfActor } from '../../protocol/rules.js';
import { type Client, ok, shortestTrace, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();
const open = ctx.open;

describe('a lesson played by three players and a spectator', () => {
  it('plays to the outcome; everyone sees the same states; the trace is stored', async () => {
    const finished: RunTrace[] = [];
    let announced!: () => void;
    const firstAnnounced = new Promise<void>((r) => { announced = r; });
    ctx.srv.app.events.on('run:finished', (t) => { finished.push(t); announced(); });

    const host = await open();
    const created = await host.createForHumans('Teacher');
    expect(created.role).toBe('spectator');
    expect(created.room.hostId).toBe(created.playerId);
    const code = created.room.code;
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    expect(created.room.link).toBe(`/r/${code}`);
    expect(created.game.version).toBe(0);
    expect(created.game.referee.reachable.oops).toBe(9);
    // No bots: the three humans play every actor.
    expect(created.room.bots).toEqual({ victim: null, reaper: null, allocator: null });
    const victim = await open();
    const reaper = await open();
    const alloc = await open();
    const watcher = await open();
    await victim.join(code, 'Vera');
    await reaper.join(code, 'Rui');
    await alloc.join(code, 'Alma');
    await watcher.join(code, 'Sam');
    expect(ok(await victim.call('role:claim', { role: 'victim' }))).toEqual({ role: 'victim' });
    expect(ok(await reaper.call('role:claim', { role: 'reaper' }))).toEqual({ role: 'reaper' });
    expect(ok(await alloc.call('role:claim', { role: 'allocator' }))).toEqual({ role: 'allocator' });
    // The host holds no actor, so only the three actor players step.
    await watcher.until(() => watcher.room.players.filter((p) => p.role !== 'spectator').length === 3, 'three roles claimed');
    expect(watcher.room.players.map((p) => [p.name, p.role])).toEqual([
      ['Teacher', 'spectator'], ['Vera', 'victim'], ['Rui', 'reaper'], ['Alma', 'allocator'], ['Sam', 'spectator'],
    ]);

    const byRole = { victim, reaper, allocator: alloc };
    const trace = shortestTrace(created.room.scenario, 'oops');
    let version = 0;
    for (const a of trace) {
      const player = byRole[roleOfActor(a.actor)];
      const r = await player.call('game:act', { actor: a.actor, step: a.step, version });
      expect(r).toEqual({ ok: true, data: { version: version + 1 } });
      version++;
    }
    for (const c of [host, victim, reaper, alloc, watcher]) await c.untilVersion(trace.length);

    // Every client got exactly one broadcast per step, identical everywhere.
    const seen = (c: Client) => c.games.map((g) => JSON.stringify(g));
    expect(watcher.games.map((g) => g.version)).toEqual(trace.map((_, i) => i + 1));
    for (const c of [host, victim, reaper, alloc]) expect(seen(c)).toEqual(seen(watcher));

    const last = watcher.game;
    expect(last.state.outcome?.id).toBe('oops');
    expect(last.actions.map((s) => ({ actor: s.actor, step: s.step }))).toEqual(trace);
    expect(last.actions[0]!.by).toMatchObject({ kind: 'human', name: 'Alma' });
    expect(last.referee.nearest).toBeNull();
    expect(last.result).toMatchObject({ outcome: 'oops', verdict: 'win', text: 'You found the oops.' });

    // The trace: stored, announced once, served over REST. The announcement follows the
    // last step's commit, ack and broadcast (deferred), so it may come after the clients saw it.
    await firstAnnounced;
    expect(finished).toHaveLength(1);
    const t = finished[0]!;
    expect(t).toMatchObject({ room: code, lesson: 'fixture-oops', run: 1, outcome: 'oops', verdict: 'win' });
    expect(t.id).toBe(last.result!.traceId);
    // The shortest oops needs no reaper step.
    expect(t.players).toEqual({ victim: ['Vera'], reaper: [], allocator: ['Alma'] });
    const res = await fetch(`${ctx.srv.url}/api/traces/${t.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: RunTrace }).data).toEqual(t);

    // Stepping after the end is refused.
    const after = await alloc.call('game:act', { actor: 'allocator', step: 'x', version });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.error.code).toBe('run_over');

    // Progress: the three actor players won the lesson; spectators did not.
    const p = ok(await watcher.call('progress:get', { name: 'vera' }));
    expect(p).toEqual({ name: 'Vera', won: ['fixture-oops'] });
    expect(ok(await watcher.call('progress:get', { name: 'Sam' })).won).toEqual([]);
    const rest = await fetch(`${ctx.srv.url}/api/progress/Alma`);
    expect(await rest.json()).toEqual({ ok: true, data: { name: 'Alma', won: ['fixture-oops'] } });
  });

  it('serves lessons, health and security headers', async () => {
    const res = await fetch(`${ctx.srv.url}/api/lessons`);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((l) => l.id)).toEqual(['fixture-oops', 'fixture-scheduler']);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await (await fetch(`${ctx.srv.url}/api/health`)).json()).toEqual({ ok: true, data: { protocol: PROTOCOL_VERSION } });
    expect((await fetch(`${ctx.srv.url}/api/lessons/nope`)).status).toBe(404);
  });
});
