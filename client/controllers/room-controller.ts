// Follows one room on the page's one connection (lib/connection.ts): creates or joins (with
// the reconnect token kept in sessionStorage, so a reload or a dropped connection gets the
// same player and role back), retrying with a growing pause while the server cannot be
// reached, keeps the latest RoomView and GameView, and sends intents with the game version
// the client saw. The game comes whole (join, game:state) or as a game:step delta after each
// step, applied with the engine by protocol/game-step.ts (the rule every client shares); a
// delta that does not follow the view held makes the controller ask for the whole view
// (game:sync) instead of guessing. Leaving the screen tells the server this tab is away (the seat is kept)
// and leaves the connection open. The server decides; this controller never changes the game.
// Rejections come back as ProtocolError values and are handed to `onError` (a toast); a
// step that lost a race (stale_version) becomes a kind note via `onNotice` instead.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Socket } from 'socket.io-client';
import type { ActorRole } from '../../engine/index.js';
import { explain } from '../lib/explain.js';
import { rememberRoom } from '../lib/mine.js';
import { namespaceSocket, whenConnected } from '../lib/connection.js';
import { lateMessage, staleMessage, type StepAttempt } from '../lib/stale.js';
import { hasControls, hasHostPowers } from '../../protocol/rules.js';
import {
  PROTOCOL_VERSION,
  type Ack,
  type BotKind,
  type ClientToServerEvents,
  type GameStep,
  type GameView,
  type JoinedData,
  type Mode,
  type ProtocolError,
  type Role,
  type RoomView,
  type ScenarioRequest,
  type ServerToClientEvents,
} from '../../protocol/events.js';
import { GameFollower } from '../../protocol/game-step.js';

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const CONNECTION = {
  idle: 'idle',
  connecting: 'connecting',
  joining: 'joining',
  joined: 'joined',
  reconnecting: 'reconnecting',
  failed: 'failed',
  left: 'left',
} as const;
export type Connection = (typeof CONNECTION)[keyof typeof CONNECTION];

export interface Me { playerId: string; role: Role }

const TOKEN_KEY = (code: string) => `reaplab.token.${code.toUpperCase()}`;
const ACK_TIMEOUT = 8000;
/** Pauses between attempts to open a room while the server does not answer (ms). */
export const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];
const TIMEOUT_MESSAGE = 'The server did not answer in time.';

function session(): Storage | null {
  try { return globalThis.sessionStorage ?? null; } catch { return null; }
}

/** Whether this tab has joined the room before (a reload or a reconnect gets the same player back). */
export function hasToken(code: string): boolean {
  return Boolean(session()?.getItem(TOKEN_KEY(code)));
}

export class RoomController implements ReactiveController {
  status: Connection = CONNECTION.idle;
  room: RoomView | null = null;
  game: GameView | null = null;
  me: Me | null = null;
  /** A request is in flight (buttons stay but do not send twice). */
  pending = false;
  /** The game version an act was sent at and not yet answered (null: none). */
  private actingAt: number | null = null;

  /** A step was sent and the state it was sent against is still showing. */
  get acting(): boolean {
    return this.actingAt !== null && this.game?.version === this.actingAt;
  }
  /** Why joining failed, or why we left (shown in place of the game). */
  problem: ProtocolError | null = null;
  onError: (e: ProtocolError) => void = () => {};
  /** A note that is not an error (a step that lost the race). */
  onNotice: (text: string) => void = () => {};
  onGame: (g: GameView, previous: GameView | null) => void = () => {};
  /** The teacher moved this student to another room of the class (the controller follows it already). */
  onMoved: (room: RoomView, role: Role) => void = () => {};
  /** While opening the room is retried: which attempt comes next and when (ms since the epoch). */
  retry: { attempt: number; at: number } | null = null;

  private socket: RoomSocket | null = null;
  private code: string | null = null;
  private name = 'Guest';
  /** Keeps `game` from whole views and game:step deltas (a gap: game:sync; deltas before a join's answer: held for its view). */
  private readonly follower = new GameFollower({
    sync: (code) => this.syncGame(code),
    changed: (game, prev) => {
      this.set({ game });
      this.onGame(game, prev);
    },
    code: () => this.code,
  });

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Bumped when the screen goes: an open that is still retrying stops. */
  private generation = 0;

