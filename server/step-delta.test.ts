// The game:step contract, as a property: for random runs of many scenarios (variants ×
// reference configs), a client that takes the first whole view and then applies every
// delta the room broadcasts (protocol/game-step.ts, after a JSON round trip, as on the
// wire) holds, at every version, exactly the GameView the server would send whole. Undo,
// jump and restart come as whole views and the deltas go on from them.

import { describe, expect, it } from 'vitest';
import { randomStream, referenceScenarios, type ConfigId } from '../engine/index.js';
import { PROTOCOL_VERSION, type GameStep, type GameView } from '../protocol/events.js';
import { applyGameStep } from '../protocol/game-step.js';
import { fixtureLesson } from '../test/server/helpers.js';
import type { Clock } from './clock.js';
import { AppEvents } from './events.js';
import { GraphCache } from './graphs.js';
import { staticCatalog } from './lessons.js';
import { silentLog } from './log.js';
import { RoomService, type Session } from './rooms.js';
import { SqliteStore } from './store/sqlite.js';

type Sent = { kind: 'game'; view: GameView } | { kind: 'step'; delta: GameStep };

function service() {
  const clock: Clock = { now: () => 1_000, setTimeout: () => ({ cancel: () => {} }), defer: (fn) => { setImmediate(fn); } };
  const sent: Sent[] = [];
  const rooms = new RoomService({
    store: new SqliteStore(':memory:'), clock, log: silentLog, lessons: staticCatalog([fixtureLesson()]), graphs: new GraphCache(), events: new AppEvents(),
    broadcaster: {
      roomState: () => {},
      gameState: (_code, view) => sent.push({ kind: 'game', view }),
      gameStep: (_code, delta) => sent.push({ kind: 'step', delta }),
      left: () => {},
      moved: () => {},
    },
    botDelayMs: 0, roleGraceMs: 10_000,
  });
  return { rooms, sent };
}


/** What a client holds after the wire: JSON in, JSON out. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('game:step deltas rebuild the whole view', () => {
  // Every variant, each with a reference config in turn (10 variants × 5 configs, spread).
  const scenarios = referenceScenarios().filter((_, i) => i % 6 === 0);

  it.each(scenarios.map((s) => [`${s.variant} × ${s.config.id}`, s] as const))('%s: at every version of random runs', async (_name, scenario) => {
    const { rooms, sent } = service();
    const c = await rooms.create({ socketId: 's1', room: null, playerId: null }, { protocol: PROTOCOL_VERSION, name: 'Ada', scenario: { variant: scenario.variant, config: scenario.config.id as ConfigId }, mode: 'scheduler' });
    if (!c.ok) throw new Error(c.error.message);
    const host: Session = { socketId: 's1', room: c.data.code, playerId: c.data.playerId };
    const rng = randomStream(scenario.variant.length * 7919 + scenario.config.id.length);
    let client: GameView = wire(c.data.game);
    let deltas = 0;
    let wholes = 0;
    const follow = async () => {
      const got = sent.splice(0);
      expect(got).toHaveLength(1);
      const m = got[0]!;
      if (m.kind === 'step') {
        const next = applyGameStep(client, wire(m.delta));
        expect(next, `delta v${m.delta.version} applies to v${client.version}`).not.toBeNull();
        client = next!;
        deltas++;
      } else {
        client = wire(m.view);
        wholes++;
      }
      expect(client).toEqual(wire(await rooms.game(c.data.code)));
    };
    for (let i = 0; i < 160; i++) {
      const g = client;
      const r = rng();
      if (g.result || (r < 0.04 && g.run < 4)) {
        expect((await rooms.restart(host, g.version)).ok).toBe(true);
      } else if (r < 0.1 && g.actions.length > 0) {
        expect((await rooms.undo(host, g.version)).ok).toBe(true);
      } else if (r < 0.13 && g.actions.length > 1) {
        expect((await rooms.jump(host, { version: g.version, to: Math.floor(rng() * g.actions.length) })).ok).toBe(true);
      } else {
        const enabled = g.choices.filter((x) => x.enabled);
        if (enabled.length === 0) {
          expect((await rooms.restart(host, g.version)).ok).toBe(true);
        } else {
          const pick = enabled[Math.floor(rng() * enabled.length)]!;
          expect(await rooms.act(host, { actor: pick.actor, step: pick.step, version: g.version })).toEqual({ ok: true, data: { version: g.version + 1 } });
        }
      }
      await follow();
    }
    expect(deltas).toBeGreaterThan(80);
    expect(wholes).toBeGreaterThan(0);
  });
});
