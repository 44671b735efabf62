// The rooms a node holds in memory: loading a room from the store (replaying its actions),
// opening a new one, the read-only views it shows (RoomView, GameView, Table, summaries),
// the bot and host timers of each room, and letting rooms go (idle, removed, shutdown).
// RoomService (server/rooms.ts) builds on it and is the only writer of a live room.
// Every change of a room runs in the room's queue (server/room-queue.ts): requests, bot
// steps and host timers alike, so an operation that awaits the store is never interleaved
// with another one of the same room.

import { initialState, replay, type Action, type Scenario, type State } from '../engine/index.js';
import type { BotKind, ClassControls, GameStep, GameView, JoinedData, LeftReason, Mode, Role, RoomView } from '../protocol/events.js';
import { openingBots, openingMode, type Table } from '../protocol/rules.js';
import { Bots } from './bots.js';
import type { Clock } from './clock.js';
import type { AppEvents } from './events.js';
import type { GraphCache } from './graphs.js';
import { HostTimers } from './host.js';
import { hashToken, newId, newToken, seedFrom, uniqueCode } from './ids.js';
import { lessonById, type Lesson, type LessonCatalog } from './lessons.js';
import { gameStepOf, gameViewOf, roomViewOf, stripLive, tableOf, type LivePlayer, type LiveRoom } from './live-room.js';
import type { Log } from './log.js';
import { fail, ok, type Result } from './result.js';
import { KeyedQueue } from './room-queue.js';
import { roomSummary, type RoomSummary } from './room-summary.js';
import type { StepCommitter } from './step-commit.js';
import type { AnyStore, RoomRecord } from './store/port.js';

/** Who is asking: one connection, and the room/player it is attached to. */
export interface Session {
  socketId: string;
  room: string | null;
  playerId: string | null;
}

/** How the room tells its connections what changed (the socket layer implements it). */
export interface Broadcaster {
  roomState(code: string, view: RoomView): void;
  /** The game changed other than by one step (undo, restart, jump): the whole view. */
  gameState(code: string, view: GameView): void;
  /** One step was accepted: the delta every client applies to its view (protocol/game-step.ts). */
  gameStep(code: string, delta: GameStep): void;
  /** This connection is no longer attached to the room. */
  left(socketId: string, code: string, reason: LeftReason): void;
  /** The teacher moved this connection's student to another room: it follows them there. */
  moved(socketId: string, from: string, joined: JoinedData): void;
}

/**
 * Cluster mode: the node's leases as the services see them (server/cluster/node.ts). A room
 * or class is made only under a lease taken first; a room is kept in memory only by the
 * node holding its home (another node may read it, never keep it).
 */
export interface HomePort {
  /** Before a new room or class is stored: its lease is taken (a class room is placed under its class's, which this node holds). */
  opening(code: string, classCode: string | null): Promise<void>;
  /** Whether this node holds the home (a room's code, or its class's) now. */
  holds(home: string): boolean;
  /** A stored room was loaded: its writes are checked against its home's lease. */
  placed(code: string, classCode: string | null): void;
}

export interface RoomServiceOptions {
  store: AnyStore;
  /** Cluster mode (absent in one process: this node holds everything). */
  homes?: HomePort;
  clock: Clock;
  log: Log;
  lessons: LessonCatalog;
  graphs: GraphCache;
  /** Where the service tells others what happened (room:changed, run:finished). */
  events: AppEvents;
  broadcaster: Broadcaster;
  /** Delay before a bot steps (ms). 0 in tests. */
  botDelayMs: number;
  /** A role held by a disconnected player can be claimed by someone else after this long (ms). */
  roleGraceMs: number;
  /** Used in links ("/r/CODE"). */
  linkBase?: string;
  /** Group commit of steps across rooms (a store with appendActions); without it each step is a transaction of its own. */
  steps?: StepCommitter;
}

/** The player a credential holds in a room, as the rules see the room. */
export interface Holder {
  playerId: string;
  classCode: string | null;
  table: Table;
}

/** The caller's player in its room, or the rejection to send. */
export type Attached = { room: LiveRoom; player: LivePlayer };

export abstract class RoomRegistry {
  protected readonly rooms = new Map<string, LiveRoom>();
  /** Rooms being read from the store now: a second request waits for the same load. */
  private readonly loading = new Map<string, Promise<LiveRoom | null>>();
  /** One queue per room: every change of a room runs in it. */
  protected readonly queue = new KeyedQueue();
  protected readonly o: RoomServiceOptions;
  protected readonly bots: Bots;
  protected readonly host: HostTimers;
  /** Counters for /metrics. */
  readonly stats = { acts: 0, rejected: 0, broadcasts: 0, botSteps: 0 };

