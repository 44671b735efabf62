// The PostgreSQL implementation of the storage port in its asynchronous form (AsyncStore in
// ./port.ts), for cluster mode: many nodes share one database. It opens its own pool
// (./postgres-pool.ts), migrates the schema with the same versioned list as SQLite
// (./migrations.ts) and hands out no connection.
//
// Durability: a method resolves after PostgreSQL committed its transaction (and with the
// server's default synchronous_commit, flushed its WAL), so what the server acknowledges
// survives a crash of the node and of the database server.
//
// Fencing: given a Fence (./fence.ts), every write of a room runs in a transaction that
// first takes a share lock on the room's room_owner row and compares its token with the
// one this node holds; a mismatch refuses the write whole (StaleOwnerError). A takeover
// raises the token under an exclusive lock of the same row, so a write and a takeover are
// ordered: a write either commits before the new owner replays the log, or is refused.

import type pg from 'pg';
import type { Grouping, Mode, RunTrace, TraceStep } from '../../protocol/events.js';
import { StaleOwnerError, type Fence } from './fence.js';
import type { AsyncNotebookStore, AsyncRetentionStore, AsyncStore, AsyncTeacherLessonStore, ClassRecord, LoadedRoom, PlayerRecord, RoomPatch, RoomRecord, RunFinish } from './port.js';
import { actionFromRow, PATCH_COLUMNS, patchValue, playerFromRow, roomFromRow, type ActionRow, type PlayerRow, type RoomRow } from './room-rows.js';
import { migratePostgres } from './postgres-migrate.js';
import { PostgresNotebookStore } from './postgres-notebooks.js';
import { PostgresRetentionStore } from './postgres-retention.js';
import { PostgresTeacherLessonStore } from './postgres-teacher-lessons.js';
import { createPool, inTransaction, schemaOf, type PostgresOptions } from './postgres-pool.js';

export interface PostgresStoreOptions extends PostgresOptions {
  /** Cluster mode: the tokens this node holds; every room write is checked against room_owner. */
  fence?: Fence;
}

type Db = pg.Pool | pg.PoolClient;

