// Retention on an injected clock: what nobody used for the configured time is removed with
// what belongs to it, and nothing else — not what was used lately, not what is open, not a
// class's room while its class lives. A teacher deletes a class with its data at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../../engine/index.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import type { Clock, Timer } from '../../server/clock.js';
import { silentLog } from '../../server/log.js';
import { Retention } from '../../server/retention.js';
import type { RoomRecord } from '../../server/store/port.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { ok, useServerPerTest } from './helpers.js';

const DAY = 24 * 3600_000;

/** Lets the sweeps that timers started finish (they await the store). */
const settled = () => new Promise((r) => setImmediate(r));

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  let timers: { at: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    setTimeout(fn, ms): Timer {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { cancel: () => { t.live = false; } };
    },
    defer(fn) {
      setImmediate(fn);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.live = false;
        timers = timers.filter((t) => t.live);
        due.fn();
      }
      now = until;
    },
  };
}

const scenario = makeScenario('rfc-v1', 'pgtable-heavy') as Scenario;
const room = (code: string, createdAt: number, classCode: string | null = null): RoomRecord => ({
  code, lesson: null, scenario, mode: 'race', bots: { victim: null, reaper: null, allocator: null }, seed: 1, runSeed: 1,
  version: 0, run: 1, runStartedAt: createdAt, result: null, classCode, hostId: null, createdAt,
});
const klass = (code: string, createdAt: number) => ({ code, lesson: 'l', grouping: 'auto' as const, mode: 'race' as const, teacherHash: 'h', teacherName: 'T', closed: false, paused: false, studentsControl: false, createdAt });
const nb = (id: string, createdAt: number) => ({ id, kind: 'free' as const, ref: null, ownerHash: null, policy: { spectators: 'read' as const, visitors: 'player' as const, locked: false }, createdAt });

describe('retention', () => {
  it('removes what went unused for the configured time, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reaplab-retention-'));
    const store = new SqliteStore(join(dir, 'r.sqlite'));
    try {
      const t0 = Date.UTC(2026, 0, 1);
      const clock = manualClock(t0);
      const open = new Set(['ROOMOP', 'nb-open']);
      const retention = new Retention({ store, clock, log: silentLog, unusedForMs: 30 * DAY, everyMs: DAY, inUse: { room: (c) => open.has(c), notebook: (id) => open.has(id) } });
      store.createRoom(room('ROOMOL', t0), null); // old, never used again
      store.createRoom(room('ROOMUS', t0), null); // old but used on day 20
      store.createRoom(room('ROOMOP', t0), null); // old but open in memory
      store.createClass(klass('CLSOLD', t0)); // old class with an old room
      store.createRoom(room('ROOMC1', t0, 'CLSOLD'), null);
      store.createClass(klass('CLSNEW', t0)); // class used lately, its room not
      store.createRoom(room('ROOMC2', t0, 'CLSNEW'), null);
      store.notebooks.create(nb('nb-old', t0), new Uint8Array([1]));
      store.notebooks.create(nb('nb-used', t0), new Uint8Array([2]));
      store.notebooks.create(nb('nb-open', t0), new Uint8Array([3]));
      retention.start();

      clock.advance(20 * DAY);
      retention.touch('room', 'ROOMUS');
      retention.touch('class', 'CLSNEW');
      retention.touch('notebook', 'nb-used');
      await settled();
      // Nothing is 30 days unused yet: the daily sweeps so far removed nothing.
      expect(store.loadRoom('ROOMOL')).not.toBeNull();

      // Day 31: the daily sweep has run on its own.
      clock.advance(11 * DAY);
      await settled();
      expect(store.loadRoom('ROOMOL')).toBeNull();
      expect(store.getClass('CLSOLD')).toBeNull();
      expect(store.loadRoom('ROOMC1')).toBeNull();
      expect(store.notebooks.get('nb-old')).toBeNull();
      expect(store.notebooks.updates('nb-old')).toEqual([]);
      for (const code of ['ROOMUS', 'ROOMOP', 'ROOMC2']) expect(store.loadRoom(code), code).not.toBeNull();
      expect(store.getClass('CLSNEW')).not.toBeNull();
      for (const id of ['nb-used', 'nb-open']) expect(store.notebooks.get(id), id).not.toBeNull();
      expect(await retention.sweep()).toEqual({ rooms: [], classes: [], notebooks: [] });

      // Day 51: what was used on day 20 is 31 days unused now; the open ones stay while open.
      clock.advance(20 * DAY);
      await settled();
      expect(store.loadRoom('ROOMUS')).toBeNull();
      expect(store.getClass('CLSNEW')).toBeNull();
      expect(store.loadRoom('ROOMC2')).toBeNull();
      expect(store.notebooks.get('nb-used')).toBeNull();
      expect(store.loadRoom('ROOMOP')).not.toBeNull();
      expect(store.notebooks.get('nb-open')).not.toBeNull();
      open.clear();
      expect(await retention.sweep()).toEqual({ rooms: ['ROOMOP'], classes: [], notebooks: ['nb-open'] });
      retention.stop();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const ctx = useServerPerTest();

describe('deleting a class', () => {
  it('the teacher deletes a class with its rooms, runs and notebook; students are told; nobody else may', async () => {
    const teacher = await ctx.open();
    const k = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping: 'auto' }));
    ok(await teacher.call('class:watch', { code: k.code, teacherToken: k.teacherToken }));
    const ana = await ctx.open();
    const joined = ok(await ana.call('class:join', { protocol: PROTOCOL_VERSION, code: k.code, name: 'Ana' })).joined!;
    const roomCode = joined.room.code;
    expect(await ana.call('class:delete', { code: k.code, teacherToken: joined.token })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
    expect(ok(await teacher.call('class:delete', { code: k.code, teacherToken: k.teacherToken }))).toEqual({ rooms: 1 });
    await ana.until(() => ana.left.some((l) => l.code === roomCode && l.reason === 'closed'), 'Ana is told the room closed');
    expect(ctx.srv.store.getClass(k.code)).toBeNull();
    expect(ctx.srv.store.loadRoom(roomCode)).toBeNull();
    expect((await fetch(`${ctx.srv.url}/api/classes/${k.code}`)).status).toBe(404);
    expect(await teacher.call('class:watch', { code: k.code, teacherToken: k.teacherToken })).toMatchObject({ ok: false, error: { code: 'unknown_class' } });
    expect(await ana.call('room:join', { protocol: PROTOCOL_VERSION, code: roomCode, name: 'Ana', token: joined.token })).toMatchObject({ ok: false });
  });
});
