// Cross-node delivery against the real Redis: two socket.io servers, each with its own
// client, share one key prefix; a broadcast made on one server reaches the room's sockets
// on both, and a server-side message reaches the other node.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { randomPrefix, TEST_REDIS_URL } from '../../test/cluster/services.js';
import { attachClusterDelivery, type ClusterDelivery } from './adapter.js';

interface Node {
  io: Server;
  http: HttpServer;
  delivery: ClusterDelivery;
  url: string;
}

describe('cluster delivery (socket.io Redis Streams adapter)', () => {
  const nodes: Node[] = [];
  const clients: Socket[] = [];
  let prefix = '';

  async function node(): Promise<Node> {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'] });
    const delivery = await attachClusterDelivery(io, { url: TEST_REDIS_URL, prefix });
    io.on('connection', (s) => {
      void s.join(String(s.handshake.query.room));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const n = { io, http, delivery, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
    nodes.push(n);
    return n;
  }

  async function client(n: Node, room: string): Promise<Socket> {
    const c = ioClient(n.url, { transports: ['websocket'], query: { room }, forceNew: true });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    return c;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const n of nodes.splice(0)) {
      await new Promise<void>((r) => n.io.close(() => r()));
      await n.delivery.close();
    }
    // Leave nothing behind in the shared Redis.
    const r = new Redis(TEST_REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });

  it('a broadcast to a room on one node reaches the room\'s sockets on every node, and no one else', async () => {
    prefix = randomPrefix('adapter');
    const a = await node();
    const b = await node();
    const onA = await client(a, 'ROOMAA');
    const onB = await client(b, 'ROOMAA');
    const other = await client(b, 'ROOMBB');
    const got: string[] = [];
    other.on('view', (v: { n: number }) => got.push(`other:${v.n}`));
    const seen = (c: Socket, name: string) => new Promise<void>((resolve) => c.on('view', (v: { n: number }) => {
      got.push(`${name}:${v.n}`);
      resolve();
    }));
    const both = Promise.all([seen(onA, 'a'), seen(onB, 'b')]);
    // The adapter learns of the other node by its heartbeat; wait until A counts both sockets of the room.
    for (let i = 0; i < 200 && (await a.io.in('ROOMAA').fetchSockets()).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await a.io.in('ROOMAA').fetchSockets()).length).toBe(2);
    a.io.to('ROOMAA').emit('view', { n: 1 });
    await both;
    // A last broadcast to ROOMBB from A: the other socket gets only that one.
    const last = new Promise<void>((resolve) => other.once('view', () => resolve()));
    a.io.to('ROOMBB').emit('view', { n: 2 });
    await last;
    expect(got.sort()).toEqual(['a:1', 'b:1', 'other:2']);
  });

  it('a server-side message from one node reaches the other with its acknowledgement', async () => {
    prefix = randomPrefix('adapter');
    const a = await node();
    const b = await node();
    b.io.on('intent', (payload: { room: string }, ack: (r: string) => void) => ack(`owner got ${payload.room}`));
    let replies: string[] = [];
    for (let i = 0; i < 200 && replies.length === 0; i++) {
      replies = (await a.io.serverSideEmitWithAck('intent', { room: 'ROOMAA' })) as string[];
      if (replies.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(replies).toEqual(['owner got ROOMAA']);
  });
});