export class PostgresStore implements AsyncStore {
  readonly notebooks: AsyncNotebookStore;
  readonly retention: AsyncRetentionStore;
  readonly teacherLessons: AsyncTeacherLessonStore;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly fence: Fence | null,
  ) {
    this.notebooks = new PostgresNotebookStore(pool);
    this.retention = new PostgresRetentionStore(pool);
    this.teacherLessons = new PostgresTeacherLessonStore(pool);
  }

  /** Connects, brings the schema to the latest version, and returns the store. */
  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = createPool(opts);
    try {
      await migratePostgres(pool, schemaOf(opts));
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(pool, opts.fence ?? null);
  }

  /** One transaction for a write of this room, behind the fencing check when the store is fenced. */
  private roomWrite(code: string, fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    return inTransaction(this.pool, async (c) => {
      if (this.fence) {
        const held = this.fence.tokenOf(code);
        const r = await c.query<{ token: number }>('SELECT token FROM room_owner WHERE code = $1 FOR SHARE', [this.fence.homeOf(code)]);
        const current = r.rows[0]?.token ?? null;
        if (held === null || held !== current) throw new StaleOwnerError(code, held, current);
      }
      await fn(c);
    });
  }

  async codeTaken(code: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM rooms WHERE code = $1 UNION ALL SELECT 1 FROM classes WHERE code = $1 LIMIT 1', [code]);
    return r.rowCount !== 0;
  }

  createRoom(room: RoomRecord, host: PlayerRecord | null): Promise<void> {
    return this.roomWrite(room.code, async (c) => {
      await c.query(
        `INSERT INTO rooms (code, lesson, scenario, mode, bots, seed, run_seed, version, run, run_started_at, result, class_code, created_at, host_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [room.code, room.lesson, JSON.stringify(room.scenario), room.mode, JSON.stringify(room.bots), room.seed, room.runSeed, room.version, room.run,
          room.runStartedAt, room.result ? JSON.stringify(room.result) : null, room.classCode, room.createdAt, room.hostId],
      );
      if (host) await upsertPlayer(c, room.code, host);
    });
  }

  loadRoom(code: string): Promise<LoadedRoom | null> {
    // One snapshot: the players and steps belong to the room row read.
    return inTransaction(this.pool, async (c) => {
      const r = (await c.query<RoomRow>('SELECT * FROM rooms WHERE code = $1', [code])).rows[0];
      if (!r) return null;
      const playerRows = (await c.query<PlayerRow>(
        'SELECT id, token_hash, name, role, joined_at FROM players WHERE room = $1 ORDER BY joined_at, id', [code])).rows;
      const actionRows = (await c.query<ActionRow>('SELECT actor, step, by FROM actions WHERE room = $1 ORDER BY idx', [code])).rows;
      const room = roomFromRow(r);
      const players = playerRows.map(playerFromRow);
      const actions = actionRows.map(actionFromRow);
      return { room, players, actions };
    }, 'repeatable read read only');
  }

  updateRoom(code: string, patch: RoomPatch): Promise<void> {
    return this.roomWrite(code, (c) => applyPatch(c, code, patch));
  }

  appendAction(code: string, index: number, step: TraceStep, patch: RoomPatch, finish: RunFinish | null): Promise<void> {
    return this.roomWrite(code, async (c) => {
      await c.query('INSERT INTO actions (room, idx, actor, step, by) VALUES ($1, $2, $3, $4, $5)', [code, index, step.actor, step.step, JSON.stringify(step.by)]);
      await applyPatch(c, code, patch);
      if (finish) {
        const t = finish.trace;
        const at = Date.parse(t.finishedAt);
        await c.query('INSERT INTO traces (id, room, class_code, finished_at, json) VALUES ($1, $2, $3, $4, $5)', [t.id, t.room, t.classCode, at, JSON.stringify(t)]);
        if (t.lesson) {
          for (const w of finish.winners) {
            await c.query('INSERT INTO progress (name_key, lesson, name, won_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [w.key, t.lesson, w.name, at]);
          }
        }
      }
    });
  }

  truncateActions(code: string, keep: number, patch: RoomPatch): Promise<void> {
    return this.roomWrite(code, async (c) => {
      await c.query('DELETE FROM actions WHERE room = $1 AND idx >= $2', [code, keep]);
      await applyPatch(c, code, patch);
    });
  }

  upsertPlayer(code: string, player: PlayerRecord): Promise<void> {
    return this.roomWrite(code, (c) => upsertPlayer(c, code, player));
  }

  upsertPlayers(code: string, players: PlayerRecord[]): Promise<void> {
    return this.roomWrite(code, async (c) => {
      for (const p of players) await upsertPlayer(c, code, p);
    });
  }

  removePlayer(code: string, id: string): Promise<void> {
    return this.roomWrite(code, async (c) => {
      await c.query('DELETE FROM players WHERE room = $1 AND id = $2', [code, id]);
    });
  }

  async getTrace(id: string): Promise<RunTrace | null> {
    const r = await this.pool.query<{ json: string }>('SELECT json FROM traces WHERE id = $1', [id]);
    return r.rows[0] ? (JSON.parse(r.rows[0].json) as RunTrace) : null;
  }

  async listTraces(room: string, limit: number): Promise<RunTrace[]> {
    const r = await this.pool.query<{ json: string }>('SELECT json FROM traces WHERE room = $1 ORDER BY finished_at DESC, n DESC LIMIT $2', [room, limit]);
    return r.rows.map((x) => JSON.parse(x.json) as RunTrace);
  }

  async listClassTraces(classCode: string): Promise<RunTrace[]> {
    const r = await this.pool.query<{ json: string }>('SELECT json FROM traces WHERE class_code = $1 ORDER BY finished_at, n', [classCode]);
    return r.rows.map((x) => JSON.parse(x.json) as RunTrace);
  }

  async getProgress(key: string): Promise<{ name: string; won: string[] } | null> {
    const rows = (await this.pool.query<{ lesson: string; name: string }>('SELECT lesson, name FROM progress WHERE name_key = $1 ORDER BY won_at, lesson', [key])).rows;
    if (rows.length === 0) return null;
    return { name: rows[rows.length - 1]!.name, won: rows.map((r) => r.lesson) };
  }

  async createClass(c: ClassRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO classes (code, lesson, grouping, mode, teacher_hash, teacher_name, closed, paused, students_control, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [c.code, c.lesson, c.grouping, c.mode, c.teacherHash, c.teacherName, c.closed, c.paused, c.studentsControl, c.createdAt],
    );
  }

  async getClass(code: string): Promise<ClassRecord | null> {
    const r = (await this.pool.query<{ code: string; lesson: string; grouping: string; mode: string; teacher_hash: string; teacher_name: string; closed: boolean; paused: boolean; students_control: boolean; created_at: number }>(
      'SELECT * FROM classes WHERE code = $1', [code])).rows[0];
    if (!r) return null;
    return {
      code: r.code, lesson: r.lesson, grouping: r.grouping as Grouping, mode: r.mode as Mode,
      teacherHash: r.teacher_hash, teacherName: r.teacher_name, closed: r.closed,
      paused: r.paused, studentsControl: r.students_control, createdAt: r.created_at,
    };
  }

  async closeClass(code: string): Promise<void> {
    await this.pool.query('UPDATE classes SET closed = TRUE WHERE code = $1', [code]);
  }

  async setClassControls(code: string, controls: { paused: boolean; studentsControl: boolean }): Promise<void> {
    await this.pool.query('UPDATE classes SET paused = $1, students_control = $2 WHERE code = $3', [controls.paused, controls.studentsControl, code]);
  }

  async setTeacherHash(code: string, hash: string): Promise<void> {
    await this.pool.query('UPDATE classes SET teacher_hash = $1 WHERE code = $2', [hash, code]);
  }

  async listClassRooms(classCode: string): Promise<string[]> {
    const r = await this.pool.query<{ code: string }>('SELECT code FROM rooms WHERE class_code = $1 ORDER BY created_at, code', [classCode]);
    return r.rows.map((x) => x.code);
  }

  /** Resolves when the database answers (readiness); rejects when it cannot be reached. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function applyPatch(c: Db, code: string, patch: RoomPatch): Promise<void> {
  const keys = (Object.keys(patch) as (keyof RoomPatch)[]).filter((k) => patch[k] !== undefined);
  if (keys.length === 0) return;
  const sets = keys.map((k, i) => `${PATCH_COLUMNS[k]} = $${i + 1}`).join(', ');
  await c.query(`UPDATE rooms SET ${sets} WHERE code = $${keys.length + 1}`, [...keys.map((k) => patchValue(k, patch[k])), code]);
}

async function upsertPlayer(c: Db, code: string, p: PlayerRecord): Promise<void> {
  await c.query(
    `INSERT INTO players (room, id, token_hash, name, role, joined_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (room, id) DO UPDATE SET token_hash = EXCLUDED.token_hash, name = EXCLUDED.name, role = EXCLUDED.role`,
    [code, p.id, p.tokenHash, p.name, p.role, p.joinedAt],
  );
}
