// Which failures mean "a service is not there right now" rather than "a bug": the database
// refusing or dropping connections, a connection or query that timed out, PostgreSQL shutting
// down or not yet accepting connections, Redis not connected. A request that fails this way
// is answered `unavailable` (protocol/wire.ts): nothing was acknowledged, and the node gets
// its connections back by itself (the pg pool opens new ones, ioredis reconnects).

/** Thrown where the server knows a service is missing (e.g. a forward nobody answered). */
export class UnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLSTATE: 08xxx connection exceptions; 57P01–57P03 shutdown, crash, not yet accepting; 53300 too many connections.
const SQLSTATE = /^(08...|57P0[123]|53300)$/;
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is closed|Stream isn't writeable|MaxRetriesPerRequest/i;

/** True when `e` (or what caused it) says a service is unreachable, not that the request or the code is wrong. */
export function isUnavailable(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof UnavailableError) return true;
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (x instanceof AggregateError && x.errors.some((y) => isUnavailable(y))) return true;
    if (x instanceof Error && MESSAGES.test(x.message)) return true;
  }
  return false;
}

export const UNAVAILABLE_MESSAGE = 'the server cannot store this right now (its database is unreachable); nothing was saved — it recovers by itself, try again in a few seconds';
