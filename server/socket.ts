// The socket.io edge of the game. Every client→server event goes through the gate
// (server/gate.ts: rate limit, size, schema, protocol version); then it runs at the
// authority of its home (server/game-ops.ts): here in one process, at the home's owner in
// cluster mode. The answer becomes the ack, and the session the edge keeps for the
// connection (its room, player, home and seat token) follows it. Handlers hold no game
// logic. The Broadcaster here turns service notifications into room-wide emits:
// io.to(room).emit serialises the packet once for the whole room, on every node.

import type { IoServer, IoSocket } from './io-types.js';
import type {
  ClassView, GameStep, GameView, JoinedData, LeftReason, PayloadOf, ReplyOf, RoomView,
} from '../protocol/events.js';
import { PAYLOAD_MAX, PAYLOAD_SCHEMAS, type ClientEventName } from '../protocol/schemas.js';
import { WIRE_VERSIONS } from '../protocol/wire.js';
import type { Clock } from './clock.js';
import { classChannel, NO_SESSION, type EdgeSession, type GameAnswer, type GameCall, type GameOpName, type gameOps } from './game-ops.js';
import type { Log } from './log.js';
import { gate, type GatedSocket } from './gate.js';
import { admitRoom, guardLookup, type Admission } from './room-admission.js';
import type { RateLimit } from './rate-limit.js';
import { fail, type Result } from './result.js';
import type { Broadcaster } from './rooms.js';

export type { IoServer, IoSocket } from './io-types.js';

/** Where the requests of a home run: here in one process; at the home's owner in cluster mode (server/cluster/router.ts). */
export interface HomeRoute {
  /** The home of a room (its class's code for a class room). */
  roomHome(code: string): Promise<string>;
  /** Runs a call at the home's authority and resolves with its answer. */
  run(home: string, call: unknown): Promise<unknown>;
}

/** Sets a connection's session wherever it is connected (its own node applies it). */
export type SessionPush = (socketId: string, session: EdgeSession, onlyIfRoom: string | null) => void;

export interface SocketDeps {
  ops: ReturnType<typeof gameOps>;
  route: HomeRoute;
  clock: Clock;
  log: Log;
  rateLimit: RateLimit;
  /** Called with the wall-clock and CPU time (ms) of handling every request (metrics). */
  timed?: (event: ClientEventName, ms: number, cpuMs: number) => void;
  /** What a creation must pass first (limits per connection and address; the scenario's graph built). */
  admission: Admission;
}

/** Applies a session to a connection of this node (false: it is not connected here). */
export function applySession(io: IoServer, socketId: string, session: EdgeSession, onlyIfRoom: string | null): boolean {
  const s = io.sockets.sockets.get(socketId);
  if (!s) return false;
  if (onlyIfRoom !== null && s.data.room !== onlyIfRoom) return true;
  Object.assign(s.data, session);
  return true;
}

/**
 * Room-wide emits, and what the room does to one connection (it was replaced, or moved by
 * the teacher). A connection may be on another node: membership goes through the adapter
 * (io.in(id)), the message through the connection's own room (io.to(id)), and the session
 * to the node that holds it (`push`).
 */
export function socketBroadcaster(io: IoServer, push: SessionPush): Broadcaster & { classState(code: string, view: ClassView): void } {
  return {
    roomState(code: string, view: RoomView) {
      io.to(code).emit('room:state', view);
    },
    gameState(code: string, view: GameView) {
      io.to(code).emit('game:state', view);
    },
    gameStep(code: string, delta: GameStep) {
      io.to(code).emit('game:step', delta);
    },
    left(socketId: string, code: string, reason: LeftReason) {
      io.in(socketId).socketsLeave(code);
      push(socketId, NO_SESSION, code);
      io.to(socketId).emit('room:left', { code, reason });
    },
    moved(socketId: string, from: string, joined: JoinedData) {
      const to = joined.room.code;
      io.in(socketId).socketsLeave(from);
      io.in(socketId).socketsJoin(to);
      const name = joined.room.players.find((p) => p.id === joined.playerId)?.name ?? '';
      push(socketId, { room: to, playerId: joined.playerId, home: joined.room.classCode ?? to, seat: { code: to, name, token: joined.token } }, from);
      io.to(socketId).emit('room:moved', { from, joined });
    },
    classState(code: string, view: ClassView) {
      io.to(classChannel(code)).emit('class:state', view);
    },
  };
}

