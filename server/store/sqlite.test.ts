import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCells, titleOf } from '../../protocol/notebook/doc.js';
import { describeStoreContract, roomRecord, type StoreFactory } from './contract.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite.js';

function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'reaplab-store-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function fileFactory(opts: ConstructorParameters<typeof SqliteStore>[1] = {}): StoreFactory {
  const t = tempDir();
  return { open: () => new SqliteStore(join(t.dir, 'db.sqlite'), opts), dispose: t.dispose };
}

describeStoreContract('SQLite file', () => fileFactory());
describeStoreContract('SQLite file, durable (synchronous=FULL)', () => fileFactory({ durable: true }));

/** Raw access to a closed store's file, for what only a migration test may look at. */
function withRaw<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore.appendActions (the group commit of steps)', () => {
  const by = { kind: 'bot' as const, bot: 'lazy' as const };
  const w = (code: string, index: number) => ({ code, index, step: { actor: 'victim' as const, step: `V${index}`, by }, patch: { version: index + 1 }, finish: null });

  it('stores the steps of several rooms together, each with its patch', () => {
    const s = new SqliteStore(':memory:');
    s.createRoom(roomRecord('ROOMAA'), null);
    s.createRoom(roomRecord('ROOMBB'), null);
    s.appendActions([w('ROOMAA', 0), w('ROOMBB', 0)]);
    s.appendActions([w('ROOMAA', 1)]);
    expect(s.loadRoom('ROOMAA')!.actions.map((a) => a.step)).toEqual(['V0', 'V1']);
    expect(s.loadRoom('ROOMAA')!.room.version).toBe(2);
    expect(s.loadRoom('ROOMBB')!.actions.map((a) => a.step)).toEqual(['V0']);
    expect(s.loadRoom('ROOMBB')!.room.version).toBe(1);
    s.close();
  });

  it('is one transaction: one refused step leaves every room of the batch as it was', () => {
    const s = new SqliteStore(':memory:');
    s.createRoom(roomRecord('ROOMAA'), null);
    s.createRoom(roomRecord('ROOMBB'), null);
    s.appendActions([w('ROOMBB', 0)]);
    // ROOMBB's index 0 is taken: the whole batch is refused, ROOMAA's step included.
    expect(() => s.appendActions([w('ROOMAA', 0), w('ROOMBB', 0)])).toThrow(/UNIQUE|constraint/i);
    expect(s.loadRoom('ROOMAA')!.actions).toEqual([]);
    expect(s.loadRoom('ROOMAA')!.room.version).toBe(0);
    expect(s.loadRoom('ROOMBB')!.actions.map((a) => a.step)).toEqual(['V0']);
    expect(s.loadRoom('ROOMBB')!.room.version).toBe(1);
    s.close();
  });
});

