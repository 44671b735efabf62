// The notebook namespace (/notebook) of the game's socket.io server. Every event goes
// through the same gate as the game's (server/gate.ts: rate limit, known event, zod schema
// — binary bounded by size before anything decodes it — and the protocol version on join);
// then one call into the NotebookService, whose result is the ack. Messages larger
// than a transport frame arrive in parts and are reassembled here, only for a notebook the
// connection has joined, and bounded by NOTEBOOK_MESSAGE_MAX per message and per connection. Each notebook is a socket.io room `nb:<id>`, so a relayed update
// is serialised once for everyone in it.

import type { Namespace, Socket } from 'socket.io';
import type { NotebookClientEvents, NotebookServerEvents, NotebookSocketData, NotebookSyncPayload } from '../../protocol/notebook/events.js';
import { NOTEBOOK_MESSAGE_MAX, NOTEBOOK_NAMESPACE } from '../../protocol/notebook/events.js';
import { NOTEBOOK_PAYLOAD_SCHEMAS, type NotebookEventName } from '../../protocol/notebook/schemas.js';
import type { Clock } from '../clock.js';
import { gate, type GatedSocket } from '../gate.js';
import { admitRoom, guardLookup, type Admission } from '../room-admission.js';
import type { Log } from '../log.js';
import type { RateLimit } from '../rate-limit.js';
import { nbFail, nbOk, type NbResult, type NotebookRelay } from './relay.js';
import type { NotebookService } from './service.js';

export type NotebookNamespace = Namespace<NotebookClientEvents, NotebookServerEvents, Record<string, never>, NotebookSocketData>;
type NbSocket = Socket<NotebookClientEvents, NotebookServerEvents, Record<string, never>, NotebookSocketData>;

/** Typing bursts and presence: far above a human, far below a flood. */
export const NOTEBOOK_RATE_LIMIT: RateLimit = { burst: 300, perSecond: 150 };

const channel = (id: string) => `nb:${id}`;

export function notebookRelay(nsp: () => NotebookNamespace): NotebookRelay {
  return {
    sync(id, data, except) {
      (except ? nsp().to(channel(id)).except(except) : nsp().to(channel(id))).emit('notebook:sync', { id, data });
    },
    awareness(id, data, except) {
      (except ? nsp().to(channel(id)).except(except) : nsp().to(channel(id))).emit('notebook:awareness', { id, data });
    },
    syncTo(socketId, id, data) {
      nsp().sockets.get(socketId)?.emit('notebook:sync', { id, data });
    },
    awarenessTo(socketId, id, data) {
      nsp().sockets.get(socketId)?.emit('notebook:awareness', { id, data });
    },
    meta(socketId, d) {
      nsp().sockets.get(socketId)?.emit('notebook:meta', d);
    },
    reset(socketId, d) {
      const s = nsp().sockets.get(socketId);
      if (!s) return;
      void s.leave(channel(d.id));
      s.emit('notebook:reset', d);
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

export interface NotebookSocketDeps {
  service: NotebookService;
  clock: Clock;
  log: Log;
  rateLimit?: RateLimit;
  /** Marks a notebook used (retention). */
  touch?: (id: string) => void;
  /** What opening a room from the notebook (notebook:play) must pass first. */
  admission?: Admission;
}

export function attachNotebookSockets(io: { of(name: string): unknown }, d: NotebookSocketDeps): NotebookNamespace {
  const nsp = io.of(NOTEBOOK_NAMESPACE) as unknown as NotebookNamespace;

  nsp.on('connection', (socket: NbSocket) => {
    socket.data.name = null;
    const partials = new Map<number, Partial>();

    const sync = (p: NotebookSyncPayload): NbResult<{ received?: number }> | Promise<NbResult<{ received?: number }>> => {
      if (!p.part) return d.service.sync(socket.id, p.id, p.data);
      const { key, index, count } = p.part;
      let got = partials.get(key);
      if (!got) {
        // Parts are held in memory until the message is whole: only for a notebook this connection has joined.
        if (!d.service.isJoined(socket.id, p.id)) return nbFail('not_joined', `join notebook ${p.id} first (notebook:join)`);
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
      return d.service.sync(socket.id, p.id, whole);
    };

    const join = async (p: Parameters<NotebookClientEvents['notebook:join']>[0]) => {
      const r = await d.service.join(socket.id, p);
      if (r.ok) {
        socket.data.name = p.name;
        void socket.join(channel(p.id));
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
      'notebook:leave': (p) => {
        void socket.leave(channel(p.id));
        return d.service.leave(socket.id, p.id);
      },
      'notebook:sync': (p) => {
        d.touch?.(p.id);
        return sync(p);
      },
      'notebook:awareness': (p) => d.service.awareness(socket.id, p.id, p.data),
      'notebook:policy': (p) => d.service.setPolicy(socket.id, p),
      'notebook:play': async (p) => {
        if (d.admission) {
          const admitted = await admitRoom(d.admission, socket, p);
          if (!admitted.ok) return nbFail(admitted.error.code as 'rate_limited' | 'busy', admitted.error.message);
        }
        return d.service.play(socket.id, p);
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
        if (event === 'notebook:join' && result.ok) d.service.greet(socket.id, (payload as { id: string }).id);
      },
    }, handlers);

    socket.on('disconnect', () => {
      partials.clear();
      d.service.disconnect(socket.id);
    });
  });
  return nsp;
}
