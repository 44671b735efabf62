// The server's edge limits, made once by createApp from Limits (./config.ts): who a request
// is from (./address.ts), the socket handshake's door (origin and connections per address,
// ./connections.ts), creations per connection and per address (./creations.ts), and code
// lookups that miss, per address (HTTP and socket alike). The socket.io server also sends the site's security headers.

import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import type { Clock } from '../clock.js';
import { securityHeaders } from '../security-headers.js';
import { addressResolver, type AddressOf } from './address.js';
import { KeyedBuckets } from './buckets.js';
import { DEFAULT_LIMITS, type Limits } from './config.js';
import { ConnectionGuard } from './connections.js';
import { CreationLimits, type CreationKind } from './creations.js';

export { DEFAULT_LIMITS, limitsFromEnv, type Limits } from './config.js';
export type { CreationKind } from './creations.js';

export interface EdgeLimits {
  limits: Limits;
  addressOf: AddressOf;
  connections: ConnectionGuard;
  creations: CreationLimits;
  /** engine.io's allowRequest (origin, connections per address). */
  allowRequest: ConnectionGuard['allowRequest'];
  /** Counts the server's connections and adds the security headers to its responses. */
  attach(io: Server): void;
  /** A creation of `kind` by the connection whose handshake was `req`: null, or the refusal's message. */
  create(kind: CreationKind, connection: string, req: IncomingMessage): string | null;
  /**
   * Looking codes up from the request's address: 0 when it may, else ms until it may. Only
   * misses (a code that names nothing) take from the allowance — the cost of guessing.
   */
  codeWait(req: IncomingMessage): number;
  /** A lookup from the request's address named nothing. */
  codeMissed(req: IncomingMessage): void;
  readonly stats: { codeLookupsRefused: number };
}

export function edgeLimits(partial: Partial<Limits> | undefined, clock: Clock): EdgeLimits {
  const limits: Limits = { ...DEFAULT_LIMITS, ...partial };
  const addressOf = addressResolver(limits.trustProxy);
  const connections = new ConnectionGuard({ addressOf, perAddress: limits.connectionsPerAddress, origins: limits.origins });
  const creations = new CreationLimits({ perAddress: limits.createsPerAddress, perConnection: limits.createsPerConnection, clock });
  const lookups = new KeyedBuckets(limits.codeLookups, clock);
  const headers = securityHeaders();
  const stats = { codeLookupsRefused: 0 };
  return {
    limits,
    addressOf,
    connections,
    creations,
    allowRequest: connections.allowRequest,
    attach(io) {
      connections.track(io.engine);
      // Polling answers and the handshake's: the same headers as every page of the site.
      const add = (h: Record<string, string>) => { for (const [k, v] of Object.entries(headers)) h[k] ??= v; };
      io.engine.on('initial_headers', add);
      io.engine.on('headers', add);
    },
    create: (kind, connection, req) => creations.take(kind, { connection, address: addressOf(req) }),
    codeWait(req) {
      const wait = lookups.waitMs(addressOf(req));
      if (wait > 0) stats.codeLookupsRefused++;
      return wait;
    },
    codeMissed(req) {
      lookups.take(addressOf(req));
    },
    stats,
  };
}
