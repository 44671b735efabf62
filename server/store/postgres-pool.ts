// The PostgreSQL connection pool the cluster's parts open (the store, the room leases):
// every connection works in one schema (so tests and several sites can share a database),
// reads BIGINT columns as numbers (times in ms, seeds, tokens: all far below 2^53), and
// gives up a transaction left idle by a paused process, so a frozen node cannot hold a
// room's row locks (and block its takeover) for longer than a few seconds. Opening a
// connection and waiting for an answer are both bounded, so that a database that is gone
// (or a network that swallows packets) turns into an `unavailable` answer in seconds instead
// of a request that hangs; the pool opens fresh connections when the database is back.

import pg from 'pg';

export interface PostgresOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** The schema the tables live in (created when missing). Default: public. */
  schema?: string;
  /** Connections in the pool. Default 10. */
  max?: number;
  /** A transaction idle this long is ended by the server (ms). Default 5000. */
  idleInTransactionMs?: number;
  /** Names the connections in pg_stat_activity. */
  applicationName?: string;
  /** Opening a connection gives up after this long (ms). Default 3000. */
  connectTimeoutMs?: number;
  /** A query with no answer for this long fails on the client (ms): the database went away mid-query. Default 15000. */
  queryTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8 = 20;

export function schemaOf(opts: PostgresOptions): string {
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}: lower-case letters, digits and _ only`);
  return schema;
}

/**
 * A connection with a listener for its 'error' events from birth to end. The pool, a
 * transaction or a query in flight also listen and act on them; this one only makes sure an
 * error with nobody else listening cannot end the process. There is such a moment: pg-pool
 * hands a fresh connection to `await pool.connect()` through a promise, and when the
 * database's next message (a FATAL: shutdown, termination, a broken stream) sits in the same
 * packet as the end of the handshake, it is parsed before the awaiting code can listen.
 */
class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => {});
  }
}

export function createPool(opts: PostgresOptions): pg.Pool {
  const schema = schemaOf(opts);
  const pool = new pg.Pool({
    Client: GuardedClient as unknown as new () => pg.ClientBase,
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'reaplab',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 3000,
    query_timeout: opts.queryTimeoutMs ?? 15_000,
    keepAlive: true,
    options: `-c search_path=${schema} -c idle_in_transaction_session_timeout=${opts.idleInTransactionMs ?? 5000}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server ends (a restart, a timeout) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

type Isolation = 'read committed' | 'repeatable read read only';

/** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, isolation: Isolation = 'read committed'): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a connection lost between two statements would
  // be an uncaught 'error' that ends the process. The statement in progress rejects anyway.
  const lost = (e: Error) => { broken = e; };
  c.on('error', lost);
  try {
    await c.query(`BEGIN ISOLATION LEVEL ${isolation}`);
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (e) {
    await c.query('ROLLBACK').catch((r: Error) => {
      broken = r;
    });
    throw e;
  } finally {
    c.off('error', lost);
    c.release(broken);
  }
}
