// The SQLite implementation of the storage port (./port.ts): one embedded file
// (better-sqlite3, WAL) that this class opens, migrates (./migrations.ts) and closes; no
// other code sees the connection.
//
// Durability: writes are synchronous and each port method is at most one transaction, so
// what a method stored has returned from SQLite before the server acknowledges it
// (appendActions holds the steps of several rooms: the group commit of server/step-commit.ts).
// WAL with synchronous=NORMAL survives a process crash (SIGKILL); `durable: true`
// (synchronous=FULL) also survives a power cut, at one fsync per commit. The file is owned
// by one process: SQLite here is not a shared database for a cluster.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import type { Grouping, Mode, RunTrace, TraceStep } from '../../protocol/events.js';
import { actionFromRow, PATCH_COLUMNS, patchValue, playerFromRow, roomFromRow, type ActionRow, type PlayerRow, type RoomRow } from './room-rows.js';
import { migrate } from './migrations.js';
import type { ClassRecord, LoadedRoom, NotebookStore, PlayerRecord, RetentionStore, RoomPatch, RoomRecord, RunFinish, StepBatchStore, StepWrite, Store, TeacherLessonStore } from './port.js';
import { SqliteNotebookStore } from './sqlite-notebooks.js';
import { SqliteRetentionStore } from './sqlite-retention.js';
import { SqliteTeacherLessonStore } from './sqlite-teacher-lessons.js';

export interface SqliteStoreOptions {
  /** synchronous=FULL: survive power loss too (slower). Default false (NORMAL: survives process crashes). */
  durable?: boolean;
  /**
   * Checkpoint the WAL from a worker thread every this many ms instead of inside the commit
   * that crosses 1000 pages (a checkpoint writes and fsyncs the database: milliseconds on
   * the path of one unlucky step). The commit path keeps a far-off autocheckpoint as a
   * safety net. File databases only; off by default.
   */
  backgroundCheckpointMs?: number;
}