describe('SQLite schema migrations', () => {
  it('are numbered 1, 2, 3… in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('a new file is created at the latest version; opening it again applies nothing', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'db.sqlite');
      new SqliteStore(path).close();
      expect(withRaw(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
      const schema = () => withRaw(path, (db) => db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all());
      const before = schema();
      new SqliteStore(path).close();
      expect(schema()).toEqual(before);
    } finally {
      t.dispose();
    }
  });

  // The fixture was written by the store as it stood before schema versions were recorded
  // (user_version 0): two rooms (one finished run each, one a class room), a closed class,
  // a room notebook of two Yjs updates and a free notebook linked to the class room.
  it('upgrades a database written before schema versions in place, keeping every row', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'old.sqlite');
      copyFileSync(new URL('./fixtures/unversioned.sqlite', import.meta.url), path);
      expect(withRaw(path, (db) => db.pragma('user_version', { simple: true }))).toBe(0);
      const s = new SqliteStore(path);
      const room = s.loadRoom('ROOMAA')!;
      expect(room.room).toMatchObject({ code: 'ROOMAA', lesson: 'lesson-a', hostId: 'p1', version: 3, mode: 'race', bots: { victim: 'lazy', reaper: null, allocator: 'random' } });
      expect(room.room.result).toMatchObject({ verdict: 'win', traceId: 'trace-room-1' });
      expect(room.players.map((p) => [p.id, p.name, p.role])).toEqual([['p1', 'Ada', 'allocator'], ['p2', 'Ben', 'spectator']]);
      expect(room.actions.map((a) => a.step)).toEqual(['A1', 'V1', 'A2']);
      expect(s.getTrace('trace-room-1')).toMatchObject({ room: 'ROOMAA', verdict: 'win', outcome: 'success' });
      expect(s.getProgress('ada')).toEqual({ name: 'Ada', won: ['lesson-a'] });
      expect(s.getClass('CLASSA')).toMatchObject({ closed: true, teacherName: 'Ms T' });
      expect(s.listClassRooms('CLASSA')).toEqual(['ROOMBB']);
      expect(s.listClassTraces('CLASSA').map((x) => x.id)).toEqual(['trace-class-1']);
      const doc = new Y.Doc();
      for (const u of s.notebooks.updates('nb-room-1')) Y.applyUpdate(doc, u.data);
      expect(titleOf(doc)?.toString()).toBe('Room notebook');
      expect(readCells(doc).map((c) => c.kind)).toEqual(['markdown']);
      expect(s.notebooks.traces('nb-room-1')).toEqual(new Set(['trace-room-1']));
      expect(s.notebooks.get('nb-free-1')).toMatchObject({ kind: 'free', ownerHash: 'hash-owner', policy: { locked: true } });
      expect(s.notebooks.linksOfRoom('ROOMBB')).toEqual([{ notebook: 'nb-free-1', createdAt: 1700 }]);
      // It goes on working: a new step lands after the old ones.
      s.appendAction('ROOMAA', 3, { actor: 'victim', step: 'V2', by: { kind: 'bot', bot: 'lazy' } }, { version: 4 }, null);
      s.close();
      expect(withRaw(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
      const again = new SqliteStore(path);
      expect(again.loadRoom('ROOMAA')!.actions.map((a) => a.step)).toEqual(['A1', 'V1', 'A2', 'V2']);
      again.close();
    } finally {
      t.dispose();
    }
  });

  it('upgrades a file written before hosts were a capability: the "host" row names the host, who spectates', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'old.sqlite');
      const s = new SqliteStore(path);
      s.createRoom(roomRecord('AAAAAA'), { id: 'p1', tokenHash: 'h', name: 'Ada', role: 'spectator', joinedAt: 1 });
      s.upsertPlayer('AAAAAA', { id: 'p2', tokenHash: 'h2', name: 'Ben', role: 'victim', joinedAt: 2 });
      s.close();
      withRaw(path, (db) => db.exec("ALTER TABLE rooms DROP COLUMN host_id; UPDATE players SET role = 'host' WHERE id = 'p1'; PRAGMA user_version = 0"));
      const again = new SqliteStore(path);
      const l = again.loadRoom('AAAAAA')!;
      expect(l.room.hostId).toBe('p1');
      expect(l.players.map((p) => p.role)).toEqual(['spectator', 'victim']);
      // Rewriting the old host's row keeps the host.
      again.upsertPlayer('AAAAAA', { ...l.players[0]!, name: 'Ada L.' });
      expect(again.loadRoom('AAAAAA')!.room.hostId).toBe('p1');
      again.updateRoom('AAAAAA', { hostId: 'p2' });
      expect(again.loadRoom('AAAAAA')!.room.hostId).toBe('p2');
      again.close();
    } finally {
      t.dispose();
    }
  });

  it('refuses a file from a newer server, and leaves it as it was', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'new.sqlite');
      new SqliteStore(path).close();
      withRaw(path, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
      expect(() => new SqliteStore(path)).toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this server knows (${SCHEMA_VERSION})`);
      expect(withRaw(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION + 1);
    } finally {
      t.dispose();
    }
  });
});

describe('SqliteStore with a background checkpointer', () => {
  it('keeps every commit and checkpoints off the commit path', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'db.sqlite');
      const s = new SqliteStore(path, { backgroundCheckpointMs: 5 });
      // The size before the writes: the worker may already copy some of them while they run.
      const before = statSync(path).size;
      s.createRoom(roomRecord('AAAAAA'), null);
      const by = { kind: 'bot' as const, bot: 'lazy' as const };
      for (let i = 0; i < 3000; i++) s.appendAction('AAAAAA', i, { actor: 'victim', step: `s${i}`, by }, { version: i + 1 }, null);
      // The worker copies the WAL into the database file on its own timer; on a busy machine
      // the worker thread may take seconds to start, so wait up to 30 s for it.
      for (let i = 0; i < 3000 && statSync(path).size === before; i++) await new Promise((r) => setTimeout(r, 10));
      expect(statSync(path).size).toBeGreaterThan(before);
      s.close();
      const again = new SqliteStore(path);
      const l = again.loadRoom('AAAAAA')!;
      expect(l.room.version).toBe(3000);
      expect(l.actions).toHaveLength(3000);
      again.close();
    } finally {
      t.dispose();
    }
  });
});
