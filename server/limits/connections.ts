// The socket.io handshake's door: a browser's Origin must be the site's own (the page's
// host, or REAPLAB_ORIGINS when set), and an address keeps at most so many connections
// open. A refused handshake is answered 403 with the reason and opens nothing.

import type { IncomingMessage } from 'node:http';
import type { AddressOf } from './address.js';

export interface ConnectionGuardOptions {
  addressOf: AddressOf;
  perAddress: number;
  /** Allowed origins; null: the Origin's host must be the request's Host. */
  origins: string[] | null;
}

/** The part of engine.io's server the guard listens to. */
interface EngineLike {
  on(event: 'connection', fn: (socket: { request: IncomingMessage; once(e: 'close', fn: () => void): unknown }) => void): unknown;
}

export class ConnectionGuard {
  private readonly open = new Map<string, number>();
  readonly stats = { refusedOrigin: 0, refusedAddress: 0 };

  constructor(private readonly o: ConnectionGuardOptions) {}

  /** engine.io's allowRequest: called for each new handshake. */
  readonly allowRequest = (req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin, req.headers.host)) {
      this.stats.refusedOrigin++;
      cb(`origin ${origin.slice(0, 100)} may not open a connection to this server`, false);
      return;
    }
    const addr = this.o.addressOf(req);
    if ((this.open.get(addr) ?? 0) >= this.o.perAddress) {
      this.stats.refusedAddress++;
      cb(`your address has ${this.o.perAddress} connections open already; close some and retry`, false);
      return;
    }
    cb(null, true);
  };

  /** Counts each connection of `engine` under its address until it closes. */
  track(engine: EngineLike): void {
    engine.on('connection', (socket) => {
      const addr = this.o.addressOf(socket.request);
      this.open.set(addr, (this.open.get(addr) ?? 0) + 1);
      socket.once('close', () => {
        const n = (this.open.get(addr) ?? 1) - 1;
        if (n <= 0) this.open.delete(addr);
        else this.open.set(addr, n);
      });
    });
  }

  connectionsOf(addr: string): number {
    return this.open.get(addr) ?? 0;
  }

  originAllowed(origin: string, host: string | undefined): boolean {
    if (this.o.origins) return this.o.origins.includes(origin);
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
}
