// The socket.io edge of the game. Every client→server event goes through the gate
// (server/gate.ts: rate limit, size, schema, protocol version); then one call into the
// room or class service, whose Result becomes the ack. Handlers take `unknown`
// and hold no game logic. The Broadcaster here turns service notifications into
// room-wide emits: io.to(room).emit serialises the packet once for the whole room.

import type { Server, Socket } from 'socket.io';
import type {
  ClassView, ClientToServerEvents, GameView, InterServerEvents, JoinedData, LeftReason, PayloadOf, ReplyOf, RoomView, ServerToClientEvents, SocketData,
} from '../protocol/events.js';
import { PAYLOAD_MAX, PAYLOAD_SCHEMAS, type ClientEventName } from '../protocol/schemas.js';
import { WIRE_VERSIONS } from '../protocol/wire.js';
import type { ClassControlService } from './class-controls.js';
import type { ClassService } from './classes.js';
import type { Clock } from './clock.js';
import type { AppEvents } from './events.js';
import type { Log } from './log.js';
import { gate, type GatedSocket } from './gate.js';
import { admitRoom, guardLookup, type Admission } from './room-admission.js';
import type { RateLimit } from './rate-limit.js';
import { fail, type Result } from './result.js';
import { nameKey } from './runs.js';
import type { Broadcaster, RoomService, Session } from './rooms.js';
import type { AnyStore } from './store/port.js';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketDeps {
  rooms: RoomService;
  classes: ClassService;
  /** The teacher's controls over a running class (pause, restart, rotate, move). */
  classControls: ClassControlService;
  store: AnyStore;
  clock: Clock;
  log: Log;
  rateLimit: RateLimit;
  /** Called with the wall-clock and CPU time (ms) of handling every request (metrics). */
  timed?: (event: ClientEventName, ms: number, cpuMs: number) => void;
  /** Where the edge says a room or class was used (retention listens). */
  events: AppEvents;
  /** What a creation must pass first (limits per connection and address; the scenario's graph built). */
  admission: Admission;
}

const classChannel = (code: string) => `class:${code}`;

export function socketBroadcaster(io: IoServer): Broadcaster & { classState(code: string, view: ClassView): void } {
  return {
    roomState(code: string, view: RoomView) {
      io.to(code).emit('room:state', view);
    },
    gameState(code: string, view: GameView) {
      io.to(code).emit('game:state', view);
    },
    left(socketId: string, code: string, reason: LeftReason) {
      const s = io.sockets.sockets.get(socketId);
      if (!s) return;
      void s.leave(code);
      s.data.room = null;
      s.data.playerId = null;
      s.emit('room:left', { code, reason });
    },
    moved(socketId: string, from: string, joined: JoinedData) {
      const s = io.sockets.sockets.get(socketId);
      if (!s) return;
      void s.leave(from);
      void s.join(joined.room.code);
      s.data.room = joined.room.code;
      s.data.playerId = joined.playerId;
      s.emit('room:moved', { from, joined });
    },
    classState(code: string, view: ClassView) {
      io.to(classChannel(code)).emit('class:state', view);
    },
  };
}

type Handlers = { [E in ClientEventName]: (socket: IoSocket, p: PayloadOf<E>) => Result<ReplyOf<E>> | Promise<Result<ReplyOf<E>>> };

function session(socket: IoSocket): Session {
  return { socketId: socket.id, room: socket.data.room, playerId: socket.data.playerId };
}

/** The requests that look a code up, and the answers that say it names nothing (guessing is limited per address). */
const CODE_LOOKUPS: Partial<Record<ClientEventName, readonly string[]>> = {
  'room:join': ['unknown_room'],
  'class:join': ['unknown_class', 'unknown_room'],
  'class:watch': ['unknown_class'],
};

/** The requests that open a session carry the protocol version. */
const VERSIONED: readonly ClientEventName[] = ['room:create', 'room:join', 'class:create', 'class:join'];

