// A room as the room service holds it in memory, and the read-only faces it shows: the
// rules' Table, the wire's RoomView and GameView. Only server/rooms.ts changes a LiveRoom;
// everything else gets one of the views built here.

import { enabledActions, type EngineEvent, type State } from '../engine/index.js';
import type { ClassControls, GameStep, GameView, PlayerView, RoomView, TraceStep } from '../protocol/events.js';
import type { Table } from '../protocol/rules.js';
import { referee, type GraphCache } from './graphs.js';
import { lessonRef, type Lesson } from './lessons.js';
import type { PlayerRecord, RoomRecord } from './store/port.js';

export interface LivePlayer extends PlayerRecord {
  socketId: string | null;
  lastSeen: number;
  /** When they last stepped (ms, in memory only): with lastSeen, how long a student has been quiet. */
  lastActive?: number;
}

export interface LiveRoom {
  rec: RoomRecord;
  lesson: Lesson | null;
  players: LivePlayer[];
  /** This run's steps: replaced on every step, undo, jump or restart, never changed in place (a cached view shares it). */
  actions: TraceStep[];
  state: State;
  lastEvents: EngineEvent[];
  /** The room's class was stopped by its teacher (rooms then refuse steps). */
  closed: boolean;
  /** A class room: what the teacher decided for the class (pause, the host's controls); null outside a class. */
  controls: ClassControls | null;
  /** Cached views, cleared whenever what they show changes. */
  game: GameView | null;
  view: RoomView | null;
  /** The version after the last undo, jump or restart (or the load): later versions were steps only. */
  rewoundAt: number;
}

export function stripLive(p: LivePlayer): PlayerRecord {
  return { id: p.id, tokenHash: p.tokenHash, name: p.name, role: p.role, joinedAt: p.joinedAt };
}

/** The room as the rules (protocol/rules.ts) see it. */
export function tableOf(room: LiveRoom): Table {
  return {
    mode: room.rec.mode,
    hostId: room.rec.hostId,
    bots: room.rec.bots,
    closed: room.closed,
    classControls: room.controls,
    players: room.players.map((p) => ({ id: p.id, name: p.name, role: p.role, connected: p.socketId !== null, lastSeen: p.lastSeen })),
  };
}

/** The room's roster and settings as every client sees them (cached until the room changes). */
export function roomViewOf(room: LiveRoom, link: string): RoomView {
  room.view ??= {
    code: room.rec.code,
    link,
    lesson: room.lesson ? lessonRef(room.lesson) : null,
    scenario: room.rec.scenario,
    mode: room.rec.mode,
    players: room.players.map((p): PlayerView => ({ id: p.id, name: p.name, role: p.role, connected: p.socketId !== null })),
    hostId: room.rec.hostId,
    bots: { ...room.rec.bots },
    seed: room.rec.seed,
    classCode: room.rec.classCode,
    ...(room.closed ? { classClosed: true } : {}),
    ...(room.controls ? { classControls: { ...room.controls } } : {}),
  };
  return room.view;
}

/** The game as every client sees it (cached until the next step, undo or restart). */
export function gameViewOf(room: LiveRoom, graphs: GraphCache): GameView {
  room.game ??= {
    code: room.rec.code,
    version: room.rec.version,
    run: room.rec.run,
    state: room.state,
    choices: enabledActions(room.state),
    actions: room.actions,
    events: room.lastEvents,
    referee: referee(graphs.get(room.rec.scenario), room.state),
    result: room.rec.result,
  };
  return room.game;
}

/**
 * The game:step delta of the room's last step (the room was just stepped): what a client
 * holding the view at version − 1 needs to compute this version's view (protocol/game-step.ts).
 * No choices, no state: the full view stays unbuilt until a join or a sync asks for it.
 */
export function gameStepOf(room: LiveRoom, graphs: GraphCache): GameStep {
  const last = room.actions[room.actions.length - 1];
  if (!last) throw new Error(`room ${room.rec.code}: no step to broadcast`);
  return {
    code: room.rec.code,
    version: room.rec.version,
    run: room.rec.run,
    step: last,
    events: room.lastEvents,
    referee: referee(graphs.get(room.rec.scenario), room.state),
    result: room.rec.result,
  };
}
