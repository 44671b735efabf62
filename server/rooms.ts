// Rooms: the authority. Each room runs one scenario; players hold roles; intents are
// checked (class open, role, version, engine), applied with the engine, written to the
// store, and only then acknowledged and broadcast. The order in which act() accepts steps
// is the run's interleaving. Nothing here knows about sockets: the transport calls these
// methods with a Session and relays the Broadcaster's messages.
//
// Invariants:
//  - a rejected request changes nothing (no memory, no store, no broadcast);
//  - the store is written before memory changes and before the caller acks;
//  - game.version grows by one per accepted act / undo / restart / jump;
//  - a room's state is always replay(scenario, actions) — undo, jump and a server restart
//    recompute it from the action list.
//
// Host is a capability, not a role: rec.hostId names the player with the host's powers, who
// may hold an actor like anyone. The host passes on when they leave, or when
// they have been away for roleGraceMs and someone else is here; an empty host seat goes to
// the next player who sits down (the first student of a class room).

import {
  enabledActions, initialState, isScenarioError, makeScenario, nextBotMove, replay, step,
  type Action, type ActorRole, type Config, type EngineEvent, type Scenario, type State,
} from '../engine/index.js';
import type {
  BotKind, BotSetPayload, GameActPayload, GameJumpPayload, GameView, JoinedData, LeftReason, Mode, PlayerView,
  Role, RoomCreatePayload, RoomView, RunResult, StepBy, TraceStep,
} from '../protocol/events.js';
import {
  botActors, botsMayPlay, creatorSeat, freeSeats, hostSuccession, isActorRole, mayClaim, mayHandOver,
  mayHandOverHost, mayJoin, mayRelease, mayRewind, maySetBot, maySetMode, mayStep, openingBots, openingMode, seatOnJoin, type Table,
} from '../protocol/rules.js';
import type { Clock, Timer } from './clock.js';
import type { AppEvents } from './events.js';
import { referee, type GraphCache } from './graphs.js';
import { hashToken, newId, newToken, seedFrom, uniqueCode } from './ids.js';
import { botGoals, lessonRef, type Lesson, type LessonCatalog } from './lessons.js';
import type { Log } from './log.js';
import { fail, ok, type Result } from './result.js';
import { finishRun } from './runs.js';
import type { PlayerRecord, RoomRecord, RunFinish, Store } from './store/port.js';

/** Who is asking: one connection, and the room/player it is attached to. */
export interface Session {
  socketId: string;
  room: string | null;
  playerId: string | null;
}

/** How the room tells its connections what changed (the socket layer implements it). */
export interface Broadcaster {
  roomState(code: string, view: RoomView): void;
  gameState(code: string, view: GameView): void;
  /** This connection is no longer attached to the room. */
  left(socketId: string, code: string, reason: LeftReason): void;
}

export interface RoomServiceOptions {
  store: Store;
  clock: Clock;
  log: Log;
  lessons: LessonCatalog;
  graphs: GraphCache;
  events: AppEvents;
  broadcaster: Broadcaster;
  /** Delay before a bot steps (ms). 0 in tests. */
  botDelayMs: number;
  /** A role held by a disconnected player can be claimed by someone else after this long (ms). */
  roleGraceMs: number;
  /** Used in links ("/r/CODE"). */
  linkBase?: string;
  /** Whether a class is closed (set by the class service). */
  classClosed?: (classCode: string) => boolean;
  /** A class room changed: its roster ('roster', at once) or its game ('step', the class service coalesces these). */
  classRoomChanged?: (classCode: string, what: 'roster' | 'step') => void;
}

interface LivePlayer extends PlayerRecord {
  socketId: string | null;
  lastSeen: number;
}

interface LiveRoom {
  rec: RoomRecord;
  lesson: Lesson | null;
  players: LivePlayer[];
  actions: TraceStep[];
  state: State;
  lastEvents: EngineEvent[];
  game: GameView | null;
  view: RoomView | null;
  botTimer: Timer | null;
  /** Passes the host on if the host stays away (set while the host is disconnected). */
  hostTimer: Timer | null;
  /** The version after the last undo, jump or restart (or the load): later versions were steps only. */
  rewoundAt: number;
}

