import { describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../engine/index.js';
import type { RunTrace } from '../protocol/events.js';
import { SqliteStore, type RoomRecord } from './store.js';

const scenario = makeScenario('v4.19', 'mlocked') as Scenario;
const room = (code: string): RoomRecord => ({
  code, lesson: null, scenario, mode: 'race', bots: { victim: 'lazy', reaper: null, allocator: 'random' }, seed: 7, runSeed: 8,
  version: 0, run: 1, runStartedAt: 100, result: null, classCode: null, hostId: null, createdAt: 100,
});

describe('SqliteStore', () => {
  it('round-trips rooms, players and the action list; truncates; finishes runs with traces and progress in one go', () => {
    const s = new SqliteStore(':memory:');
    s.createRoom({ ...room('AAAAAA'), hostId: 'p1' }, { id: 'p1', tokenHash: 'h', name: 'Ada', role: 'allocator', joinedAt: 1 });
    expect(s.codeTaken('AAAAAA')).toBe(true);
    expect(s.codeTaken('BBBBBB')).toBe(false);
    const by = { kind: 'human' as const, playerId: 'p1', name: 'Ada' };
    s.appendAction('AAAAAA', 0, { actor: 'allocator', step: 'A1', by }, { version: 1 }, null);
    s.appendAction('AAAAAA', 1, { actor: 'allocator', step: 'A2', by }, { version: 2, mode: 'scheduler' }, null);
    let l = s.loadRoom('AAAAAA')!;
    expect(l.room).toMatchObject({ version: 2, mode: 'scheduler', bots: { victim: 'lazy', reaper: null, allocator: 'random' }, scenario, hostId: 'p1' });
    expect(l.actions.map((a) => a.step)).toEqual(['A1', 'A2']);
    expect(l.players).toEqual([{ id: 'p1', tokenHash: 'h', name: 'Ada', role: 'allocator', joinedAt: 1 }]);
    s.truncateActions('AAAAAA', 1, { version: 3 });
    l = s.loadRoom('AAAAAA')!;
    expect(l.actions.map((a) => a.step)).toEqual(['A1']);
    expect(l.room.version).toBe(3);

    const trace: RunTrace = {
      id: 'trace0001', room: 'AAAAAA', classCode: null, lesson: 'lesson-a', run: 1, scenario, actions: l.actions, outcome: 'success',
      needlessKill: false, verdict: 'win', players: { allocator: ['Ada'] }, seed: 8, startedAt: new Date(100).toISOString(), finishedAt: new Date(200).toISOString(),
    };
    const result = { outcome: 'success' as const, needlessKill: false, verdict: 'win' as const, text: 'won', traceId: 'trace0001' };
    s.appendAction('AAAAAA', 1, { actor: 'allocator', step: 'A3', by }, { version: 4, result }, { trace, result, winners: [{ key: 'ada', name: 'Ada' }] });
    expect(s.getTrace('trace0001')).toEqual(trace);
    expect(s.listTraces('AAAAAA', 5)).toEqual([trace]);
    expect(s.getProgress('ada')).toEqual({ name: 'Ada', won: ['lesson-a'] });
    expect(s.loadRoom('AAAAAA')!.room.result).toEqual(result);
  });

  it('opens a file written before hosts were a capability: the "host" row names the host, who spectates', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(join(tmpdir(), 'reaplab-store-'));
    try {
      const path = join(dir, 'old.sqlite');
      const s = new SqliteStore(path);
      s.createRoom(room('AAAAAA'), { id: 'p1', tokenHash: 'h', name: 'Ada', role: 'spectator', joinedAt: 1 });
      s.upsertPlayer('AAAAAA', { id: 'p2', tokenHash: 'h2', name: 'Ben', role: 'victim', joinedAt: 2 });
      s.close();
      const db = new Database(path);
      db.exec("ALTER TABLE rooms DROP COLUMN host_id; UPDATE players SET role = 'host' WHERE id = 'p1'");
      db.close();
      const again = new SqliteStore(path);
      const l = again.loadRoom('AAAAAA')!;
      expect(l.room.hostId).toBe('p1');
      expect(l.players.map((p) => p.role)).toEqual(['spectator', 'victim']);
      // Migrated on that first read: rewriting the old host's row keeps the host.
      again.upsertPlayer('AAAAAA', { ...l.players[0]!, name: 'Ada L.' });
      expect(again.loadRoom('AAAAAA')!.room.hostId).toBe('p1');
      again.updateRoom('AAAAAA', { hostId: 'p2' });
      expect(again.loadRoom('AAAAAA')!.room.hostId).toBe('p2');
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed transaction leaves nothing behind', () => {
    const s = new SqliteStore(':memory:');
    s.createRoom(room('AAAAAA'), null);
    const by = { kind: 'bot' as const, bot: 'lazy' as const };
    s.appendAction('AAAAAA', 0, { actor: 'victim', step: 'x', by }, { version: 1 }, null);
    // Index 0 again: the primary key refuses it, and the version patch is rolled back too.
    expect(() => s.appendAction('AAAAAA', 0, { actor: 'victim', step: 'y', by }, { version: 2 }, null)).toThrow();
    const l = s.loadRoom('AAAAAA')!;
    expect(l.room.version).toBe(1);
    expect(l.actions.map((a) => a.step)).toEqual(['x']);
  });
});

describe('SqliteStore with a background checkpointer', () => {
  it('keeps every commit and checkpoints off the commit path', async () => {
    const { mkdtempSync, rmSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'reaplab-store-'));
    try {
      const path = join(dir, 'db.sqlite');
      const s = new SqliteStore(path, { backgroundCheckpointMs: 5 });
      s.createRoom(room('AAAAAA'), null);
      const by = { kind: 'bot' as const, bot: 'lazy' as const };
      for (let i = 0; i < 3000; i++) s.appendAction('AAAAAA', i, { actor: 'victim', step: `s${i}`, by }, { version: i + 1 }, null);
      // The worker copies the WAL into the database file on its own timer; on a busy machine
      // the worker thread may take seconds to start, so wait up to 30 s for it.
      const before = statSync(path).size;
      for (let t = 0; t < 3000 && statSync(path).size === before; t++) await new Promise((r) => setTimeout(r, 10));
      expect(statSync(path).size).toBeGreaterThan(before);
      s.close();
      const again = new SqliteStore(path);
      const l = again.loadRoom('AAAAAA')!;
      expect(l.room.version).toBe(3000);
      expect(l.actions).toHaveLength(3000);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
