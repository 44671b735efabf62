// What the game's requests do at the authority of their home (the room's, or the class's):
// one call into the room or class service, then the connection's room membership (through
// io.in(socketId), which reaches the socket on whichever node it is connected) and the
// session the edge keeps for it. The edge (server/socket.ts) runs these here in one
// process, or the router sends them to the home's owner in cluster mode; either way they
// are the same code. A call is plain data (event, payload, session), so it can travel.

import type { PayloadOf, ReplyOf, SocketData } from '../protocol/events.js';
import type { ClientEventName } from '../protocol/schemas.js';
import type { ClassControlService } from './class-controls.js';
import type { ClassService } from './classes.js';
import type { AppEvents } from './events.js';
import { fail, type Result } from './result.js';
import { nameKey } from './runs.js';
import type { RoomService, Session } from './rooms.js';
import type { IoServer } from './io-types.js';
import type { AnyStore } from './store/port.js';

/** What the edge keeps of a connection between requests (its room, player, the room's home, its seat's token). */
export type EdgeSession = SocketData;
type SeatKey = NonNullable<SocketData['seat']>;

export const NO_SESSION: EdgeSession = { room: null, playerId: null, home: null, seat: null };

/** A game request as it travels to its home's owner. `room:disconnect` is the edge saying the connection dropped. */
export type GameCall =
  | { ns: 'game'; event: GameOpName; payload: unknown; socketId: string; session: EdgeSession };

export type GameOpName = Exclude<ClientEventName, 'room:create' | 'class:create' | 'progress:get'> | 'room:disconnect';

/** The answer, and the connection's session afterwards (absent: unchanged). */
export interface GameAnswer {
  result: Result<unknown>;
  session?: EdgeSession;
}

export interface GameOpsDeps {
  io: () => IoServer;
  rooms: RoomService;
  classes: ClassService;
  classControls: ClassControlService;
  events: AppEvents;
  /** The home of a room, as the authority knows it (its class's code for a class room). */
  homeOf: (room: string, classCode: string | null) => string;
}

export const classChannel = (code: string) => `class:${code}`;

/** The requests made in the connection's room (they need its seat attached). */
const IN_ROOM: ReadonlySet<GameOpName> = new Set<GameOpName>([
  'room:leave', 'role:claim', 'role:release', 'role:handover', 'host:handover', 'game:act', 'game:undo', 'game:restart', 'game:jump', 'game:sync', 'game:mode', 'bot:set',
]);

type Op<E extends GameOpName> = (socketId: string, s: EdgeSession, p: E extends ClientEventName ? PayloadOf<E> : Record<string, never>) => Promise<GameAnswer>;

const sessionOf = (socketId: string, s: EdgeSession): Session => ({ socketId, room: s.room, playerId: s.playerId });

/** The requests that create a room, a class or read progress: they run where they arrive (a new home is made there). */
export interface LocalOps {
  'room:create': (socketId: string, p: PayloadOf<'room:create'>) => Promise<GameAnswer>;
  'class:create': (p: PayloadOf<'class:create'>) => Promise<Result<ReplyOf<'class:create'>>>;
  'progress:get': (p: PayloadOf<'progress:get'>) => Promise<Result<ReplyOf<'progress:get'>>>;
}