export function attachSockets(io: IoServer, d: SocketDeps): void {
  /** Moves a connection into a room after a successful create/join (out of any previous one). */
  const enter = (socket: IoSocket, code: string, playerId: string) => {
    socket.data.room = code;
    socket.data.playerId = playerId;
    void socket.join(code);
    // The connection dropped while the join was being stored: its player is away, as after any drop.
    if (socket.disconnected) void d.rooms.disconnect(session(socket)).catch(logged('disconnect'));
  };
  const logged = (what: string) => (e: unknown) => d.log.error(`socket: ${what} failed`, { error: String(e) });
  const detach = (socket: IoSocket) => {
    const old = socket.data.room;
    if (!old) return;
    void d.rooms.disconnect(session(socket)).catch(logged('disconnect'));
    void socket.leave(old);
    socket.data.room = null;
    socket.data.playerId = null;
  };

  /** Whatever a request succeeded on counts as used (retention): its room, the room's class, a class by its code. */
  const touched = (socket: IoSocket, event: ClientEventName, p: unknown) => {
    const used = (kind: 'room' | 'class', id: string) => d.events.emit('used', kind, id);
    const room = socket.data.room;
    if (room && event.startsWith('class:') === false) {
      used('room', room);
      const cls = d.rooms.loadedClassOf(room);
      if (cls) used('class', cls);
    }
    const code = (p as { code?: unknown }).code;
    if (event.startsWith('class:') && event !== 'class:create' && event !== 'class:delete' && typeof code === 'string') used('class', code.toUpperCase());
    if (event === 'class:join' && room) used('room', room);
  };

  const handlers: Handlers = {
    'room:create': async (socket, p) => {
      const admitted = await admitRoom(d.admission, socket, p);
      if (!admitted.ok) return admitted;
      detach(socket);
      const r = await d.rooms.create(session(socket), p);
      if (r.ok) enter(socket, r.data.code, r.data.playerId);
      if (!r.ok) return r;
      const { code: _code, ...data } = r.data;
      return { ok: true, data };
    },
    'room:join': async (socket, p) => {
      if (socket.data.room && socket.data.room !== p.code) detach(socket);
      const r = await d.rooms.join(session(socket), p.code, p.name, p.token);
      if (r.ok) enter(socket, p.code, r.data.playerId);
      return r;
    },
    'room:leave': async (socket) => {
      const code = socket.data.room;
      const r = await d.rooms.leave(session(socket));
      if (r.ok && code) {
        void socket.leave(code);
        socket.data.room = null;
        socket.data.playerId = null;
      }
      return r;
    },
    'room:away': (socket) => {
      detach(socket);
      return { ok: true, data: {} };
    },
    'role:claim': (socket, p) => d.rooms.claim(session(socket), p.role),
    'role:release': (socket, p) => d.rooms.release(session(socket), p.playerId),
    'role:handover': (socket, p) => d.rooms.handover(session(socket), p.to, p.role),
    'host:handover': (socket, p) => d.rooms.handoverHost(session(socket), p.to),
    'game:act': (socket, p) => d.rooms.act(session(socket), p),
    'game:undo': (socket, p) => d.rooms.undo(session(socket), p.version),
    'game:restart': (socket, p) => d.rooms.restart(session(socket), p.version),
    'game:jump': (socket, p) => d.rooms.jump(session(socket), p),
    'game:mode': (socket, p) => d.rooms.setMode(session(socket), p.mode),
    'bot:set': (socket, p) => d.rooms.setBot(session(socket), p),
    'progress:get': async (_socket, p) => {
      const got = await d.store.getProgress(nameKey(p.name));
      return { ok: true, data: { name: got?.name ?? p.name, won: got?.won ?? [] } };
    },
    'class:create': async (socket, p) => {
      const admitted = await admitRoom(d.admission, socket, { lesson: p.lesson }, 'class');
      return admitted.ok ? d.classes.create(p.name, p.lesson, p.grouping, p.mode) : admitted;
    },
    'class:join': async (socket, p) => {
      detach(socket);
      const r = await d.classes.join(session(socket), p);
      if (r.ok && r.data.joined) {
        const room = r.data.joined.room.code;
        enter(socket, room, r.data.joined.playerId);
      }
      return r;
    },
    'class:watch': async (socket, p) => {
      const r = await d.classes.watch(p.code, p.teacherToken);
      if (r.ok) void socket.join(classChannel(p.code));
      return r;
    },
    'class:stop': (_socket, p) => d.classes.stop(p.code, p.teacherToken),
    'class:controls': (_socket, p) => d.classControls.setControls(p),
    'class:restart': (_socket, p) => d.classControls.restart(p),
    'class:rotate': (_socket, p) => d.classControls.rotate(p),
    'class:move': (_socket, p) => d.classControls.move(p),
    'class:delete': async (socket, p) => {
      const r = await d.classes.delete(p.code, p.teacherToken);
      if (r.ok) {
        const channel = classChannel(p.code);
        socket.nsp.to(channel).emit('class:revoked', { code: p.code });
        socket.nsp.in(channel).socketsLeave(channel);
      }
      return r;
    },
    'class:rekey': async (socket, p) => {
      const r = await d.classes.rekey(p.code, p.teacherToken);
      if (r.ok) {
        // Dashboards opened with the old link are told and stop receiving the class; this one keeps it.
        const channel = classChannel(p.code);
        socket.to(channel).emit('class:revoked', { code: p.code });
        socket.nsp.in(channel).except(socket.id).socketsLeave(channel);
      }
      return r;
    },
  };

  io.on('connection', (socket: IoSocket) => {
    socket.data.room = null;
    socket.data.playerId = null;
    const bound = Object.fromEntries(
      (Object.keys(handlers) as ClientEventName[]).map((e) => [e, (p: never) => {
        const run = () => (handlers[e] as (s: IoSocket, p: unknown) => Result<unknown> | Promise<Result<unknown>>)(socket, p);
        const misses = CODE_LOOKUPS[e];
        const r = misses ? guardLookup(d.admission, socket.request, misses, run, (m) => fail('rate_limited', m)) : run();
        const after = (x: Result<unknown>) => {
          if (x.ok) touched(socket, e, p);
          return x;
        };
        return r instanceof Promise ? r.then(after) : after(r);
      }]),
    ) as { [E in ClientEventName]: (p: never) => Result<unknown> | Promise<Result<unknown>> };
    gate(socket as unknown as GatedSocket, {
      namespace: 'game',
      schemas: PAYLOAD_SCHEMAS,
      rateLimit: d.rateLimit,
      clock: d.clock,
      log: d.log,
      versioned: VERSIONED,
      maxJsonChars: PAYLOAD_MAX,
      ...(d.timed ? { timed: d.timed } : {}),
    }, bound);

    socket.on('disconnect', () => {
      void d.rooms.disconnect(session(socket)).catch(logged('disconnect'));
    });

    socket.emit('server:hello', { protocol: WIRE_VERSIONS.game, notebook: WIRE_VERSIONS.notebook });
  });
}