/** The checkpoint worker: its own connection, PASSIVE checkpoints (never blocking the writer). */
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class SqliteStore implements Store, StepBatchStore {
  readonly notebooks: NotebookStore;
  readonly retention: RetentionStore;
  readonly teacherLessons: TeacherLessonStore;
  private readonly db: Database.Database;
  private checkpointer: Worker | null = null;
  private readonly patchCache = new Map<string, Database.Statement>();
  private readonly st;

  /** `path` is a file (its folder is created) or ':memory:'. */
  constructor(path: string, opts: SqliteStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.durable ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.notebooks = new SqliteNotebookStore(this.db);
    this.retention = new SqliteRetentionStore(this.db);
    this.teacherLessons = new SqliteTeacherLessonStore(this.db);
    if (opts.backgroundCheckpointMs && path !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 20000');
      this.checkpointer = new Worker(CHECKPOINT_WORKER, {
        eval: true,
        workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path, everyMs: opts.backgroundCheckpointMs },
      });
      this.checkpointer.unref();
      this.checkpointer.on('error', () => {
        // Checkpoints fall back to the commit path.
        this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    const db = this.db;
    this.st = {
      codeTaken: db.prepare('SELECT 1 FROM rooms WHERE code = ? UNION ALL SELECT 1 FROM classes WHERE code = ? LIMIT 1').pluck(),
      insertRoom: db.prepare(`INSERT INTO rooms (code, lesson, scenario, mode, bots, seed, run_seed, version, run, run_started_at, result, class_code, created_at, host_id)
        VALUES (@code, @lesson, @scenario, @mode, @bots, @seed, @run_seed, @version, @run, @run_started_at, @result, @class_code, @created_at, @host_id)`),
      room: db.prepare('SELECT * FROM rooms WHERE code = ?'),
      players: db.prepare('SELECT id, token_hash, name, role, joined_at FROM players WHERE room = ? ORDER BY joined_at, id'),
      actions: db.prepare('SELECT actor, step, by FROM actions WHERE room = ? ORDER BY idx'),
      insertAction: db.prepare('INSERT INTO actions (room, idx, actor, step, by) VALUES (?, ?, ?, ?, ?)'),
      truncate: db.prepare('DELETE FROM actions WHERE room = ? AND idx >= ?'),
      upsertPlayer: db.prepare(`INSERT INTO players (room, id, token_hash, name, role, joined_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (room, id) DO UPDATE SET token_hash = excluded.token_hash, name = excluded.name, role = excluded.role`),
      removePlayer: db.prepare('DELETE FROM players WHERE room = ? AND id = ?'),
      insertTrace: db.prepare('INSERT INTO traces (id, room, class_code, finished_at, json) VALUES (?, ?, ?, ?, ?)'),
      trace: db.prepare('SELECT json FROM traces WHERE id = ?').pluck(),
      roomTraces: db.prepare('SELECT json FROM traces WHERE room = ? ORDER BY finished_at DESC, rowid DESC LIMIT ?').pluck(),
      classTraces: db.prepare('SELECT json FROM traces WHERE class_code = ? ORDER BY finished_at').pluck(),
      win: db.prepare('INSERT INTO progress (name_key, lesson, name, won_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      progress: db.prepare('SELECT lesson, name FROM progress WHERE name_key = ? ORDER BY won_at, lesson'),
      insertClass: db.prepare(`INSERT INTO classes (code, lesson, grouping, mode, teacher_hash, teacher_name, closed, paused, students_control, created_at)
        VALUES (@code, @lesson, @grouping, @mode, @teacher_hash, @teacher_name, @closed, @paused, @students_control, @created_at)`),
      klass: db.prepare('SELECT * FROM classes WHERE code = ?'),
      closeClass: db.prepare('UPDATE classes SET closed = 1 WHERE code = ?'),
      classControls: db.prepare('UPDATE classes SET paused = ?, students_control = ? WHERE code = ?'),
      teacherHash: db.prepare('UPDATE classes SET teacher_hash = ? WHERE code = ?'),
      classRooms: db.prepare('SELECT code FROM rooms WHERE class_code = ? ORDER BY created_at, code').pluck(),
    };
  }

  codeTaken(code: string): boolean {
    return this.st.codeTaken.get(code, code) !== undefined;
  }

  createRoom(room: RoomRecord, host: PlayerRecord | null): void {
    this.db.transaction(() => {
      this.st.insertRoom.run({
        code: room.code,
        lesson: room.lesson,
        scenario: JSON.stringify(room.scenario),
        mode: room.mode,
        bots: JSON.stringify(room.bots),
        seed: room.seed,
        run_seed: room.runSeed,
        version: room.version,
        run: room.run,
        run_started_at: room.runStartedAt,
        result: room.result ? JSON.stringify(room.result) : null,
        class_code: room.classCode,
        created_at: room.createdAt,
        host_id: room.hostId,
      });
      if (host) this.insertPlayer(room.code, host);
    })();
  }

  loadRoom(code: string): LoadedRoom | null {
    const r = this.st.room.get(code) as RoomRow | undefined;
    if (!r) return null;
    const rows = this.st.players.all(code) as PlayerRow[];
    const players = rows.map(playerFromRow);
    const room = roomFromRow(r);
    const actions = (this.st.actions.all(code) as ActionRow[]).map(
      actionFromRow,
    );
    return { room, players, actions };
  }

  private patchStatement(keys: (keyof RoomPatch)[]): Database.Statement {
    const sig = keys.join(',');
    let s = this.patchCache.get(sig);
    if (!s) {
      s = this.db.prepare(`UPDATE rooms SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = ?`).join(', ')} WHERE code = ?`);
      this.patchCache.set(sig, s);
    }
    return s;
  }

  private applyPatch(code: string, patch: RoomPatch): void {
    const keys = (Object.keys(patch) as (keyof RoomPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    this.patchStatement(keys).run(...keys.map((k) => patchValue(k, patch[k])), code);
  }

  updateRoom(code: string, patch: RoomPatch): void {
    this.applyPatch(code, patch);
  }

  appendAction(code: string, index: number, step: TraceStep, patch: RoomPatch, finish: RunFinish | null): void {
    this.db.transaction(() => this.writeStep({ code, index, step, patch, finish }))();
  }

  appendActions(steps: readonly StepWrite[]): void {
    this.db.transaction(() => {
      for (const w of steps) this.writeStep(w);
    })();
  }

  /** One step's rows, inside the caller's transaction. */
  private writeStep({ code, index, step, patch, finish }: StepWrite): void {
    this.st.insertAction.run(code, index, step.actor, step.step, JSON.stringify(step.by));
    this.applyPatch(code, patch);
    if (finish) {
      const t = finish.trace;
      this.st.insertTrace.run(t.id, t.room, t.classCode, Date.parse(t.finishedAt), JSON.stringify(t));
      for (const w of finish.winners) if (t.lesson) this.st.win.run(w.key, t.lesson, w.name, Date.parse(t.finishedAt));
    }
  }

  truncateActions(code: string, keep: number, patch: RoomPatch): void {
    this.db.transaction(() => {
      this.st.truncate.run(code, keep);
      this.applyPatch(code, patch);
    })();
  }

  private insertPlayer(code: string, p: PlayerRecord): void {
    this.st.upsertPlayer.run(code, p.id, p.tokenHash, p.name, p.role, p.joinedAt);
  }

  upsertPlayer(code: string, player: PlayerRecord): void {
    this.insertPlayer(code, player);
  }

  upsertPlayers(code: string, players: PlayerRecord[]): void {
    this.db.transaction(() => {
      for (const p of players) this.insertPlayer(code, p);
    })();
  }

  removePlayer(code: string, id: string): void {
    this.st.removePlayer.run(code, id);
  }

  getTrace(id: string): RunTrace | null {
    const j = this.st.trace.get(id) as string | undefined;
    return j ? (JSON.parse(j) as RunTrace) : null;
  }

  listTraces(room: string, limit: number): RunTrace[] {
    return (this.st.roomTraces.all(room, limit) as string[]).map((j) => JSON.parse(j) as RunTrace);
  }

  listClassTraces(classCode: string): RunTrace[] {
    return (this.st.classTraces.all(classCode) as string[]).map((j) => JSON.parse(j) as RunTrace);
  }

  getProgress(key: string): { name: string; won: string[] } | null {
    const rows = this.st.progress.all(key) as { lesson: string; name: string }[];
    if (rows.length === 0) return null;
    return { name: rows[rows.length - 1]!.name, won: rows.map((r) => r.lesson) };
  }

  createClass(c: ClassRecord): void {
    this.st.insertClass.run({
      code: c.code,
      lesson: c.lesson,
      grouping: c.grouping,
      mode: c.mode,
      teacher_hash: c.teacherHash,
      teacher_name: c.teacherName,
      closed: c.closed ? 1 : 0,
      paused: c.paused ? 1 : 0,
      students_control: c.studentsControl ? 1 : 0,
      created_at: c.createdAt,
    });
  }

  getClass(code: string): ClassRecord | null {
    const r = this.st.klass.get(code) as
      | { code: string; lesson: string; grouping: string; mode: string; teacher_hash: string; teacher_name: string; closed: number; paused: number; students_control: number; created_at: number }
      | undefined;
    if (!r) return null;
    return {
      code: r.code,
      lesson: r.lesson,
      grouping: r.grouping as Grouping,
      mode: r.mode as Mode,
      teacherHash: r.teacher_hash,
      teacherName: r.teacher_name,
      closed: r.closed !== 0,
      paused: r.paused !== 0,
      studentsControl: r.students_control !== 0,
      createdAt: r.created_at,
    };
  }

  closeClass(code: string): void {
    this.st.closeClass.run(code);
  }

  setClassControls(code: string, controls: { paused: boolean; studentsControl: boolean }): void {
    this.st.classControls.run(controls.paused ? 1 : 0, controls.studentsControl ? 1 : 0, code);
  }

  setTeacherHash(code: string, hash: string): void {
    this.st.teacherHash.run(hash, code);
  }

  listClassRooms(classCode: string): string[] {
    return this.st.classRooms.all(classCode) as string[];
  }

  close(): void {
    if (this.checkpointer) {
      this.checkpointer.postMessage('stop');
      this.checkpointer = null;
    }
    if (this.db.open) this.db.close();
  }
}
