// The notebook namespace (/notebook) of the game's socket.io server. Every event goes
// through the same gate as the game's (server/gate.ts: rate limit, known event, zod schema
// — binary bounded by size before anything decodes it — and the protocol version on join);
// then one call into the NotebookService, whose result is the ack. Messages larger
// than a transport frame arrive in parts and are reassembled here, only for a notebook the
// connection has joined, and bounded by NOTEBOOK_MESSAGE_MAX per message and per connection. Each notebook is a socket.io room `nb:<id>`, so a relayed update
// is serialised once for everyone in it.

import type { Namespace, Socket } from 'socket.io';
import type { NotebookClientEvents, NotebookJoinPayload, NotebookServerEvents, NotebookSocketData, NotebookSyncPayload } from '../../protocol/notebook/events.js';
import { NOTEBOOK_MESSAGE_MAX, NOTEBOOK_NAMESPACE } from '../../protocol/notebook/events.js';
import { NOTEBOOK_PAYLOAD_SCHEMAS, type NotebookEventName } from '../../protocol/notebook/schemas.js';
import type { Clock } from '../clock.js';
import { gate, type GatedSocket } from '../gate.js';
import { admitRoom, guardLookup, type Admission } from '../room-admission.js';
import type { Log } from '../log.js';
import type { RateLimit } from '../rate-limit.js';
import type { NotebookCall } from './ops.js';
import { nbFail, nbOk, notebookChannel, type NbResult, type NotebookRelay } from './relay.js';

export type NotebookNamespace = Namespace<NotebookClientEvents, NotebookServerEvents, Record<string, never>, NotebookSocketData>;
type NbSocket = Socket<NotebookClientEvents, NotebookServerEvents, Record<string, never>, NotebookSocketData>;

/** Typing bursts and presence: far above a human, far below a flood. */
export const NOTEBOOK_RATE_LIMIT: RateLimit = { burst: 300, perSecond: 150 };

const channel = notebookChannel;

/** How the service reaches connections: channels for everyone in a notebook, a connection's own room for one (on any node). */
export function notebookRelay(nsp: () => NotebookNamespace): NotebookRelay {
  return {
    sync(id, data, except) {
      (except ? nsp().to(channel(id)).except(except) : nsp().to(channel(id))).emit('notebook:sync', { id, data });
    },
    awareness(id, data, except) {
      (except ? nsp().to(channel(id)).except(except) : nsp().to(channel(id))).emit('notebook:awareness', { id, data });
    },
    syncTo(socketId, id, data) {
      nsp().to(socketId).emit('notebook:sync', { id, data });
    },
    awarenessTo(socketId, id, data) {
      nsp().to(socketId).emit('notebook:awareness', { id, data });
    },
    meta(socketId, d) {
      nsp().to(socketId).emit('notebook:meta', d);
    },
    reset(socketId, d) {
      nsp().in(socketId).socketsLeave(channel(d.id));
      nsp().to(socketId).emit('notebook:reset', d);
    },
  };
}

interface Partial {
  id: string;
  count: number;
  parts: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
}

/** Where a notebook's requests run: here in one process, at its home's owner in cluster mode. */
export interface NotebookRoute {
  notebookHome(id: string): Promise<string>;
  run(home: string, call: NotebookCall): Promise<unknown>;
}

export interface NotebookEdge {
  /** A home was taken over by a new owner: this node's connections in its notebooks join them again there. */
  reattach(home: string): Promise<void>;
}

export interface NotebookSocketDeps {
  route: NotebookRoute;
  clock: Clock;
  log: Log;
  rateLimit?: RateLimit;
  /** Marks a notebook used (retention). */
  touch?: (id: string) => void;
  /** What opening a room from the notebook (notebook:play) must pass first. */
  admission?: Admission;
}

