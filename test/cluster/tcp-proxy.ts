// A TCP proxy the test controls, to take a service away from a node without touching the
// shared server: pause() stops every byte in both directions (a frozen database, a network
// that swallows packets: connections stay open and nothing answers), cut() drops every
// connection and refuses new ones (the database is down), resume() puts things back.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** host:port to connect to instead of the target. */
  port: number;
  pause(): void;
  cut(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'paused' | 'cut' = 'open';
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // A connection opened while paused is piped by resume(), once: piping it here as well
    // would send every byte twice after the resume.
    if (mode === 'open') {
      client.pipe(upstream);
      upstream.pipe(client);
    }
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    if (mode === 'paused') {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    pause() {
      mode = 'paused';
      // Unpipe as well: a piped stream resumes itself when its destination drains.
      for (const [a, b] of pairs) {
        a.unpipe(b);
        b.unpipe(a);
        a.pause();
        b.pause();
      }
    },
    cut() {
      mode = 'cut';
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    resume() {
      if (mode === 'paused') {
        for (const [a, b] of pairs) {
          a.pipe(b);
          b.pipe(a);
        }
      }
      mode = 'open';
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