  constructor(opts: RoomServiceOptions) {
    this.o = opts;
    this.bots = new Bots({
      clock: opts.clock, graphs: opts.graphs, delayMs: opts.botDelayMs,
      // The move is chosen in the room's queue, from the room as it is when the bot's turn comes.
      play: (room, next) => void this.queue.run(room.rec.code, async () => {
        if (this.rooms.get(room.rec.code) !== room) return;
        const move = next();
        if (move) await this.botStep(room, move.action, move.bot);
      }).catch((e: unknown) => opts.log.error('bot: step failed', { room: room.rec.code, error: String(e) })),
    });
    this.host = new HostTimers({
      clock: opts.clock, graceMs: opts.roleGraceMs,
      expired: (room) => void this.queue.run(room.rec.code, async () => {
        if (this.rooms.get(room.rec.code) === room && await this.passHostIfGone(room, false)) this.roomChanged(room);
      }).catch((e: unknown) => opts.log.error('room: host succession failed', { room: room.rec.code, error: String(e) })),
    });
  }

  link(code: string): string {
    return `${this.o.linkBase ?? ''}/r/${code}`;
  }

  get loadedRooms(): number {
    return this.rooms.size;
  }

  // ---------------------------------------------------------------- loading and views

  /** The live room, loading it from the store (and replaying its actions) on first use. */
  protected room(code: string): Promise<LiveRoom | null> {
    const live = this.rooms.get(code);
    if (live) return Promise.resolve(live);
    let pending = this.loading.get(code);
    if (!pending) {
      pending = this.load(code).finally(() => this.loading.delete(code));
      this.loading.set(code, pending);
    }
    return pending;
  }

  private async load(code: string): Promise<LiveRoom | null> {
    const loaded = await this.o.store.loadRoom(code);
    if (!loaded) return null;
    const { room: rec, players, actions } = loaded;
    const lesson = rec.lesson ? ((await lessonById(this.o.lessons, rec.lesson)) ?? null) : null;
    const r = replay(rec.scenario, actions);
    let kept = actions;
    let state: State;
    if (r.ok) state = r.final;
    else {
      // The engine no longer accepts the stored trace: keep its legal prefix, and say so.
      this.o.log.error('room: stored actions no longer replay; keeping the legal prefix', { room: code, index: r.index, error: r.error.message });
      kept = actions.slice(0, r.index);
      state = r.frames.length ? r.frames[r.frames.length - 1]!.state : initialState(rec.scenario);
      await this.o.store.truncateActions(code, r.index, { result: null });
      rec.result = null;
    }
    const now = this.o.clock.now();
    const klass = rec.classCode !== null ? await this.o.store.getClass(rec.classCode) : null;
    const closed = klass?.closed ?? false;
    const controls = klass ? { paused: klass.paused, studentsControl: klass.studentsControl } : null;
    const room: LiveRoom = {
      rec, lesson, players: players.map((p) => ({ ...p, socketId: null, lastSeen: now })), actions: kept, state,
      lastEvents: [], closed, controls, game: null, view: null, rewoundAt: rec.version,
    };
    if (rec.hostId !== null && !room.players.some((p) => p.id === rec.hostId)) rec.hostId = null;
    // Opened in memory meanwhile (not through this load): that copy is the room.
    if (this.rooms.has(code)) return this.rooms.get(code)!;
    this.o.homes?.placed(code, rec.classCode);
    // Another node's room is read here, not kept: its owner is its only authority.
    if (this.o.homes && !this.o.homes.holds(rec.classCode ?? code)) return room;
    this.rooms.set(code, room);
    return room;
  }

  /** The room's roster and settings (loading it), or null. */
  async view(code: string): Promise<RoomView | null> {
    const room = await this.room(code);
    return room ? roomViewOf(room, this.link(code)) : null;
  }

  /** The room's game (loading it), or null. */
  async game(code: string): Promise<GameView | null> {
    const room = await this.room(code);
    return room ? gameViewOf(room, this.o.graphs) : null;
  }

  /** The room as the rules see it (loading it), or null. */
  async table(code: string): Promise<Table | null> {
    const room = await this.room(code);
    return room ? tableOf(room) : null;
  }

  /** Roster and progress of a room for class views (loading it), or null. */
  async summary(code: string): Promise<RoomSummary | null> {
    const room = await this.room(code);
    return room ? roomSummary(room, this.o.clock.now()) : null;
  }

  /** The player whose token this is in room `code` (loading it), or null. */
  async holder(code: string, token: string): Promise<Holder | null> {
    const room = await this.room(code);
    const hash = hashToken(token);
    const player = room?.players.find((p) => p.tokenHash === hash);
    return room && player ? { playerId: player.id, classCode: room.rec.classCode, table: tableOf(room) } : null;
  }

