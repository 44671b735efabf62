// The pool's connections against a database that ends a connection in the very packet that
// finishes its handshake (a fake server speaking just enough of the protocol): the request
// fails as unavailable-style errors do, and the process does not die of an 'error' event
// nobody was listening to yet.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, inTransaction } from './postgres-pool.js';

const message = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const fields = (f: Record<string, string>) => Buffer.concat([...Object.entries(f).map(([k, v]) => Buffer.from(`${k}${v}\0`, 'latin1')), Buffer.from([0])]);

/** Answers the startup with "authenticated, ready" and, in the same write, a FATAL error. */
async function dyingServer(): Promise<{ url: string; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    s.once('data', () => {
      s.end(Buffer.concat([
        message('R', int32(0)),
        message('Z', Buffer.from('I')),
        message('E', fields({ S: 'FATAL', V: 'FATAL', C: '57P01', M: 'terminating connection due to administrator command' })),
      ]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `postgres://nobody@127.0.0.1:${(server.address() as AddressInfo).port}/none`, server, sockets };
}

describe('PostgreSQL pool: a connection that dies as it opens', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('fails the transaction that asked for it, and no error escapes to the process', async () => {
    const fake = await dyingServer();
    const pool = createPool({ url: fake.url, max: 2, connectTimeoutMs: 2000 });
    close = async () => {
      await pool.end().catch(() => {});
      for (const s of fake.sockets) s.destroy();
      await new Promise<void>((r) => fake.server.close(() => r()));
    };
    const escaped: unknown[] = [];
    const onUncaught = (e: unknown) => { escaped.push(e); };
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 3; i++) {
        await expect(inTransaction(pool, (c) => c.query('SELECT 1'))).rejects.toThrow();
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(escaped).toEqual([]);
  });
});
