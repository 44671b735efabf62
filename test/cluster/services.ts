// The real PostgreSQL and Redis the cluster tests run against (127.0.0.1 on this machine
// and in CI; override with REAPLAB_TEST_DATABASE_URL / REAPLAB_TEST_REDIS_URL). Each test
// works in a schema of its own with a random name, dropped afterwards, so runs in parallel
// never see each other's rows. A service that cannot be reached fails the test: nothing here
// skips.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.REAPLAB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REAPLAB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh, random schema name (created by the first store opened on it). */
export function randomSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A random key prefix for Redis. */
export function randomPrefix(prefix = 't'): string {
  return `reaplab-test:${prefix}:${randomBytes(6).toString('hex')}:`;
}

/** Runs one statement on its own short connection. */
export async function adminQuery(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect().catch((e: Error) => {
    throw new Error(`cannot reach the test PostgreSQL at ${TEST_DATABASE_URL} (is it running? .ci/run starts it): ${e.message}`, { cause: e });
  });
  try {
    return await c.query(sql, values);
  } finally {
    await c.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