/** The caller's player in its room, or the rejection to send. */
type Attached = { room: LiveRoom; player: LivePlayer };

export class RoomService {
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly o: RoomServiceOptions;
  /** Counters for /metrics. */
  readonly stats = { acts: 0, rejected: 0, broadcasts: 0, botSteps: 0 };

  constructor(opts: RoomServiceOptions) {
    this.o = opts;
  }

  link(code: string): string {
    return `${this.o.linkBase ?? ''}/r/${code}`;
  }

  get loadedRooms(): number {
    return this.rooms.size;
  }

  // ---------------------------------------------------------------- loading and views

  /** The live room, loading it from the store (and replaying its actions) on first use. */
  room(code: string): LiveRoom | null {
    const live = this.rooms.get(code);
    if (live) return live;
    const loaded = this.o.store.loadRoom(code);
    if (!loaded) return null;
    const { room: rec, players, actions } = loaded;
    const lesson = rec.lesson ? (this.o.lessons.get(rec.lesson) ?? null) : null;
    const r = replay(rec.scenario, actions);
    let kept = actions;
    let state: State;
    if (r.ok) state = r.final;
    else {
      // The engine no longer accepts the stored trace: keep its legal prefix, and say so.
      this.o.log.error('room: stored actions no longer replay; keeping the legal prefix', { room: code, index: r.index, error: r.error.message });
      kept = actions.slice(0, r.index);
      state = r.frames.length ? r.frames[r.frames.length - 1]!.state : initialState(rec.scenario);
      this.o.store.truncateActions(code, r.index, { result: null });
      rec.result = null;
    }
    const now = this.o.clock.now();
    const room: LiveRoom = {
      rec,
      lesson,
      players: players.map((p) => ({ ...p, socketId: null, lastSeen: now })),
      actions: kept,
      state,
      lastEvents: [],
      game: null,
      view: null,
      botTimer: null,
      hostTimer: null,
      rewoundAt: rec.version,
    };
    if (rec.hostId !== null && !room.players.some((p) => p.id === rec.hostId)) rec.hostId = null;
    this.rooms.set(code, room);
    return room;
  }

  roomView(room: LiveRoom): RoomView {
    if (!room.view) {
      room.view = {
        code: room.rec.code,
        link: this.link(room.rec.code),
        lesson: room.lesson ? lessonRef(room.lesson) : null,
        scenario: room.rec.scenario,
        mode: room.rec.mode,
        players: room.players.map((p): PlayerView => ({ id: p.id, name: p.name, role: p.role, connected: p.socketId !== null })),
        hostId: room.rec.hostId,
        bots: { ...room.rec.bots },
        seed: room.rec.seed,
        classCode: room.rec.classCode,
        ...(this.closed(room) ? { classClosed: true } : {}),
      };
    }
    return room.view;
  }

  gameView(room: LiveRoom): GameView {
    if (!room.game) {
      const g = this.o.graphs.get(room.rec.scenario);
      room.game = {
        code: room.rec.code,
        version: room.rec.version,
        run: room.rec.run,
        state: room.state,
        choices: enabledActions(room.state),
        actions: room.actions.slice(),
        events: room.lastEvents,
        referee: referee(g, room.state),
        result: room.rec.result,
      };
    }
    return room.game;
  }

  private roomChanged(room: LiveRoom): void {
    room.view = null;
    this.o.broadcaster.roomState(room.rec.code, this.roomView(room));
    if (room.rec.classCode) this.o.classRoomChanged?.(room.rec.classCode, 'roster');
  }

  private gameChanged(room: LiveRoom): void {
    room.game = null;
    this.stats.broadcasts++;
    this.o.broadcaster.gameState(room.rec.code, this.gameView(room));
    if (room.rec.classCode) this.o.classRoomChanged?.(room.rec.classCode, 'step');
  }

  private joined(room: LiveRoom, player: LivePlayer, token: string): JoinedData {
    return { playerId: player.id, token, role: player.role, room: this.roomView(room), game: this.gameView(room) };
  }

