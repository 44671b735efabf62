import { describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, randomSchema, TEST_DATABASE_URL } from '../../test/cluster/services.js';
import { describeStoreContract, type StoreFactory } from './contract.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { PostgresStore } from './postgres.js';

function schemaFactory(): StoreFactory {
  const schema = randomSchema('store');
  return { open: () => PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 2 }), dispose: () => dropSchema(schema) };
}

describeStoreContract('PostgreSQL', schemaFactory);

describe('PostgreSQL schema migrations', () => {
  it('a new schema is created at the latest version, one row per migration; opening it again applies nothing', async () => {
    const schema = randomSchema('mig');
    try {
      await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema })).close();
      const versions = async () => (await adminQuery(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`)).rows;
      expect(await versions()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      const tables = async () => (await adminQuery('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])).rows;
      const before = await tables();
      expect(before.map((r: { table_name: string }) => r.table_name)).toEqual(expect.arrayContaining(['rooms', 'actions', 'notebook_updates', 'room_owner']));
      await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema })).close();
      expect(await versions()).toHaveLength(SCHEMA_VERSION);
      expect(await tables()).toEqual(before);
    } finally {
      await dropSchema(schema);
    }
  });

  it('nodes opening one new schema together upgrade it once', async () => {
    const schema = randomSchema('mig');
    try {
      const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, max: 1 })));
      await Promise.all(stores.map((s) => s.close()));
      expect((await adminQuery(`SELECT COUNT(*)::int AS n FROM ${schema}.schema_migrations`)).rows[0]).toEqual({ n: SCHEMA_VERSION });
    } finally {
      await dropSchema(schema);
    }
  });

  it('refuses a schema from a newer server, and leaves it as it was', async () => {
    const schema = randomSchema('mig');
    try {
      await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema })).close();
      await adminQuery(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, 'from the future')`, [SCHEMA_VERSION + 1]);
      await expect(PostgresStore.open({ url: TEST_DATABASE_URL, schema })).rejects.toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this server knows (${SCHEMA_VERSION})`);
      expect((await adminQuery(`SELECT MAX(version) AS v FROM ${schema}.schema_migrations`)).rows[0]).toEqual({ v: SCHEMA_VERSION + 1 });
    } finally {
      await dropSchema(schema);
    }
  });

  it('fails, not skips, when the database cannot be reached', async () => {
    await expect(PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:1/test', schema: randomSchema('x') })).rejects.toThrow();
  });
});
