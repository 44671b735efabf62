// Cross-node delivery for cluster mode: socket.io's Redis Streams adapter, so a broadcast
// to a room or notebook made on one node reaches the sockets connected to every node. It
// resumes the stream after a Redis reconnect without losing packets, and supports
// connection-state recovery. Every key and channel starts with the site's prefix, so
// several sites (and tests) can share one Redis.
//
// The composition root calls attachClusterDelivery(io, …) before it accepts connections;
// single-process mode never calls it and keeps socket.io's in-memory adapter.

import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';

export interface ClusterDeliveryOptions {
  /** redis://host:port */
  url: string;
  /** Prefix of every key and channel, e.g. "reaplab:" */
  prefix: string;
  /** Packets kept in the stream for nodes that fall behind or reconnect. Default 10,000. */
  maxLen?: number;
}

export interface ClusterDelivery {
  /** Stops reading and writing the stream (after io.close()). */
  close(): Promise<void>;
}

export async function attachClusterDelivery(io: Server, opts: ClusterDeliveryOptions): Promise<ClusterDelivery> {
  // ioredis: the adapter's close path with node-redis 5+ leaves rejected promises unhandled.
  const client = new Redis(opts.url, { lazyConnect: true });
  // The client reconnects by itself; the adapter resumes the stream where it stopped.
  client.on('error', () => {});
  await client.connect();
  io.adapter(createAdapter(client, {
    streamName: `${opts.prefix}stream`,
    channelPrefix: `${opts.prefix}channel`,
    sessionKeyPrefix: `${opts.prefix}session:`,
    maxLen: opts.maxLen ?? 10_000,
    blockTimeInMs: 1000,
  }));
  return {
    async close() {
      client.disconnect();
    },
  };
}