type Handlers = { [E in ClientEventName]: (socket: IoSocket, p: PayloadOf<E>) => Promise<Result<ReplyOf<E>>> };

const sessionOf = (socket: IoSocket): EdgeSession => ({ room: socket.data.room, playerId: socket.data.playerId, home: socket.data.home, seat: socket.data.seat });

/** The requests that look a code up, and the answers that say it names nothing (guessing is limited per address). */
const CODE_LOOKUPS: Partial<Record<ClientEventName, readonly string[]>> = {
  'room:join': ['unknown_room'],
  'class:join': ['unknown_class', 'unknown_room'],
  'class:watch': ['unknown_class'],
};

/** The requests that open a session carry the protocol version. */
const VERSIONED: readonly ClientEventName[] = ['room:create', 'room:join', 'class:create', 'class:join'];

export interface GameEdge {
  /** A home was taken over by a new owner: this node's connections seated there take their seats again, with their tokens. */
  reattach(home: string): Promise<void>;
}

export function attachSockets(io: IoServer, d: SocketDeps): GameEdge {
  /** Runs a request at its home's authority; the connection's session follows the answer. */
  const run = async (socket: IoSocket, event: GameOpName, payload: unknown, home: string | null): Promise<Result<unknown>> => {
    const call: GameCall = { ns: 'game', event, payload, socketId: socket.id, session: sessionOf(socket) };
    // Without a home the connection is in no room: the service answers that here.
    const a = (home === null ? await d.ops.serve(call) : await d.route.run(home, call)) as GameAnswer;
    took(socket, a);
    return a.result;
  };
  /** The connection's session follows an answer; one that dropped while it was made leaves its player away, as after any drop. */
  const took = (socket: IoSocket, a: GameAnswer) => {
    if (!a.session) return;
    Object.assign(socket.data, a.session);
    if (socket.disconnected) dropped(socket);
  };
  const dropped = (socket: IoSocket) => {
    const { home } = socket.data;
    if (!home) return;
    const call: GameCall = { ns: 'game', event: 'room:disconnect', payload: {}, socketId: socket.id, session: sessionOf(socket) };
    void d.route.run(home, call).catch((e: unknown) => d.log.warn('room: a disconnect did not reach the room', { room: socket.data.room, error: String(e) }));
  };
  /** The connection leaves its room (a new create or join): its seat is kept, as after a dropped connection. */
  const detach = async (socket: IoSocket) => {
    const { room, home } = socket.data;
    if (!room) return;
    const call: GameCall = { ns: 'game', event: 'room:disconnect', payload: {}, socketId: socket.id, session: sessionOf(socket) };
    Object.assign(socket.data, NO_SESSION);
    void socket.leave(room);
    if (home) await d.route.run(home, call).catch((e: unknown) => d.log.warn('room: a disconnect did not reach the room', { room, error: String(e) }));
  };
  const inRoom = (socket: IoSocket, event: GameOpName, p: unknown) => run(socket, event, p, socket.data.home);

  const handlers = {
    'room:create': async (socket, p) => {
      const admitted = await admitRoom(d.admission, socket, p);
      if (!admitted.ok) return admitted;
      await detach(socket);
      const a = await d.ops.local['room:create'](socket.id, p);
      took(socket, a);
      return a.result;
    },
    'room:join': async (socket, p) => {
      if (socket.data.room && socket.data.room !== p.code) await detach(socket);
      return run(socket, 'room:join', p, await d.route.roomHome(p.code));
    },
    'room:leave': (socket, p) => inRoom(socket, 'room:leave', p),
    'room:away': (socket, p) => inRoom(socket, 'room:away', p),
    'role:claim': (socket, p) => inRoom(socket, 'role:claim', p),
    'role:release': (socket, p) => inRoom(socket, 'role:release', p),
    'role:handover': (socket, p) => inRoom(socket, 'role:handover', p),
    'host:handover': (socket, p) => inRoom(socket, 'host:handover', p),
    'game:act': (socket, p) => inRoom(socket, 'game:act', p),
    'game:undo': (socket, p) => inRoom(socket, 'game:undo', p),
    'game:restart': (socket, p) => inRoom(socket, 'game:restart', p),
    'game:jump': (socket, p) => inRoom(socket, 'game:jump', p),
    'game:sync': (socket, p) => inRoom(socket, 'game:sync', p),
    'game:mode': (socket, p) => inRoom(socket, 'game:mode', p),
    'bot:set': (socket, p) => inRoom(socket, 'bot:set', p),
    'progress:get': (_socket, p) => d.ops.local['progress:get'](p),
    'class:create': async (socket, p) => {
      const admitted = await admitRoom(d.admission, socket, { lesson: p.lesson }, 'class');
      return admitted.ok ? d.ops.local['class:create'](p) : admitted;
    },
    'class:join': async (socket, p) => {
      await detach(socket);
      return run(socket, 'class:join', p, p.code);
    },
    'class:watch': (socket, p) => run(socket, 'class:watch', p, p.code),
    'class:stop': (socket, p) => run(socket, 'class:stop', p, p.code),
    'class:controls': (socket, p) => run(socket, 'class:controls', p, p.code),
    'class:restart': (socket, p) => run(socket, 'class:restart', p, p.code),
    'class:rotate': (socket, p) => run(socket, 'class:rotate', p, p.code),
    'class:move': (socket, p) => run(socket, 'class:move', p, p.code),
    'class:delete': (socket, p) => run(socket, 'class:delete', p, p.code),
    'class:rekey': (socket, p) => run(socket, 'class:rekey', p, p.code),
  } as Handlers;

  // One table and one set of gate options for every connection: an idle connection holds no closures of its own.
  const guarded = Object.fromEntries(
    (Object.keys(handlers) as ClientEventName[]).map((e) => [e, (p: never, gated: GatedSocket) => {
      const socket = gated as unknown as IoSocket;
      const go = () => (handlers[e] as (s: IoSocket, p: unknown) => Promise<Result<unknown>>)(socket, p);
      const misses = CODE_LOOKUPS[e];
      return misses ? guardLookup(d.admission, socket.request, misses, go, (m) => fail('rate_limited', m)) : go();
    }]),
  ) as { [E in ClientEventName]: (p: never, socket: GatedSocket) => Promise<Result<unknown>> };
  const gateOptions = {
    namespace: 'game' as const,
    schemas: PAYLOAD_SCHEMAS,
    rateLimit: d.rateLimit,
    clock: d.clock,
    log: d.log,
    versioned: VERSIONED,
    maxJsonChars: PAYLOAD_MAX,
    ...(d.timed ? { timed: d.timed } : {}),
  };

  io.on('connection', (socket: IoSocket) => {
    Object.assign(socket.data, NO_SESSION);
    gate(socket as unknown as GatedSocket, gateOptions, guarded);

    socket.on('disconnect', () => dropped(socket));

    socket.emit('server:hello', { protocol: WIRE_VERSIONS.game, notebook: WIRE_VERSIONS.notebook });
  });

  return {
    async reattach(home) {
      const mine = [...io.sockets.sockets.values()].filter((s) => s.data.home === home && s.data.seat);
      for (const socket of mine) {
        const seat = socket.data.seat!;
        const r = await run(socket, 'room:join', { code: seat.code, name: seat.name, token: seat.token }, home).catch((e: unknown) => {
          d.log.warn('room: a seat could not be taken again on the new owner', { room: seat.code, error: String(e) });
          return null;
        });
        if (!r) continue;
        if (r.ok) {
          const j = r.data as JoinedData;
          socket.emit('room:state', j.room);
          socket.emit('game:state', j.game);
        } else {
          Object.assign(socket.data, NO_SESSION);
          void socket.leave(seat.code);
          socket.emit('room:left', { code: seat.code, reason: 'closed' });
        }
      }
    },
  };
}
