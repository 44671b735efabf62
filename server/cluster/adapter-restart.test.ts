// Cross-node delivery across a Redis restart, on a redis-server of the test's own (the shared
// one is never restarted): two socket.io nodes on one prefix; Redis is killed (nothing kept),
// a broadcast is made while it is down, and Redis is started again on the same port. Nothing is restarted on the
// nodes: ioredis reconnects, the adapter keeps reading the stream, and the broadcast made
// during the outage reaches the sockets of both nodes once Redis is back, as do later ones.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { randomPrefix } from '../../test/cluster/services.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/cluster/redis-server.js';
import { attachClusterDelivery, type ClusterDelivery } from './adapter.js';

interface Node { io: Server; http: HttpServer; delivery: ClusterDelivery; url: string }

describe('cross-node delivery through a Redis restart', () => {
  const nodes: Node[] = [];
  const clients: Socket[] = [];
  let redis: PrivateRedis | null = null;

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const n of nodes.splice(0)) {
      await new Promise<void>((r) => n.io.close(() => r()));
      await n.delivery.close();
    }
    await redis?.stop();
    redis = null;
  });

  async function node(url: string, prefix: string): Promise<Node> {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'] });
    const delivery = await attachClusterDelivery(io, { url, prefix });
    io.on('connection', (s) => void s.join('ROOMAA'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const n = { io, http, delivery, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
    nodes.push(n);
    return n;
  }

  async function client(n: Node): Promise<{ socket: Socket; got: number[] }> {
    const socket = ioClient(n.url, { transports: ['websocket'], forceNew: true });
    clients.push(socket);
    const got: number[] = [];
    socket.on('view', (v: { n: number }) => got.push(v.n));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    return { socket, got };
  }

  /** Broadcasts `n` from `from` again and again until `to` has it (a first message may precede the other node's heartbeat). */
  async function until(from: Node, to: { got: number[] }, n: number): Promise<void> {
    for (let i = 0; i < 200 && !to.got.includes(n); i++) {
      from.io.to('ROOMAA').emit('view', { n });
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('nodes reconnect by themselves; the broadcast made during the outage and later ones reach both nodes', async () => {
    redis = await startPrivateRedis();
    const prefix = randomPrefix('restart');
    const a = await node(redis.url, prefix);
    const b = await node(redis.url, prefix);
    const onA = await client(a);
    const onB = await client(b);
    await until(a, onB, 1);
    expect(onB.got).toContain(1);

    await redis.stop();
    a.io.to('ROOMAA').emit('view', { n: 2 });
    await new Promise((r) => setTimeout(r, 300));
    await redis.start();
    for (let i = 0; i < 200 && !(onA.got.includes(2) && onB.got.includes(2)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(onA.got).toContain(2);
    expect(onB.got).toContain(2);

    await until(b, onA, 3);
    expect(onA.got).toContain(3);
    expect(onB.got).toContain(3);
  });
});
