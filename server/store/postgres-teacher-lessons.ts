// The teacher-lessons part of the PostgreSQL store (TeacherLessonStore in ./port.ts,
// asynchronous): the same queries as ./sqlite-teacher-lessons.ts. A write takes a
// transaction-scoped advisory lock on its owner first, so saves of one owner on several
// nodes are checked against the quota one after another.
import type pg from 'pg';
import type { AsyncTeacherLessonStore, LessonQuota, TeacherLessonRecord, TeacherLessonRefusal } from './port.js';
import { inTransaction } from './postgres-pool.js';

interface Row { id: string; owner_hash: string; yaml: string; title: string; created_at: number; updated_at: number }

const COLUMNS = 'id, owner_hash, yaml, title, created_at, updated_at';
const record = (r: Row): TeacherLessonRecord => ({ id: r.id, ownerHash: r.owner_hash, yaml: r.yaml, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at });
const bytesOf = (yaml: string): number => Buffer.byteLength(yaml, 'utf8');

type Db = pg.Pool | pg.PoolClient;

async function usageOf(c: Db, ownerHash: string): Promise<{ count: number; bytes: number }> {
  const r = await c.query<{ count: number; bytes: number }>('SELECT COUNT(*)::int AS count, COALESCE(SUM(bytes), 0)::int AS bytes FROM teacher_lessons WHERE owner_hash = $1', [ownerHash]);
  return { count: r.rows[0]!.count, bytes: r.rows[0]!.bytes };
}

/** Serialises the owner's writes until the transaction ends. */
async function lockOwner(c: pg.PoolClient, ownerHash: string): Promise<void> {
  await c.query("SELECT pg_advisory_xact_lock(hashtext('teacher_lessons:' || $1))", [ownerHash]);
}

export class PostgresTeacherLessonStore implements AsyncTeacherLessonStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string): Promise<TeacherLessonRecord | null> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM teacher_lessons WHERE id = $1`, [id]);
    return r.rows[0] ? record(r.rows[0]) : null;
  }

  create(rec: TeacherLessonRecord, quota: LessonQuota): Promise<TeacherLessonRefusal | null> {
    return inTransaction(this.pool, async (c) => {
      await lockOwner(c, rec.ownerHash);
      const u = await usageOf(c, rec.ownerHash);
      const bytes = bytesOf(rec.yaml);
      if (u.count + 1 > quota.count) return 'count';
      if (u.bytes + bytes > quota.bytes) return 'bytes';
      await c.query('INSERT INTO teacher_lessons (id, owner_hash, yaml, title, bytes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [rec.id, rec.ownerHash, rec.yaml, rec.title, bytes, rec.createdAt, rec.updatedAt]);
      return null;
    });
  }

  update(id: string, ownerHash: string, yaml: string, title: string, at: number, quota: LessonQuota): Promise<TeacherLessonRefusal | null> {
    return inTransaction(this.pool, async (c) => {
      await lockOwner(c, ownerHash);
      const old = (await c.query<{ bytes: number }>('SELECT bytes FROM teacher_lessons WHERE id = $1 AND owner_hash = $2', [id, ownerHash])).rows[0];
      if (!old) return 'not_owner';
      const bytes = bytesOf(yaml);
      if ((await usageOf(c, ownerHash)).bytes - old.bytes + bytes > quota.bytes) return 'bytes';
      await c.query('UPDATE teacher_lessons SET yaml = $1, title = $2, bytes = $3, updated_at = $4 WHERE id = $5 AND owner_hash = $6', [yaml, title, bytes, at, id, ownerHash]);
      return null;
    });
  }

  async delete(id: string, ownerHash: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM teacher_lessons WHERE id = $1 AND owner_hash = $2', [id, ownerHash]);
    return (r.rowCount ?? 0) > 0;
  }

  async listByOwner(ownerHash: string): Promise<TeacherLessonRecord[]> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM teacher_lessons WHERE owner_hash = $1 ORDER BY updated_at DESC, id`, [ownerHash]);
    return r.rows.map(record);
  }

  usage(ownerHash: string): Promise<{ count: number; bytes: number }> {
    return usageOf(this.pool, ownerHash);
  }

  async classesUsing(id: string): Promise<string[]> {
    const r = await this.pool.query<{ code: string }>('SELECT code FROM classes WHERE lesson = $1 ORDER BY created_at, code', [id]);
    return r.rows.map((x) => x.code);
  }
}
