// The retention part of the PostgreSQL store (RetentionStore in ./port.ts, asynchronous):
// the same queries as ./sqlite-retention.ts, each removal in one transaction.
import type pg from 'pg';
import type { AsyncRetentionStore, RetentionKind } from './port.js';
import { inTransaction } from './postgres-pool.js';

const TABLE: Record<RetentionKind, { table: string; key: string }> = {
  room: { table: 'rooms', key: 'code' },
  class: { table: 'classes', key: 'code' },
  notebook: { table: 'notebooks', key: 'id' },
};

async function deleteRoomRows(c: pg.PoolClient, code: string): Promise<void> {
  for (const sql of ['DELETE FROM actions WHERE room = $1', 'DELETE FROM players WHERE room = $1', 'DELETE FROM traces WHERE room = $1', 'DELETE FROM notebook_links WHERE room = $1', 'DELETE FROM room_owner WHERE code = $1', 'DELETE FROM rooms WHERE code = $1']) {
    await c.query(sql, [code]);
  }
}

export class PostgresRetentionStore implements AsyncRetentionStore {
  constructor(private readonly pool: pg.Pool) {}

  async touch(kind: RetentionKind, id: string, at: number): Promise<void> {
    const { table, key } = TABLE[kind];
    await this.pool.query(`UPDATE ${table} SET used_at = GREATEST(COALESCE(used_at, created_at), $1) WHERE ${key} = $2`, [at, id]);
  }

  async usedAt(kind: RetentionKind, id: string): Promise<number | null> {
    const { table, key } = TABLE[kind];
    const r = await this.pool.query<{ at: string }>(`SELECT COALESCE(used_at, created_at) AS at FROM ${table} WHERE ${key} = $1`, [id]);
    return r.rows[0] ? Number(r.rows[0].at) : null;
  }

  async unused(kind: RetentionKind, before: number, limit: number): Promise<string[]> {
    const { table, key } = TABLE[kind];
    const r = await this.pool.query<{ id: string }>(`SELECT ${key} AS id FROM ${table} WHERE COALESCE(used_at, created_at) < $1 ORDER BY COALESCE(used_at, created_at), ${key} LIMIT $2`, [before, limit]);
    return r.rows.map((x) => x.id);
  }

  deleteRoom(code: string): Promise<void> {
    return inTransaction(this.pool, (c) => deleteRoomRows(c, code));
  }

  deleteClass(code: string): Promise<string[]> {
    return inTransaction(this.pool, async (c) => {
      const rooms = (await c.query<{ code: string }>('SELECT code FROM rooms WHERE class_code = $1', [code])).rows.map((x) => x.code);
      for (const r of rooms) await deleteRoomRows(c, r);
      await c.query('DELETE FROM traces WHERE class_code = $1', [code]);
      await c.query('DELETE FROM classes WHERE code = $1', [code]);
      return rooms;
    });
  }

  deleteNotebook(id: string): Promise<void> {
    return inTransaction(this.pool, async (c) => {
      for (const sql of ['DELETE FROM notebook_updates WHERE notebook = $1', 'DELETE FROM notebook_traces WHERE notebook = $1', 'DELETE FROM notebook_links WHERE notebook = $1', 'DELETE FROM notebooks WHERE id = $1']) {
        await c.query(sql, [id]);
      }
    });
  }
}
