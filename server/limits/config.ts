// The per-address limits and who is trusted to say what the address is: their defaults and
// their environment variables (documented in deploy/README.md and docs/SECURITY.md).

import type { Allowance } from './buckets.js';
import { parseTrustProxy, type TrustProxy } from './address.js';

export interface Limits {
  /** Open connections per address (the game and the notebook share one). */
  connectionsPerAddress: number;
  /** Rooms, classes and notebooks each address may create (one bucket per kind). */
  createsPerAddress: Allowance;
  /** Rooms, classes and notebooks one connection may create (one bucket per kind). */
  createsPerConnection: Allowance;
  /** GET /api/codes/:code lookups per address. */
  codeLookups: Allowance;
  /** Which proxies in front may name the client's address in X-Forwarded-For (express's "trust proxy"). */
  trustProxy: TrustProxy;
  /** Origins a browser may open a socket from; null: only the page's own host. */
  origins: string[] | null;
}

/**
 * A classroom behind one NAT is one address: thirty students, each with a room and a
 * notebook, fit well inside these; a script from one address does not.
 */
export const DEFAULT_LIMITS: Limits = {
  connectionsPerAddress: 100,
  createsPerAddress: { burst: 60, perMinute: 30 },
  createsPerConnection: { burst: 10, perMinute: 6 },
  codeLookups: { burst: 20, perMinute: 30 },
  trustProxy: false,
  origins: null,
};

/** The limits the environment sets (REAPLAB_LIMIT_*, REAPLAB_TRUST_PROXY, REAPLAB_ORIGINS); throws on a value it cannot read. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<Limits> {
  const out: Partial<Limits> = {};
  const conns = env.REAPLAB_LIMIT_CONNECTIONS;
  if (conns !== undefined) {
    const n = Number(conns);
    if (!Number.isInteger(n) || n < 1) throw new Error(`REAPLAB_LIMIT_CONNECTIONS must be a whole number of connections per address, not "${conns}"`);
    out.connectionsPerAddress = n;
  }
  const allowance = (name: string): Allowance | undefined => {
    const v = env[name];
    if (v === undefined) return undefined;
    const [burst, perMinute, ...rest] = v.split(',').map(Number);
    if (rest.length || !Number.isFinite(burst) || !Number.isFinite(perMinute) || burst! < 1 || perMinute! <= 0) {
      throw new Error(`${name} must be "burst,perMinute" (e.g. "60,30"), not "${v}"`);
    }
    return { burst: burst!, perMinute: perMinute! };
  };
  const creates = allowance('REAPLAB_LIMIT_CREATES');
  if (creates) out.createsPerAddress = creates;
  const perConn = allowance('REAPLAB_LIMIT_CREATES_PER_CONNECTION');
  if (perConn) out.createsPerConnection = perConn;
  const codes = allowance('REAPLAB_LIMIT_CODE_LOOKUPS');
  if (codes) out.codeLookups = codes;
  if (env.REAPLAB_TRUST_PROXY !== undefined) out.trustProxy = parseTrustProxy(env.REAPLAB_TRUST_PROXY);
  if (env.REAPLAB_ORIGINS !== undefined && env.REAPLAB_ORIGINS.trim() !== '') {
    const origins = env.REAPLAB_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
    for (const o of origins) {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new Error(`REAPLAB_ORIGINS lists origins like "https://reaplab.example.org", not "${o}"`);
      }
      if (url.origin !== o) throw new Error(`REAPLAB_ORIGINS: "${o}" is not an origin (scheme://host[:port], no path); did you mean "${url.origin}"?`);
    }
    out.origins = origins;
  }
  return out;
}
