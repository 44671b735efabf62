// The one gate in front of every socket request, game and notebook alike: rate limit
// (a token bucket per connection), a known event, the payload's size, the request's shape
// (one payload and an ack), the zod schema, and the protocol version of the requests that
// open a session. Only then does the handler run; whatever it returns (or a throw, as
// `internal`) is the ack. A request stopped here changes nothing and is always answered.

import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { describeIssues } from '../protocol/schemas.js';
import { mismatchMessage, versionMismatch, type Ack, type GateErrorCode, type WireNamespace } from '../protocol/wire.js';
import type { Clock } from './clock.js';
import type { Log } from './log.js';
import { TokenBucket, type RateLimit } from './rate-limit.js';
import { isUnavailable, UNAVAILABLE_MESSAGE } from './store/unavailable.js';

type Answer = Ack<unknown, string>;
/** Answers one request; it gets the connection it came on, so one table serves every connection. */
type Handler = (payload: never, socket: GatedSocket) => Answer | Promise<Answer>;

/** The part of a socket.io socket the gate uses. */
export interface GatedSocket {
  id: string;
  use(fn: (packet: unknown[], next: (err?: Error) => void) => void): unknown;
}

export interface GateOptions<E extends string> {
  namespace: WireNamespace;
  schemas: { readonly [K in E]: z.ZodType };
  rateLimit: RateLimit;
  clock: Clock;
  log: Log;
  /** The events that open a session and carry `protocol` (checked against this server's version). */
  versioned: readonly E[];
  /** Largest payload, in JSON characters, before it is parsed (binary payloads are bounded by their schemas instead). */
  maxJsonChars?: number;
  /** The message when the rate limit refuses a request. */
  rateLimited?: string;
  /**
   * Called with the wall-clock time (ms) of every handled request, and its CPU time for at
   * most one request per CPU_SAMPLE_MS (NaN for the others): process.cpuUsage() is a
   * getrusage() over every thread, 10 µs on a quiet VM and about 100 µs on a busy one
   * (measured in bench:server's profile). Sampling one request in 64 still cost 1.2% of the
   * server's time in a burst; sampling by time bounds it at a few per mille whatever the rate,
   * and at a human rate still measures nearly every request.
   */
  timed?: (event: E, ms: number, cpuMs: number) => void;
  /** After a request was answered (e.g. a greeting that must follow a join's ack). */
  answered?: (event: E, payload: unknown, result: Answer) => void;
}

/** At most one request per this many ms has its CPU time measured (see GateOptions.timed). */
export const CPU_SAMPLE_MS = 100;
let lastCpuSample = -Infinity;

/**
 * A request's arguments: the payload, then the ack (always last). Whatever the client sent —
 * no payload, or more arguments than that — the ack, when there is one, gets an answer.
 */
export function requestArgs(args: unknown[]): { payload: unknown; ack: (r: unknown) => void; extra: boolean } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
  const rest = typeof last === 'function' ? args.slice(0, -1) : args;
  return { payload: rest[0], ack, extra: rest.length > 1 };
}

export const fail = (code: GateErrorCode, message: string): Answer => ({ ok: false, error: { code, message } });

/**
 * Puts the gate in front of `handlers` on one connection. One middleware per connection does it
 * all and answers the request itself (it never passes the packet on): a listener per event per
 * connection cost every idle connection a closure and a listener slot per event, a few KiB each
 * and GC time with thousands of connections.
 */
export function gate<E extends string>(socket: GatedSocket, o: GateOptions<E>, handlers: { readonly [K in E]: Handler }): void {
  const bucket = new TokenBucket(o.rateLimit, o.clock);
  socket.use((packet) => {
    const event = packet[0];
    const { payload, ack, extra } = requestArgs(packet.slice(1));
    if (!bucket.take()) {
      ack(fail('rate_limited', o.rateLimited ?? 'too many requests from this connection; slow down and retry in a second'));
      return;
    }
    if (typeof event !== 'string' || !Object.hasOwn(handlers, event)) {
      o.log.warn(`${o.namespace}: unknown event`, { socket: socket.id, event: String(event).slice(0, 40) });
      ack(fail('bad_request', `unknown event "${String(event).slice(0, 40)}"; see docs/PROTOCOL.md`));
      return;
    }
    if (o.maxJsonChars !== undefined) {
      let size = 0;
      try {
        size = payload === undefined ? 0 : (JSON.stringify(payload)?.length ?? 0);
      } catch {
        ack(fail('bad_request', 'the payload is not JSON'));
        return;
      }
      if (size > o.maxJsonChars) {
        ack(fail('payload_too_large', `the payload has ${size} characters; the limit is ${o.maxJsonChars}`));
        return;
      }
    }
    if (extra) {
      ack(fail('bad_request', `${event}: send one payload object and an acknowledgement callback`));
      return;
    }
    answer(socket, o, handlers, event as E, payload, ack);
  });
}

function failed<E extends string>(o: GateOptions<E>, event: E, e: unknown): Answer {
  if (isUnavailable(e)) {
    o.log.warn(`${o.namespace}: a service is unreachable`, { event, error: e instanceof Error ? e.message : String(e) });
    return fail('unavailable', UNAVAILABLE_MESSAGE);
  }
  o.log.error(`${o.namespace}: handler threw`, { event, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  return fail('internal', 'something went wrong on the server; nothing changed, try again');
}

/** A known event that passed the rate limit, the size and the shape (one payload and an ack): its schema and version, then its handler. */
function answer<E extends string>(socket: GatedSocket, o: GateOptions<E>, handlers: { readonly [K in E]: Handler }, event: E, raw: unknown, ack: (r: unknown) => void): void {
  const t0 = o.timed ? performance.now() : 0;
  let c0: NodeJS.CpuUsage | null = null;
  if (o.timed && t0 - lastCpuSample >= CPU_SAMPLE_MS) {
    lastCpuSample = t0;
    c0 = process.cpuUsage();
  }
  const parsed = o.schemas[event].safeParse(raw);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    o.log.warn(`${o.namespace}: malformed payload`, { socket: socket.id, event, issues: issues.slice(0, 200) });
    ack(fail(/larger than/.test(issues) ? 'payload_too_large' : 'bad_request', `${event}: ${issues}`));
    return;
  }
  if (o.versioned.includes(event)) {
    const m = versionMismatch(o.namespace, (parsed.data as { protocol?: unknown }).protocol);
    if (m) {
      ack({ ok: false, error: { code: 'protocol_mismatch', message: mismatchMessage(m), protocol: m } });
      return;
    }
  }
  const done = (result: Answer) => {
    ack(result);
    o.answered?.(event, parsed.data, result);
  };
  // Wall-clock time runs to the answer (store awaits included); CPU time is sampled likewise.
  const timed = () => {
    if (!o.timed) return;
    const c = c0 ? process.cpuUsage(c0) : null;
    o.timed(event, performance.now() - t0, c ? (c.user + c.system) / 1000 : NaN);
  };
  let result: Answer | Promise<Answer>;
  try {
    result = handlers[event](parsed.data as never, socket);
  } catch (e) {
    result = failed(o, event, e);
  }
  if (result instanceof Promise) {
    result.then(done, (e: unknown) => done(failed(o, event, e))).finally(timed);
    return;
  }
  done(result);
  timed();
}