  /** Gives the host's powers to `to` (or nobody). */
  private setHost(room: LiveRoom, to: LivePlayer | null): void {
    const hostId = to?.id ?? null;
    if (room.rec.hostId === hostId) return;
    this.o.store.updateRoom(room.rec.code, { hostId });
    room.rec.hostId = hostId;
    this.cancelHostTimer(room);
  }

  /**
   * An empty host seat, or a host who left or has been away for roleGraceMs, passes to the
   * connected player who joined first. Returns whether the host changed.
   */
  private passHostIfGone(room: LiveRoom, rewatch = true): boolean {
    const next = hostSuccession(this.table(room), this.o.clock.now(), this.o.roleGraceMs);
    if (next.kind === 'wait') {
      // Away, but not for long yet (or the room was just loaded): look again when the grace ends.
      if (rewatch && !room.hostTimer && room.players.some((p) => p.socketId !== null)) this.watchHost(room, next.ms);
      return false;
    }
    if (next.kind === 'stays') return false;
    const from = room.rec.hostId;
    this.setHost(room, room.players.find((p) => p.id === next.to.id)!);
    this.o.log.info('room: host passed on', { room: room.rec.code, from, to: next.to.id });
    return true;
  }

  private watchHost(room: LiveRoom, ms: number): void {
    this.cancelHostTimer(room);
    room.hostTimer = this.o.clock.setTimeout(() => {
      room.hostTimer = null;
      if (this.rooms.get(room.rec.code) === room && this.passHostIfGone(room, false)) this.roomChanged(room);
    }, ms);
  }

  private cancelHostTimer(room: LiveRoom): void {
    room.hostTimer?.cancel();
    room.hostTimer = null;
  }

  /** The live player the rules named. */
  private player(room: LiveRoom, id: string): LivePlayer {
    return room.players.find((p) => p.id === id)!;
  }

  private attached(s: Session): Result<Attached> {
    if (!s.room || !s.playerId) return fail('not_in_room', 'join a room first (room:join)');
    const room = this.room(s.room);
    const player = room?.players.find((p) => p.id === s.playerId);
    if (!room || !player || player.socketId !== s.socketId) return fail('not_in_room', 'this connection is not in a room any more; join again');
    return ok({ room, player });
  }

  /** The room `code` as the rules see it (loading it), or null. */
  tableOf(code: string): Table | null {
    const room = this.room(code);
    return room ? this.table(room) : null;
  }

  /** The room as the rules (protocol/rules.ts) see it. */
  table(room: LiveRoom): Table {
    return {
      mode: room.rec.mode,
      hostId: room.rec.hostId,
      bots: room.rec.bots,
      closed: this.closed(room),
      players: room.players.map((p) => ({ id: p.id, name: p.name, role: p.role, connected: p.socketId !== null, lastSeen: p.lastSeen })),
    };
  }

  private closed(room: LiveRoom): boolean {
    return room.rec.classCode !== null && (this.o.classClosed?.(room.rec.classCode) ?? false);
  }

  // ---------------------------------------------------------------- rooms and players

  /** Opens a room for a lesson or a custom scenario; the creator joins it (see creatorRole). */
  create(s: Session, p: RoomCreatePayload): Result<JoinedData & { code: string }> {
    let lesson: Lesson | null = null;
    let scenario: Scenario;
    if (p.lesson !== undefined) {
      lesson = this.o.lessons.get(p.lesson) ?? null;
      if (!lesson) return fail('unknown_lesson', `no lesson "${p.lesson}"; GET /api/lessons lists them`);
      scenario = this.o.lessons.scenario(lesson);
    } else if (p.scenario) {
      const sc = makeScenario(p.scenario.variant, p.scenario.config, (p.scenario.overrides ?? {}) as Partial<Config>);
      if (isScenarioError(sc)) return fail('bad_scenario', sc.message);
      scenario = sc;
    } else return fail('bad_request', 'give exactly one of lesson or scenario');
    const { room, player, token } = this.open({ lesson, scenario, mode: p.mode, seed: p.seed, classCode: null, creator: { name: p.name, role: creatorRole(lesson) } });
    if (!player) throw new Error('open() with a creator returns a player');
    this.attach(room, player, s.socketId);
    return ok({ code: room.rec.code, ...this.joined(room, player, token) });
  }