  hostConnected(): void {}

  hostDisconnected(): void {
    this.generation++;
    const s = this.socket;
    if (!s) return;
    // Another screen takes over the page's connection: this tab is away from the room, its seat kept.
    if (this.status === CONNECTION.joined && s.connected) s.emit('room:away', {}, () => {});
    s.off('room:state', this.onRoom);
    s.off('game:state', this.onGameState);
    s.off('game:step', this.onGameStep);
    s.off('room:left', this.onLeft);
    s.off('room:moved', this.onMovedEvent);
    s.off('disconnect', this.onDisconnect);
    s.off('connect', this.onConnect);
    this.socket = null;
    this.code = null;
    this.retry = null;
    this.status = CONNECTION.idle;
  }

  private readonly onRoom = (room: RoomView): void => {
    if (!this.code || room.code === this.code) this.set({ room });
  };
  private readonly onGameState = (game: GameView): void => {
    if (!this.code || game.code === this.code) this.follower.full(game);
  };
  private readonly onGameStep = (delta: GameStep): void => {
    this.follower.step(delta);
  };
  private readonly onLeft = (d: { code: string; reason: string }): void => {
    const message = d.reason === 'replaced' ? 'You opened this room in another tab or window; this one stopped following it.'
      : d.reason === 'closed' ? 'The room was closed.' : 'You left the room.';
    this.set({ status: CONNECTION.left, problem: { code: 'not_in_room', message } });
  };
  private readonly onMovedEvent = (d: { from: string; joined: JoinedData }): void => {
    if (this.code !== d.from) return;
    this.joined(d.joined);
    const classCode = d.joined.room.classCode;
    if (classCode) session()?.setItem(`reaplab.class.${classCode.toUpperCase()}`, d.joined.room.code);
    this.onMoved(d.joined.room, d.joined.role);
  };
  private readonly onDisconnect = (): void => {
    if (this.status === CONNECTION.joined) this.set({ status: CONNECTION.reconnecting });
  };
  private readonly onConnect = (): void => {
    // A reconnect: join the room we follow again, with our token.
    if (this.code && this.status === CONNECTION.reconnecting && !this.retry) void this.join(this.code, this.name);
  };

  private connect(): RoomSocket {
    if (this.socket) return this.socket;
    const socket = namespaceSocket<RoomSocket>('/');
    this.socket = socket;
    socket.on('room:state', this.onRoom);
    socket.on('game:state', this.onGameState);
    socket.on('game:step', this.onGameStep);
    socket.on('room:left', this.onLeft);
    socket.on('room:moved', this.onMovedEvent);
    socket.on('disconnect', this.onDisconnect);
    socket.on('connect', this.onConnect);
    return socket;
  }

  /**
   * Opens a room (create or join) and retries with a growing pause while the server cannot
   * be reached or does not answer; any answer, yes or no, ends it. A create retried after a
   * lost answer may leave an unused room behind on the server, never a second seat here.
   */
  private async opening(send: (socket: RoomSocket, ack: (r: Ack<JoinedData>) => void) => void): Promise<Ack<JoinedData> | null> {
    const generation = this.generation;
    const socket = this.connect();
    this.follower.joining();
    for (let attempt = 1; ; attempt++) {
      this.set({ status: socket.connected ? CONNECTION.joining : CONNECTION.connecting, problem: null });
      const up = await whenConnected(socket, ACK_TIMEOUT);
      if (generation !== this.generation) return null;
      if (up) {
        this.set({ status: CONNECTION.joining });
        const r = await this.request<JoinedData>((ack) => send(socket, ack));
        if (generation !== this.generation) return null;
        if (r.ok || !r.error.message.startsWith(TIMEOUT_MESSAGE)) {
          this.set({ retry: null });
          return r;
        }
      }
      const wait = RETRY_DELAYS[Math.min(attempt - 1, RETRY_DELAYS.length - 1)]!;
      this.set({ status: CONNECTION.reconnecting, retry: { attempt: attempt + 1, at: Date.now() + wait } });
      // Ticks so the countdown on screen moves, and "Try now" cuts the pause short.
      while (this.retry && Date.now() < this.retry.at) {
        await new Promise((r) => setTimeout(r, 250));
        if (generation !== this.generation) return null;
        this.host.requestUpdate();
      }
    }
  }