  /** Whether the seat this token proves in room `code` has no connection now (loading the room). */
  async seatFree(code: string, token: string): Promise<boolean> {
    const hash = hashToken(token);
    return (await this.room(code))?.players.some((p) => p.tokenHash === hash && p.socketId === null) ?? false;
  }

  /** The class of a room in memory (null: none, or not loaded). */
  loadedClassOf(code: string): string | null {
    return this.rooms.get(code)?.rec.classCode ?? null;
  }

  protected roomChanged(room: LiveRoom): void {
    room.view = null;
    this.o.broadcaster.roomState(room.rec.code, roomViewOf(room, this.link(room.rec.code)));
    this.o.events.emit('room:changed', { code: room.rec.code, classCode: room.rec.classCode, what: 'roster' });
  }

  /** The game changed other than by one step (undo, restart, jump): everyone gets the whole view. */
  protected gameChanged(room: LiveRoom): void {
    this.announceGame(room, () => this.o.broadcaster.gameState(room.rec.code, gameViewOf(room, this.o.graphs)));
  }

  /** The room took exactly one step: everyone gets its delta (the whole view is built only when a join or sync asks). */
  protected stepped(room: LiveRoom): void {
    this.announceGame(room, () => this.o.broadcaster.gameStep(room.rec.code, gameStepOf(room, this.o.graphs)));
  }

  /** What every change of the game does: the cached view goes stale, one broadcast is sent, the other services hear of it. */
  private announceGame(room: LiveRoom, broadcast: () => void): void {
    room.game = null;
    this.stats.broadcasts++;
    broadcast();
    this.o.events.emit('room:changed', { code: room.rec.code, classCode: room.rec.classCode, what: 'step' });
  }

  protected joined(room: LiveRoom, player: LivePlayer, token: string): JoinedData {
    return { playerId: player.id, token, role: player.role, room: roomViewOf(room, this.link(room.rec.code)), game: gameViewOf(room, this.o.graphs) };
  }

  /** Gives the host's powers to `to` (or nobody). */
  protected async setHost(room: LiveRoom, to: LivePlayer | null): Promise<void> {
    const hostId = to?.id ?? null;
    if (room.rec.hostId === hostId) return;
    await this.o.store.updateRoom(room.rec.code, { hostId });
    room.rec.hostId = hostId;
    this.host.cancel(room);
  }

  /** Passes the host on when the rules say so (server/host.ts). Returns whether the host changed. */
  protected async passHostIfGone(room: LiveRoom, rewatch = true): Promise<boolean> {
    const to = this.host.next(room, rewatch);
    if (to === null) return false;
    const from = room.rec.hostId;
    await this.setHost(room, this.player(room, to));
    this.o.log.info('room: host passed on', { room: room.rec.code, from, to });
    return true;
  }

  /** The live player the rules named. */
  protected player(room: LiveRoom, id: string): LivePlayer {
    return room.players.find((p) => p.id === id)!;
  }

  protected async attached(s: Session): Promise<Result<Attached>> {
    if (!s.room || !s.playerId) return fail('not_in_room', 'join a room first (room:join)');
    const room = await this.room(s.room);
    const player = room?.players.find((p) => p.id === s.playerId);
    if (!room || !player || player.socketId !== s.socketId) return fail('not_in_room', 'this connection is not in a room any more; join again');
    return ok({ room, player });
  }

  /**
   * Creates and stores a room (for create(), classes and notebooks). The creator, if any, is
   * its first player and its host, in `role` (an actor, or 'spectator' for none).
   * Without a mode: race when the creator holds an actor (bots play the others); scheduler
   * when the creator schedules (a solo learner picks every step, as the campaign expects);
   * with no creator, the lesson's suggested mode.
   */
  async open(args: OpenArgs): Promise<{ code: string; token: string }> {
    const { room, token } = await this.openLive(args);
    return { code: room.rec.code, token };
  }

  /** Codes being created now (not yet in memory): a second creation never picks one of them. */
  private readonly opening = new Set<string>();