  /**
   * Creates and stores a room (for create(), classes and notebooks). The creator, if any, is
   * its first player and its host, in `role` (an actor, or 'spectator' for none).
   * Without a mode: race when the creator holds an actor (bots play the others); scheduler
   * when the creator schedules (a solo learner picks every step, as the campaign expects);
   * with no creator, the lesson's suggested mode.
   */
  open(args: { lesson: Lesson | null; scenario: Scenario; mode?: Mode | undefined; seed?: number | undefined; classCode: string | null; creator: { name: string; role: Role } | null }): { room: LiveRoom; player: LivePlayer | null; token: string } {
    const now = this.o.clock.now();
    const code = uniqueCode((c) => this.rooms.has(c) || this.o.store.codeTaken(c));
    const seed = args.seed ?? seedFrom('seed', code);
    const lesson = args.lesson;
    const token = newToken();
    const player: LivePlayer | null = args.creator
      ? { id: newId(), tokenHash: hashToken(token), name: args.creator.name, role: args.creator.role, joinedAt: now, socketId: null, lastSeen: now }
      : null;
    const rec: RoomRecord = {
      code,
      lesson: lesson?.id ?? null,
      scenario: args.scenario,
      mode: args.mode ?? openingMode(args.creator?.role ?? null, lesson?.mode ?? null),
      bots: openingBots(args.classCode !== null, lesson ? { victim: lesson.roles.victim.bot, reaper: lesson.roles.reaper.bot, allocator: lesson.roles.allocator.bot } : null),
      seed,
      runSeed: seedFrom(seed, 1),
      version: 0,
      run: 1,
      runStartedAt: now,
      result: null,
      classCode: args.classCode,
      hostId: player?.id ?? null,
      createdAt: now,
    };
    this.o.store.createRoom(rec, player ? stripLive(player) : null);
    const room: LiveRoom = {
      rec,
      lesson,
      players: player ? [player] : [],
      actions: [],
      state: initialState(args.scenario),
      lastEvents: [],
      game: null,
      view: null,
      botTimer: null,
      hostTimer: null,
      rewoundAt: 0,
    };
    this.rooms.set(code, room);
    this.o.log.info('room: created', { room: code, lesson: rec.lesson, class: rec.classCode });
    return { room, player, token };
  }

  /** Joins (or, with a token, rejoins) a room. A rejoin takes the player over from any older connection. */
  join(s: Session, code: string, name: string, token?: string, role: Role = 'spectator'): Result<JoinedData> {
    const room = this.room(code);
    if (!room) return fail('unknown_room', `no room with code ${code}; check the code or ask for a new link`);
    const entry = mayJoin(this.table(room));
    if (!entry.ok) return fail(entry.code, entry.message);
    // One connection is one player per room: the player this connection already has here is
    // taken over (joined again without a token) or let go like a dropped connection (a token for another seat).
    const current = s.room === code ? (room.players.find((p) => p.id === s.playerId && p.socketId === s.socketId) ?? null) : null;
    if (token !== undefined) {
      const hash = hashToken(token);
      const player = room.players.find((p) => p.tokenHash === hash);
      if (!player) return fail('bad_token', 'this saved seat is not in the room any more; join again without a token');
      if (current && current !== player) this.disconnect(s);
      this.rename(room, player, name);
      this.attach(room, player, s.socketId);
      return ok(this.joined(room, player, token));
    }
    if (current) {
      // A fresh token for the same player: the old one stops working, as a new seat's would.
      const fresh = newToken();
      current.tokenHash = hashToken(fresh);
      current.name = name;
      this.o.store.upsertPlayer(code, stripLive(current));
      this.attach(room, current, s.socketId);
      return ok(this.joined(room, current, fresh));
    }
    const now = this.o.clock.now();
    const newToken_ = newToken();
    const player: LivePlayer = { id: newId(), tokenHash: hashToken(newToken_), name, role: 'spectator', joinedAt: now, socketId: null, lastSeen: now };
    player.role = seatOnJoin(this.table(room), role);
    this.o.store.upsertPlayer(code, stripLive(player));
    room.players.push(player);
    this.attach(room, player, s.socketId);
    return ok(this.joined(room, player, newToken_));
  }