  /** Skips the pause before the next attempt to open the room. */
  retryNow(): void {
    if (this.retry) this.retry = { ...this.retry, at: Date.now() };
  }

  /** The whole view of the room, asked for after a delta that did not follow ours (null: no answer; the next broadcast tries again). */
  private async syncGame(code: string): Promise<GameView | null> {
    const socket = this.socket;
    if (!socket || this.status !== CONNECTION.joined) return null;
    const r = await this.request<GameView>((ack) => socket.emit('game:sync', { code }, ack));
    return r.ok && r.data.code === this.code ? r.data : null;
  }

  private set(patch: Partial<Pick<RoomController, 'status' | 'room' | 'game' | 'me' | 'pending' | 'problem' | 'retry'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  private request<T>(send: (ack: (r: Ack<T>) => void) => void): Promise<Ack<T>> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        resolve({ ok: false, error: { code: 'internal', message: `${TIMEOUT_MESSAGE} Check your connection and try again.` } });
      }, ACK_TIMEOUT);
      send((r) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r.ok ? r : { ok: false, error: explain(r.error) });
      });
    });
  }

  private joined(d: JoinedData): void {
    this.code = d.room.code;
    session()?.setItem(TOKEN_KEY(d.room.code), d.token);
    const sc = d.room.scenario;
    rememberRoom({ code: d.room.code, token: d.token, title: d.room.lesson?.title ?? `${sc.variant} × ${sc.config.id}`, classCode: d.room.classCode });
    const prev = this.game;
    this.set({ status: CONNECTION.joined, room: d.room, game: d.game, me: { playerId: d.playerId, role: d.role }, problem: null });
    this.onGame(d.game, prev);
    // The join's view replaces whatever this tab held; deltas that came before it apply on it.
    this.follower.joined(d.game);
  }

  /** Creates a room for a lesson or a scenario; resolves to the room code. */
  async create(name: string, what: { lesson: string } | { scenario: ScenarioRequest }, mode?: Mode): Promise<string | null> {
    this.name = name;
    const r = await this.opening((socket, ack) => socket.emit('room:create', { protocol: PROTOCOL_VERSION, name, ...what, ...(mode ? { mode } : {}) }, ack));
    if (!r) return null;
    if (!r.ok) {
      this.set({ status: CONNECTION.failed, problem: r.error });
      return null;
    }
    this.joined(r.data);
    return r.data.room.code;
  }

  async join(code: string, name: string): Promise<boolean> {
    this.name = name;
    const upper = code.toUpperCase();
    this.code = upper;
    const token = session()?.getItem(TOKEN_KEY(code)) ?? undefined;
    const r = await this.opening((socket, ack) => socket.emit('room:join', { protocol: PROTOCOL_VERSION, code: upper, name, ...(token ? { token } : {}) }, ack));
    if (!r) return false;
    if (!r.ok) {
      if (r.error.code === 'bad_token' && token) {
        session()?.removeItem(TOKEN_KEY(code));
        return this.join(code, name);
      }
      this.set({ status: CONNECTION.failed, problem: r.error });
      return false;
    }
    this.joined(r.data);
    return true;
  }

  /** Hands a rejection to the UI; a stale version is normal in race mode and says so kindly. */
  private fail(e: ProtocolError): void {
    if (e.code === 'stale_version') {
      this.onError({ ...e, message: 'Someone moved first: the board has changed. Look again, then try once more.' });
      return;
    }
    this.onError(e);
  }

  private async intent<T>(send: (socket: RoomSocket, ack: (r: Ack<T>) => void) => void): Promise<Ack<T> | null> {
    const socket = this.socket;
    if (!socket || this.status !== CONNECTION.joined) {
      this.onError({ code: 'not_in_room', message: 'Not connected to the room right now; wait for the reconnect and try again.' });
      return null;
    }
    this.set({ pending: true });
    const r = await this.request<T>((ack) => send(socket, ack));
    this.set({ pending: false });
    if (!r.ok) this.fail(r.error);
    return r;
  }

  async act(actor: string, step: string) {
    const g = this.game;
    const version = g?.version ?? 0;
    const attempt: StepAttempt = { actor, step, run: g?.run ?? 1, steps: g?.actions.length ?? 0 };
    const socket = this.socket;
    if (!socket || this.status !== CONNECTION.joined) {
      this.onError({ code: 'not_in_room', message: 'Not connected to the room right now; wait for the reconnect and try again.' });
      return null;
    }
    // The server broadcasts the new state before it answers, so the next step may be
    // chosen before this answer lands: only a second step at the same version waits.
    this.actingAt = version;
    this.host.requestUpdate();
    const r = await this.request<{ version: number }>((ack) => socket.emit('game:act', { actor: actor as GameView['choices'][number]['actor'], step, version }, ack));
    if (this.actingAt === version) this.actingAt = null;
    this.host.requestUpdate();
    if (r.ok) {
      // Someone's step arrived just before ours; ours went in right after it.
      if (r.data.version > version + 1 && this.game) {
        const note = lateMessage(attempt, this.game, this.me?.playerId ?? null);
        if (note) this.onNotice(note);
      }
      return r;
    }
    // The state that beat us was broadcast before this answer, so this.game already shows it.
    if (r.error.code === 'stale_version' && this.game) this.onNotice(staleMessage(attempt, this.game, this.me?.playerId ?? null));
    else this.fail(r.error);
    return r;
  }

  undo() {
    const version = this.game?.version ?? 0;
    return this.intent<{ version: number }>((s, ack) => s.emit('game:undo', { version }, ack));
  }

  restart() {
    const version = this.game?.version ?? 0;
    return this.intent<{ version: number }>((s, ack) => s.emit('game:restart', { version }, ack));
  }

  jump(to: number) {
    const version = this.game?.version ?? 0;
    return this.intent<{ version: number }>((s, ack) => s.emit('game:jump', { version, to }, ack));
  }

  async claim(role: Role) {
    const r = await this.intent<{ role: Role }>((s, ack) => s.emit('role:claim', { role }, ack));
    if (r?.ok && this.me) this.set({ me: { ...this.me, role: r.data.role } });
    return r;
  }

  async release() {
    const r = await this.intent<{ role: Role }>((s, ack) => s.emit('role:release', {}, ack));
    if (r?.ok && this.me) this.set({ me: { ...this.me, role: r.data.role } });
    return r;
  }

  /** Gives an actor role (yours, or as the host any) to another player. */
  async handover(to: string, role: ActorRole) {
    const r = await this.intent<{ role: Role }>((s, ack) => s.emit('role:handover', { to, role }, ack));
    if (r?.ok && this.me) this.set({ me: { ...this.me, role: r.data.role } });
    return r;
  }

  /** The host makes another player the host. */
  handoverHost(to: string) {
    return this.intent<{ hostId: string }>((s, ack) => s.emit('host:handover', { to }, ack));
  }

  setMode(mode: Mode) {
    return this.intent<{ mode: Mode }>((s, ack) => s.emit('game:mode', { mode }, ack));
  }

  setBot(role: ActorRole, kind: BotKind | null) {
    return this.intent<{ bots: Record<ActorRole, BotKind | null>; seed: number }>((s, ack) => s.emit('bot:set', { role, kind }, ack));
  }

  leave(): void {
    const s = this.socket;
    if (s && this.status === CONNECTION.joined) s.emit('room:leave', {}, () => {});
    this.code = null;
    this.follower.reset();
    this.set({ status: CONNECTION.idle, room: null, game: null, me: null });
  }

  /** The role this client holds, as the server last said (room:state may change it). */
  get myRole(): Role | null {
    const id = this.me?.playerId;
    const p = id ? this.room?.players.find((x) => x.id === id) : undefined;
    return p?.role ?? this.me?.role ?? null;
  }

  /** The host's controls are this player's to use (mode, bots, undo, jump, restart): the host's powers, and in a class the teacher's leave. */
  get mayControl(): boolean {
    const id = this.me?.playerId;
    return id !== undefined && this.room !== null && hasControls(this.room, id);
  }

  /** In a class room whose teacher keeps the host's controls. */
  get teacherHolds(): boolean {
    const c = this.room?.classControls;
    return c !== undefined && !c.studentsControl;
  }

  /** The room's host (whatever their role), or the only player: may undo, restart, jump, pick bots and schedule. */
  get isHost(): boolean {
    const id = this.me?.playerId;
    return id !== undefined && this.room !== null && hasHostPowers(this.room, id);
  }
}