  protected async openLive(args: OpenArgs): Promise<{ room: LiveRoom; player: LivePlayer | null; token: string }> {
    const now = this.o.clock.now();
    const code = await this.freeCode();
    const seed = args.seed ?? seedFrom('seed', code);
    const lesson = args.lesson;
    const token = newToken();
    const player: LivePlayer | null = args.creator
      ? { id: newId(), tokenHash: hashToken(token), name: args.creator.name, role: args.creator.role, joinedAt: now, socketId: null, lastSeen: now }
      : null;
    const rec: RoomRecord = {
      code, lesson: lesson?.id ?? null, scenario: args.scenario,
      mode: args.mode ?? openingMode(args.creator?.role ?? null, lesson?.mode ?? null),
      bots: openingBots(args.classCode !== null, lesson ? { victim: lesson.roles.victim.bot, reaper: lesson.roles.reaper.bot, allocator: lesson.roles.allocator.bot } : null),
      seed, runSeed: seedFrom(seed, 1), version: 0, run: 1, runStartedAt: now, result: null,
      classCode: args.classCode, hostId: player?.id ?? null, createdAt: now,
    };
    this.opening.add(code);
    try {
      await this.o.homes?.opening(code, args.classCode);
      await this.o.store.createRoom(rec, player ? stripLive(player) : null);
    } finally {
      this.opening.delete(code);
    }
    const room: LiveRoom = {
      rec, lesson, players: player ? [player] : [], actions: [], state: initialState(args.scenario),
      lastEvents: [], closed: false, controls: args.classCode !== null ? { ...(args.classControls ?? { paused: false, studentsControl: false }) } : null,
      game: null, view: null, rewoundAt: 0,
    };
    this.rooms.set(code, room);
    this.o.log.info('room: created', { room: code, lesson: rec.lesson, class: rec.classCode });
    return { room, player, token };
  }

  /** A code that no room or class has, and that no creation in progress is taking. */
  private async freeCode(): Promise<string> {
    for (;;) {
      const code = uniqueCode((c) => this.rooms.has(c) || this.opening.has(c), this.rooms.size);
      if (!(await this.o.store.codeTaken(code))) return code;
    }
  }

  /**
   * Drops rooms nobody is connected to (and no bot is about to play) from memory; they are
   * in the store and load again on the next join. Returns how many were dropped.
   */
  evictIdle(idleMs: number): number {
    const now = this.o.clock.now();
    let dropped = 0;
    for (const [code, room] of this.rooms) {
      if (this.bots.pending(room) || this.queue.busy(code) || room.players.some((p) => p.socketId !== null)) continue;
      const last = room.players.reduce((m, p) => Math.max(m, p.lastSeen), room.rec.createdAt);
      if (now - last < idleMs) continue;
      this.host.cancel(room);
      this.rooms.delete(code);
      dropped++;
    }
    return dropped;
  }

  /** Whether any room of the home (its own code, or its class's) is in memory here. */
  hasHome(home: string): boolean {
    for (const room of this.rooms.values()) if ((room.rec.classCode ?? room.rec.code) === home) return true;
    return false;
  }

  /**
   * The home is no longer this node's (cluster mode): its rooms leave memory with their bots
   * and timers, saying nothing and writing nothing (the new owner replays them).
   */
  unloadHome(home: string): void {
    for (const [code, room] of this.rooms) {
      if ((room.rec.classCode ?? code) !== home) continue;
      this.bots.cancel(room);
      this.host.cancel(room);
      this.rooms.delete(code);
    }
  }

  /** Whether the room is in memory now (someone used it lately). */
  isLoaded(code: string): boolean {
    return this.rooms.has(code);
  }

  /** The room was removed from the store: its connections are told it closed, and memory lets it go. */
  forget(code: string): void {
    const room = this.rooms.get(code);
    if (!room) return;
    this.bots.cancel(room);
    this.host.cancel(room);
    for (const p of room.players) if (p.socketId) this.o.broadcaster.left(p.socketId, code, 'closed');
    this.rooms.delete(code);
  }

  /** Stops every timer (server shutdown). */
  stop(): void {
    this.bots.stop();
    this.host.stop();
  }

  /** A class was stopped: its rooms refuse steps and stop their bots, and every student is told at once. */
  async classStopped(classCode: string): Promise<void> {
    const rooms = [...this.rooms.values()].filter((r) => r.rec.classCode === classCode);
    await Promise.all(rooms.map((room) => this.queue.run(room.rec.code, () => {
      room.closed = true;
      this.bots.cancel(room);
      room.view = null;
      this.o.broadcaster.roomState(room.rec.code, roomViewOf(room, this.link(room.rec.code)));
    })));
  }

  /** A bot's step, taken through the service's one path (in the room's queue). */
  protected abstract botStep(room: LiveRoom, action: Action, bot: BotKind): Promise<void>;
}

/** What a new room is made of (create(), classes and notebooks). */
export interface OpenArgs {
  lesson: Lesson | null;
  scenario: Scenario;
  mode?: Mode | undefined;
  seed?: number | undefined;
  classCode: string | null;
  /** A class room: the class's controls as they are now. */
  classControls?: ClassControls;
  creator: { name: string; role: Role } | null;
}