export function attachNotebookSockets(io: { of(name: string): unknown }, d: NotebookSocketDeps): { nsp: NotebookNamespace; edge: NotebookEdge } {
  const nsp = io.of(NOTEBOOK_NAMESPACE) as unknown as NotebookNamespace;
  /** The notebooks each connection of this node has joined: their homes and the join to make again after a takeover. */
  const joinedBy = new Map<string, Map<string, { home: string; join: NotebookJoinPayload }>>();

  nsp.on('connection', (socket: NbSocket) => {
    socket.data.name = null;
    const partials = new Map<number, Partial>();
    const joined = new Map<string, { home: string; join: NotebookJoinPayload }>();
    joinedBy.set(socket.id, joined);
    /** Runs a request of a notebook this connection has joined at the notebook's home. */
    const run = async (call: NotebookCall): Promise<NbResult<unknown>> => {
      const id = (call.payload as { id: string }).id;
      const home = joined.get(id)?.home ?? (await d.route.notebookHome(id));
      return (await d.route.run(home, call)) as NbResult<unknown>;
    };
    const send = (data: Uint8Array, id: string) => run({ ns: 'notebook', event: 'notebook:sync', socketId: socket.id, payload: { id, data } }) as Promise<NbResult<{ received?: number }>>;

    const sync = (p: NotebookSyncPayload): NbResult<{ received?: number }> | Promise<NbResult<{ received?: number }>> => {
      if (!p.part) return send(p.data, p.id);
      const { key, index, count } = p.part;
      let got = partials.get(key);
      if (!got) {
        // Parts are held in memory until the message is whole: only for a notebook this connection has joined.
        if (!joined.has(p.id)) return nbFail('not_joined', `join notebook ${p.id} first (notebook:join)`);
        if (partials.size >= 2) return nbFail('payload_too_large', 'at most two large messages may be in flight at once');
        got = { id: p.id, count, parts: Array.from({ length: count }, () => undefined), received: 0, bytes: 0 };
        partials.set(key, got);
      }
      if (got.id !== p.id || got.count !== count || got.parts[index]) {
        partials.delete(key);
        return nbFail('bad_request', 'the parts of a message disagree; resend it whole');
      }
      got.parts[index] = p.data;
      got.received++;
      got.bytes += p.data.byteLength;
      if (got.bytes > NOTEBOOK_MESSAGE_MAX) {
        partials.delete(key);
        return nbFail('payload_too_large', `a message is at most ${NOTEBOOK_MESSAGE_MAX} bytes; split the change (import fewer cells at once)`);
      }
      // What one connection holds of unfinished messages, all together, is bounded by one message.
      let held = 0;
      for (const x of partials.values()) held += x.bytes;
      if (held > NOTEBOOK_MESSAGE_MAX) {
        partials.delete(key);
        return nbFail('payload_too_large', `unfinished messages on this connection may hold at most ${NOTEBOOK_MESSAGE_MAX} bytes together; finish one first`);
      }
      if (got.received < got.count) return nbOk({ received: got.bytes });
      partials.delete(key);
      const whole = new Uint8Array(got.bytes);
      let at = 0;
      for (const x of got.parts) {
        whole.set(x!, at);
        at += x!.byteLength;
      }
      return send(whole, p.id);
    };

    const join = async (p: NotebookJoinPayload) => {
      const home = await d.route.notebookHome(p.id);
      const r = (await d.route.run(home, { ns: 'notebook', event: 'notebook:join', socketId: socket.id, payload: p })) as NbResult<unknown>;
      if (r.ok) {
        socket.data.name = p.name;
        joined.set(p.id, { home, join: p });
        d.touch?.(p.id);
      }
      return r;
    };

    const handlers: { [E in NotebookEventName]: (p: Parameters<NotebookClientEvents[E]>[0]) => NbResult<unknown> | Promise<NbResult<unknown>> } = {
      'notebook:join': (p) => {
        // room-/class- notebooks name a code: a miss counts as a guess (see server/room-admission.ts).
        if (!d.admission || !/^(room|class)-/.test(p.id)) return join(p);
        return guardLookup(d.admission, socket.request, ['unknown_notebook'], () => join(p), (m) => nbFail('rate_limited', m));
      },
      'notebook:leave': async (p) => {
        void socket.leave(channel(p.id));
        const r = await run({ ns: 'notebook', event: 'notebook:leave', socketId: socket.id, payload: { id: p.id } });
        joined.delete(p.id);
        return r;
      },
      'notebook:sync': (p) => {
        d.touch?.(p.id);
        return sync(p);
      },
      'notebook:awareness': (p) => run({ ns: 'notebook', event: 'notebook:awareness', socketId: socket.id, payload: { id: p.id, data: p.data } }),
      'notebook:policy': (p) => run({ ns: 'notebook', event: 'notebook:policy', socketId: socket.id, payload: p }),
      'notebook:play': async (p) => {
        if (d.admission) {
          const admitted = await admitRoom(d.admission, socket, p);
          if (!admitted.ok) return nbFail(admitted.error.code as 'rate_limited' | 'busy', admitted.error.message);
        }
        return run({ ns: 'notebook', event: 'notebook:play', socketId: socket.id, payload: p });
      },
    };

    gate(socket as unknown as GatedSocket, {
      namespace: 'notebook',
      schemas: NOTEBOOK_PAYLOAD_SCHEMAS,
      rateLimit: d.rateLimit ?? NOTEBOOK_RATE_LIMIT,
      clock: d.clock,
      log: d.log,
      versioned: ['notebook:join'],
      rateLimited: 'too many notebook messages from this connection; slow down and retry in a second',
      answered: (event, payload, result) => {
        // The greeting follows the join's ack: a second request, so it reaches the client after it.
        if (event === 'notebook:join' && result.ok) greet(socket.id, (payload as { id: string }).id);
      },
    }, handlers);

    socket.on('disconnect', () => {
      partials.clear();
      joinedBy.delete(socket.id);
      const homes = new Set([...joined.values()].map((j) => j.home));
      for (const home of homes) {
        void d.route.run(home, { ns: 'notebook', event: 'notebook:disconnect', socketId: socket.id, payload: {} })
          .catch((e: unknown) => d.log.warn('notebook: a disconnect did not reach the notebook', { home, error: String(e) }));
      }
    });
  });

  const greet = (socketId: string, id: string) => {
    const home = joinedBy.get(socketId)?.get(id)?.home;
    if (!home) return;
    void d.route.run(home, { ns: 'notebook', event: 'notebook:greet', socketId, payload: { id } })
      .catch((e: unknown) => d.log.warn('notebook: a greeting did not reach the notebook', { notebook: id, error: String(e) }));
  };

  const edge: NotebookEdge = {
    async reattach(home) {
      for (const [socketId, joined] of joinedBy) {
        for (const [id, j] of joined) {
          if (j.home !== home) continue;
          const r = (await d.route.run(home, { ns: 'notebook', event: 'notebook:join', socketId, payload: j.join }).catch(() => null)) as NbResult<unknown> | null;
          if (r?.ok) greet(socketId, id);
          else {
            joined.delete(id);
            nsp.to(socketId).emit('notebook:reset', { id, reason: 'the notebook moved to another server; reconnecting reloads it' });
          }
        }
      }
    },
  };
  return { nsp, edge };
}