export function gameOps(d: GameOpsDeps, store: AnyStore): { serve: (call: GameCall) => Promise<GameAnswer>; local: LocalOps } {
  const io = d.io;
  const join = (socketId: string, room: string) => { io().in(socketId).socketsJoin(room); };
  const leave = (socketId: string, room: string) => { io().in(socketId).socketsLeave(room); };
  const seated = (socketId: string, code: string, playerId: string, classCode: string | null, seat: SeatKey): EdgeSession => {
    join(socketId, code);
    return { room: code, playerId, home: d.homeOf(code, classCode), seat };
  };
  const detached = (socketId: string, s: EdgeSession): EdgeSession => {
    if (s.room) leave(socketId, s.room);
    return NO_SESSION;
  };

  /** Whatever a request succeeded on counts as used (retention): its room, the room's class, a class by its code. */
  const touched = (event: GameOpName, s: EdgeSession, p: unknown) => {
    const used = (kind: 'room' | 'class', id: string) => d.events.emit('used', kind, id);
    if (s.room && !event.startsWith('class:')) {
      used('room', s.room);
      const cls = d.rooms.loadedClassOf(s.room);
      if (cls) used('class', cls);
    }
    const code = (p as { code?: unknown } | null)?.code;
    if (event.startsWith('class:') && event !== 'class:delete' && typeof code === 'string') used('class', code.toUpperCase());
    if (event === 'class:join' && s.room) used('room', s.room);
  };

  const plain = <T>(r: Result<T> | Promise<Result<T>>) => Promise.resolve(r).then((result): GameAnswer => ({ result }));

  const ops: { [E in GameOpName]: Op<E> } = {
    'room:disconnect': async (socketId, s) => {
      await d.rooms.disconnect(sessionOf(socketId, s));
      return { result: { ok: true, data: {} } };
    },
    'room:join': async (socketId, s, p) => {
      const r = await d.rooms.join(sessionOf(socketId, s), p.code, p.name, p.token);
      if (!r.ok) return { result: r };
      return { result: r, session: seated(socketId, p.code, r.data.playerId, r.data.room.classCode, { code: p.code, name: p.name, token: r.data.token }) };
    },
    'room:leave': async (socketId, s) => {
      const r = await d.rooms.leave(sessionOf(socketId, s));
      return r.ok ? { result: r, session: detached(socketId, s) } : { result: r };
    },
    'room:away': async (socketId, s) => {
      await d.rooms.disconnect(sessionOf(socketId, s));
      return { result: { ok: true, data: {} }, session: detached(socketId, s) };
    },
    'role:claim': (socketId, s, p) => plain(d.rooms.claim(sessionOf(socketId, s), p.role)),
    'role:release': (socketId, s, p) => plain(d.rooms.release(sessionOf(socketId, s), p.playerId)),
    'role:handover': (socketId, s, p) => plain(d.rooms.handover(sessionOf(socketId, s), p.to, p.role)),
    'host:handover': (socketId, s, p) => plain(d.rooms.handoverHost(sessionOf(socketId, s), p.to)),
    'game:act': (socketId, s, p) => plain(d.rooms.act(sessionOf(socketId, s), p)),
    'game:undo': (socketId, s, p) => plain(d.rooms.undo(sessionOf(socketId, s), p.version)),
    'game:restart': (socketId, s, p) => plain(d.rooms.restart(sessionOf(socketId, s), p.version)),
    'game:jump': (socketId, s, p) => plain(d.rooms.jump(sessionOf(socketId, s), p)),
    'game:sync': (socketId, s, p) => plain(d.rooms.sync(sessionOf(socketId, s), p.code)),
    'game:mode': (socketId, s, p) => plain(d.rooms.setMode(sessionOf(socketId, s), p.mode)),
    'bot:set': (socketId, s, p) => plain(d.rooms.setBot(sessionOf(socketId, s), p)),
    'class:join': async (socketId, s, p) => {
      const r = await d.classes.join(sessionOf(socketId, s), p);
      if (!r.ok || !r.data.joined) return { result: r };
      const j = r.data.joined;
      return { result: r, session: seated(socketId, j.room.code, j.playerId, j.room.classCode, { code: j.room.code, name: p.name, token: j.token }) };
    },
    'class:watch': async (socketId, _s, p) => {
      const r = await d.classes.watch(p.code, p.teacherToken);
      if (r.ok) join(socketId, classChannel(p.code));
      return { result: r };
    },
    'class:stop': (_id, _s, p) => plain(d.classes.stop(p.code, p.teacherToken)),
    'class:controls': (_id, _s, p) => plain(d.classControls.setControls(p)),
    'class:restart': (_id, _s, p) => plain(d.classControls.restart(p)),
    'class:rotate': (_id, _s, p) => plain(d.classControls.rotate(p)),
    'class:move': (_id, _s, p) => plain(d.classControls.move(p)),
    'class:delete': async (_id, _s, p) => {
      const r = await d.classes.delete(p.code, p.teacherToken);
      if (r.ok) {
        const channel = classChannel(p.code);
        io().to(channel).emit('class:revoked', { code: p.code });
        io().in(channel).socketsLeave(channel);
      }
      return { result: r };
    },
    'class:rekey': async (socketId, _s, p) => {
      const r = await d.classes.rekey(p.code, p.teacherToken);
      if (r.ok) {
        // Dashboards opened with the old link are told and stop receiving the class; this one keeps it.
        const channel = classChannel(p.code);
        io().to(channel).except(socketId).emit('class:revoked', { code: p.code });
        io().in(channel).except(socketId).socketsLeave(channel);
      }
      return { result: r };
    },
  };

  return {
    async serve(call) {
      const op = ops[call.event] as Op<GameOpName> | undefined;
      if (!op) return { result: fail('bad_request', `unknown request ${call.event}`) };
      let a = await op(call.socketId, call.session, call.payload as never);
      const seat = call.session.seat;
      // The room moved to this node just now and this connection's seat is not attached here
      // yet (the new owner's replay has every player away): it takes its seat with its token,
      // then the request runs. Only a seat nobody holds: a replaced connection stays replaced.
      if (!a.result.ok && a.result.error.code === 'not_in_room' && IN_ROOM.has(call.event) && seat && call.session.room === seat.code
        && (await d.rooms.seatFree(seat.code, seat.token))) {
        const j = await ops['room:join'](call.socketId, call.session, { code: seat.code, name: seat.name, token: seat.token } as never);
        if (j.session) {
          const again = await op(call.socketId, j.session, call.payload as never);
          a = { result: again.result, session: again.session ?? j.session };
        }
      }
      if (a.result.ok && call.event !== 'room:disconnect') touched(call.event, a.session ?? call.session, call.payload);
      return a;
    },
    local: {
      'room:create': async (socketId, p) => {
        const r = await d.rooms.create({ socketId, room: null, playerId: null }, p);
        if (!r.ok) return { result: r };
        const { code, ...data } = r.data;
        d.events.emit('used', 'room', code);
        return { result: { ok: true, data }, session: seated(socketId, code, r.data.playerId, null, { code, name: p.name, token: r.data.token }) };
      },
      'class:create': async (p) => d.classes.create(p.name, p.lesson, p.grouping, p.mode),
      'progress:get': async (p) => {
        const got = await store.getProgress(nameKey(p.name));
        return { ok: true, data: { name: got?.name ?? p.name, won: got?.won ?? [] } };
      },
    },
  };
}