  private rename(room: LiveRoom, player: LivePlayer, name: string): void {
    if (player.name === name) return;
    this.o.store.upsertPlayer(room.rec.code, { ...stripLive(player), name });
    player.name = name;
  }

  private attach(room: LiveRoom, player: LivePlayer, socketId: string): void {
    const old = player.socketId;
    player.socketId = socketId;
    player.lastSeen = this.o.clock.now();
    if (old !== null && old !== socketId) this.o.broadcaster.left(old, room.rec.code, 'replaced');
    if (player.id === room.rec.hostId) this.cancelHostTimer(room);
    this.passHostIfGone(room);
    this.roomChanged(room);
    this.scheduleBots(room);
  }

  /** The connection dropped: the player keeps the role (for roleGraceMs at least) and can rejoin with the token. */
  disconnect(s: Session): void {
    if (!s.room || !s.playerId) return;
    const room = this.rooms.get(s.room);
    const player = room?.players.find((p) => p.id === s.playerId);
    if (!room || !player || player.socketId !== s.socketId) return;
    player.socketId = null;
    player.lastSeen = this.o.clock.now();
    // If the host stays away, the host's powers pass to someone who is here.
    if (player.id === room.rec.hostId) this.watchHost(room, this.o.roleGraceMs);
    this.roomChanged(room);
    if (!room.players.some((p) => p.socketId !== null)) this.cancelBots(room);
  }

