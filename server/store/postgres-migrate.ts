// Applies the PostgreSQL bodies of the shared migration list (./migrations.ts). The version
// is recorded in schema_migrations; each migration runs in its own transaction with its
// row, under an advisory lock on the schema, so nodes starting together upgrade it once.

import type pg from 'pg';
import { MIGRATIONS, type Migration } from './migrations.js';

export async function postgresSchemaVersion(c: pg.Pool | pg.PoolClient): Promise<number> {
  const r = await c.query<{ v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return r.rows[0]!.v;
}

/** Brings the schema to the last migration's version; returns the migrations applied. */
export async function migratePostgres(pool: pg.Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<Migration[]> {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const c = await pool.connect();
  const lock = `reaplab-schema:${schema}`;
  try {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const at = await postgresSchemaVersion(c);
    if (at > latest) {
      throw new Error(`the database is at schema version ${at}, newer than this server knows (${latest}): run a newer server on it`);
    }
    const applied: Migration[] = [];
    for (const m of migrations) {
      if (m.version <= at) continue;
      try {
        await c.query('BEGIN');
        await c.query(m.postgres);
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw new Error(`schema migration ${m.version} (${m.name}) failed: ${String(e)}`, { cause: e });
      }
      applied.push(m);
    }
    return applied;
  } finally {
    await c.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => {});
    c.release();
  }
}
