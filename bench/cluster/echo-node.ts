// The peer of bench:cluster: a bare socket.io node with nothing of reaplab in it but the
// cross-node delivery module (server/cluster/adapter.ts, the Redis Streams adapter). A
// client joins a room and sends `act`; the node that receives it broadcasts a payload of
// reaplab's per-step broadcast size (the game:step delta) to the room, which the adapter carries to the other nodes'
// sockets, and answers. No store, no rules, no ownership: what is left is the price of
// socket.io plus Redis between nodes, the floor under reaplab's cluster figures.
//
// Run by bench/cluster.ts: tsx bench/cluster/echo-node.ts  (env: ECHO_PAYLOAD, ECHO_REDIS_URL, ECHO_PREFIX)

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { attachClusterDelivery } from '../../server/cluster/adapter.js';

const env = process.env;
const payloadBytes = Number(env.ECHO_PAYLOAD ?? 400);
const blob = 'x'.repeat(Math.max(0, payloadBytes - 60));

let lastElu = performance.eventLoopUtilization();
const http = createServer((req, res) => {
  if (req.url === '/metrics') {
    const e = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(e, lastElu);
    lastElu = e;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ elu: d.utilization, rss: process.memoryUsage().rss, connections: io.engine.clientsCount }));
  } else res.end('echo');
});
const io = new Server(http, { serveClient: false, transports: ['websocket'], maxHttpBufferSize: 16 * 1024, pingInterval: 20_000, pingTimeout: 20_000 });
if (env.ECHO_REDIS_URL) await attachClusterDelivery(io, { url: env.ECHO_REDIS_URL, prefix: env.ECHO_PREFIX ?? 'echo:' });

// The last version this node broadcast per room: a second act at a version already
// broadcast here is refused, as reaplab refuses a stale step (another node may still
// accept one: the peer has no owner, which is exactly what it leaves out).
const versions = new Map<string, number>();
io.on('connection', (socket) => {
  socket.on('join', (room: string, ack: (r: unknown) => void) => {
    void socket.join(room);
    ack({ ok: true, data: { version: versions.get(room) ?? 0 } });
  });
  socket.on('act', (p: { room: string; version: number }, ack: (r: unknown) => void) => {
    if ((versions.get(p.room) ?? -1) >= p.version + 1) return ack({ ok: false, error: { code: 'stale_version' } });
    versions.set(p.room, p.version + 1);
    io.to(p.room).emit('state', { code: p.room, version: p.version + 1, blob });
    ack({ ok: true, data: { version: p.version + 1 } });
  });
});
http.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${(http.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