  /** Leaves for good: the player and the role are gone; a leaving host's powers pass to the next player here. */
  leave(s: Session): Result<Record<string, never>> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    this.o.store.removePlayer(room.rec.code, player.id);
    room.players = room.players.filter((p) => p !== player);
    player.socketId = null;
    if (room.rec.hostId === player.id) {
      this.setHost(room, null);
      this.passHostIfGone(room);
    }
    this.roomChanged(room);
    this.scheduleBots(room);
    return ok({});
  }

  /** Takes an actor role (a disconnected holder's after roleGraceMs), or 'spectator' to give yours up. */
  claim(s: Session, role: Role): Result<{ role: Role }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    if (player.role === role) return ok({ role });
    const d = mayClaim(this.table(room), player.id, role, this.o.clock.now(), this.o.roleGraceMs);
    if (!d.ok) return fail(d.code, d.message);
    const changed: LivePlayer[] = [player];
    const holder = d.displaced ? this.player(room, d.displaced.id) : null;
    if (holder) {
      holder.role = 'spectator';
      changed.push(holder);
    }
    player.role = role;
    this.o.store.upsertPlayers(room.rec.code, changed.map(stripLive));
    this.roomChanged(room);
    this.scheduleBots(room);
    return ok({ role });
  }

  /** Gives up your actor role, or (the host) another player's; they keep watching. */
  release(s: Session, playerId?: string): Result<{ role: Role }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    const d = mayRelease(this.table(room), player.id, playerId ?? player.id);
    if (!d.ok) return fail(d.code, d.message);
    const target = this.player(room, d.target.id);
    if (isActorRole(target.role)) {
      target.role = 'spectator';
      this.o.store.upsertPlayer(room.rec.code, stripLive(target));
      this.roomChanged(room);
      this.scheduleBots(room);
    }
    return ok({ role: player.role });
  }

  /**
   * Gives an actor role to another player: your own, or (the host) any. Its holder, if any,
   * keeps watching; the receiver's old actor role becomes free.
   */
  handover(s: Session, to: string, role?: ActorRole): Result<{ role: Role }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    const d = mayHandOver(this.table(room), player.id, to, role);
    if (!d.ok) return fail(d.code, d.message);
    const give = d.give;
    const target = this.player(room, d.target.id);
    const holder = d.holder ? this.player(room, d.holder.id) : null;
    const changed = [target];
    if (holder) {
      holder.role = 'spectator';
      changed.push(holder);
    }
    target.role = give;
    this.o.store.upsertPlayers(room.rec.code, changed.map(stripLive));
    this.roomChanged(room);
    this.scheduleBots(room);
    return ok({ role: player.role });
  }

  /** The host gives the host's powers to another player; both keep their roles. */
  handoverHost(s: Session, to: string): Result<{ hostId: string }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    const d = mayHandOverHost(this.table(room), player.id, to);
    if (!d.ok) return fail(d.code, d.message);
    const target = this.player(room, d.target.id);
    this.setHost(room, target);
    this.roomChanged(room);
    return ok({ hostId: target.id });
  }

  // ---------------------------------------------------------------- the game

  act(s: Session, p: GameActPayload): Result<{ version: number }> {
    const a = this.attached(s);
    if (!a.ok) return this.rejected(a);
    const { room, player } = a.data;
    const d = mayStep(this.table(room), player.id, p.actor);
    if (!d.ok) return this.rejected(fail(d.code, d.message));
    return this.applyStep(room, { actor: p.actor, step: p.step }, { kind: 'human', playerId: player.id, name: player.name }, p.version);
  }

  private rejected<T>(r: Result<T>): Result<T> {
    this.stats.rejected++;
    return r;
  }

  /** The one path every step takes, human or bot: version, engine, store, memory, broadcast. */
  private applyStep(room: LiveRoom, action: Action, by: StepBy, version: number): Result<{ version: number }> {
    const rec = room.rec;
    if (version !== rec.version && !(by.kind === 'human' && this.stillIntended(room, action, version))) {
      return this.rejected(fail('stale_version', `the game moved on (version ${rec.version}, you saw ${version}); look again and retry`, { version: rec.version }));
    }
    const r = step(room.state, action);
    if (!r.ok) return this.rejected(fail(r.error.code, r.error.message));
    const traceStep: TraceStep = { actor: action.actor, step: action.step, by };
    const actions = [...room.actions, traceStep];
    const nextVersion = rec.version + 1;
    let finish: RunFinish | null = null;
    if (r.state.outcome) finish = finishRun({ rec: room.rec, lesson: room.lesson, table: this.table(room) }, r.state, actions, this.o.clock.now(), newId() + newId());
    try {
      this.o.store.appendAction(rec.code, room.actions.length, traceStep, { version: nextVersion, ...(finish ? { result: finish.result } : {}) }, finish);
    } catch (e) {
      this.o.log.error('store: appendAction failed', { room: rec.code, error: String(e) });
      return this.rejected(fail('internal', 'the server could not save this step; nothing changed, try again'));
    }
    rec.version = nextVersion;
    if (finish) rec.result = finish.result;
    room.actions = actions;
    room.state = r.state;
    room.lastEvents = r.events;
    this.stats.acts++;
    if (by.kind === 'bot') this.stats.botSteps++;
    this.gameChanged(room);
    if (finish) {
      // After the ack: listeners (notebook trace cells, class views) never delay the step.
      const trace = finish.trace;
      setImmediate(() => {
        try {
          this.o.events.emit('run:finished', trace);
        } catch (e) {
          this.o.log.error('run:finished listener threw', { room: rec.code, error: String(e) });
        }
      });
    }
    this.scheduleBots(room);
    return ok({ version: nextVersion });
  }

  /**
   * A race click that arrived just after other actors' steps (same run, steps only since
   * the version it saw) whose actor still offers the same step goes in next, in arrival
   * order; a click whose intended step changed (or whose actor has moved since) is stale.
   */
  private stillIntended(room: LiveRoom, action: Action, version: number): boolean {
    const rec = room.rec;
    if (rec.mode !== 'race' || version > rec.version || version < room.rewoundAt) return false;
    const since = room.actions.slice(room.actions.length - (rec.version - version));
    if (since.some((a) => a.actor === action.actor)) return false;
    return enabledActions(room.state).some((c) => c.actor === action.actor && c.step === action.step && c.enabled);
  }

  private hostCheck(s: Session, version: number): Result<Attached> {
    const a = this.attached(s);
    if (!a.ok) return this.rejected(a);
    const { room, player } = a.data;
    const d = mayRewind(this.table(room), player.id);
    if (!d.ok) return this.rejected(fail(d.code, d.message));
    if (version !== room.rec.version) {
      return this.rejected(fail('stale_version', `the game moved on (version ${room.rec.version}, you saw ${version}); look again and retry`, { version: room.rec.version }));
    }
    return a;
  }

  /** Keeps the first `keep` steps (undo, jump) or starts a new run (restart), recomputing the state by replay. */
  private rewind(room: LiveRoom, keep: number, restart: boolean): Result<{ version: number }> {
    const rec = room.rec;
    const kept = room.actions.slice(0, keep);
    const r = replay(rec.scenario, kept);
    if (!r.ok) throw new Error(`room ${rec.code}: a stored prefix no longer replays at ${r.index}: ${r.error.message}`);
    const version = rec.version + 1;
    const now = this.o.clock.now();
    // The result follows the state: only the whole of a finished run (a jump to its end) keeps it.
    const keepsResult = !restart && keep === room.actions.length && r.final.outcome !== null;
    const patch = restart
      ? { version, run: rec.run + 1, runStartedAt: now, runSeed: seedFrom(rec.seed, rec.run + 1), result: null }
      : { version, result: keepsResult ? rec.result : null };
    try {
      this.o.store.truncateActions(rec.code, keep, patch);
    } catch (e) {
      this.o.log.error('store: truncateActions failed', { room: rec.code, error: String(e) });
      return this.rejected(fail('internal', 'the server could not save this change; nothing changed, try again'));
    }
    Object.assign(rec, patch);
    room.rewoundAt = version;
    room.actions = kept;
    room.state = r.final;
    room.lastEvents = [];
    this.gameChanged(room);
    this.scheduleBots(room);
    return ok({ version });
  }

  undo(s: Session, version: number): Result<{ version: number }> {
    const a = this.hostCheck(s, version);
    if (!a.ok) return a;
    const { room } = a.data;
    if (room.actions.length === 0) return this.rejected(fail('nothing_to_undo', 'no step to undo in this run'));
    return this.rewind(room, room.actions.length - 1, false);
  }

  jump(s: Session, p: GameJumpPayload): Result<{ version: number }> {
    const a = this.hostCheck(s, p.version);
    if (!a.ok) return a;
    const { room } = a.data;
    if (p.to > room.actions.length) return this.rejected(fail('bad_step_index', `this run has ${room.actions.length} steps; jump to 0..${room.actions.length}`));
    return this.rewind(room, p.to, false);
  }

  restart(s: Session, version: number): Result<{ version: number }> {
    const a = this.hostCheck(s, version);
    if (!a.ok) return a;
    return this.rewind(a.data.room, 0, true);
  }

  setMode(s: Session, mode: Mode): Result<{ mode: Mode }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    const d = maySetMode(this.table(room), player.id);
    if (!d.ok) return fail(d.code, d.message);
    if (room.rec.mode !== mode) {
      this.o.store.updateRoom(room.rec.code, { mode });
      room.rec.mode = mode;
      this.roomChanged(room);
      this.scheduleBots(room);
    }
    return ok({ mode });
  }

  /** The host chooses bots; a player who holds an actor may also choose the bot of a seat nobody plays. */
  setBot(s: Session, p: BotSetPayload): Result<{ bots: Record<ActorRole, BotKind | null>; seed: number }> {
    const a = this.attached(s);
    if (!a.ok) return a;
    const { room, player } = a.data;
    const d = maySetBot(this.table(room), player.id, p.role, p.seed !== undefined);
    if (!d.ok) return fail(d.code, d.message);
    const bots = { ...room.rec.bots, [p.role]: p.kind };
    const seed = p.seed ?? room.rec.seed;
    const patch = p.seed === undefined ? { bots } : { bots, seed, runSeed: seedFrom(seed, room.rec.run) };
    this.o.store.updateRoom(room.rec.code, patch);
    Object.assign(room.rec, patch);
    this.roomChanged(room);
    this.scheduleBots(room);
    return ok({ bots: { ...bots }, seed });
  }

  // ---------------------------------------------------------------- bots

  /** Actor → bot kind for every actor whose role has a bot and no player. */
  activeBots(room: LiveRoom): Partial<Record<string, BotKind>> {
    return botActors(this.table(room), enabledActions(room.state));
  }

  private botsMayPlay(room: LiveRoom): boolean {
    return botsMayPlay(this.table(room), room.state.outcome !== null);
  }

  private cancelBots(room: LiveRoom): void {
    room.botTimer?.cancel();
    room.botTimer = null;
  }

  private scheduleBots(room: LiveRoom): void {
    this.cancelBots(room);
    if (!this.botsMayPlay(room)) return;
    room.botTimer = this.o.clock.setTimeout(() => {
      room.botTimer = null;
      this.botTurn(room);
    }, this.o.botDelayMs);
  }

  /** One bot decision. Deterministic: the seed is derived from the run's seed and the step number. */
  private botTurn(room: LiveRoom): void {
    if (!this.botsMayPlay(room)) return;
    const bots = this.activeBots(room);
    if (Object.keys(bots).length === 0) return;
    const g = this.o.graphs.get(room.rec.scenario);
    const goals = botGoals(room.lesson);
    const turn = nextBotMove(g, room.state, bots, goals, seedFrom(room.rec.runSeed, room.actions.length));
    if (!turn.action) return;
    const r = this.applyStep(room, turn.action, { kind: 'bot', bot: bots[turn.action.actor]! }, room.rec.version);
    if (!r.ok) this.o.log.error('bot: step rejected', { room: room.rec.code, code: r.error.code, message: r.error.message });
  }

  /**
   * Drops rooms nobody is connected to (and no bot is about to play) from memory; they are
   * in the store and load again on the next join. Returns how many were dropped.
   */
  evictIdle(idleMs: number): number {
    const now = this.o.clock.now();
    let dropped = 0;
    for (const [code, room] of this.rooms) {
      if (room.botTimer || room.players.some((p) => p.socketId !== null)) continue;
      const last = room.players.reduce((m, p) => Math.max(m, p.lastSeen), room.rec.createdAt);
      if (now - last < idleMs) continue;
      this.cancelHostTimer(room);
      this.rooms.delete(code);
      dropped++;
    }
    return dropped;
  }

  /** Whether the room is in memory now (someone used it lately). */
  isLoaded(code: string): boolean {
    return this.rooms.has(code);
  }

  /** The room was removed from the store: its connections are told it closed, and memory lets it go. */
  forget(code: string): void {
    const room = this.rooms.get(code);
    if (!room) return;
    this.cancelBots(room);
    this.cancelHostTimer(room);
    for (const p of room.players) if (p.socketId) this.o.broadcaster.left(p.socketId, code, 'closed');
    this.rooms.delete(code);
  }

  /** Stops every timer (server shutdown). */
  stop(): void {
    for (const room of this.rooms.values()) {
      this.cancelBots(room);
      this.cancelHostTimer(room);
    }
  }

  /** A class was stopped: its rooms stop their bots. */
  classStopped(classCode: string): void {
    // Every student is told at once: the new room view says the class is stopped.
    for (const room of this.rooms.values()) {
      if (room.rec.classCode !== classCode) continue;
      this.cancelBots(room);
      room.view = null;
      this.o.broadcaster.roomState(room.rec.code, this.roomView(room));
    }
  }

  /** Roster and progress of a room for class views. */
  summary(code: string): RoomSummary | null {
    const room = this.room(code);
    if (!room) return null;
    return {
      players: room.players.map((p) => ({ name: p.name, role: p.role, connected: p.socketId !== null, host: p.id === room.rec.hostId })),
      free: freeSeats(this.table(room)),
      bots: { ...room.rec.bots },
      run: room.rec.run,
      steps: room.actions.length,
      result: room.rec.result,
    };
  }
}

export interface RoomSummary {
  players: { name: string; role: Role; connected: boolean; host: boolean }[];
  free: ActorRole[];
  bots: Record<ActorRole, BotKind | null>;
  run: number;
  steps: number;
  result: RunResult | null;
}

/**
 * The role the creator of a room gets: the lesson's solo seat when it is an actor, else
 * none (a spectator: in scheduler mode the host steps every actor). The creator is the host either way.
 */
export function creatorRole(lesson: Lesson | null): Role {
  return creatorSeat(lesson?.roles.solo ?? null);
}

function stripLive(p: LivePlayer): PlayerRecord {
  return { id: p.id, tokenHash: p.tokenHash, name: p.name, role: p.role, joinedAt: p.joinedAt };
}
