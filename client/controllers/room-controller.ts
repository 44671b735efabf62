// Owns the socket for one room: connects, creates or joins (with the reconnect token kept
// in sessionStorage, so a reload or a dropped connection gets the same player and role
// back), keeps the latest RoomView and GameView, and sends intents with the game version
// the client saw. The server decides; this controller never changes the game itself.
// Rejections come back as ProtocolError values and are handed to `onError` (a toast); a
// step that lost a race (stale_version) becomes a kind note via `onNotice` instead.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { ActorRole } from '../../engine/index.js';
import { rememberRoom } from '../lib/mine.js';
import { staleMessage, type StepAttempt } from '../lib/stale.js';
import {
  PROTOCOL_VERSION,
  type Ack,
  type BotKind,
  type ClientToServerEvents,
  type GameView,
  type JoinedData,
  type Mode,
  type ProtocolError,
  type Role,
  type RoomView,
  type ScenarioRequest,
  type ServerToClientEvents,
} from '../../protocol/events.js';

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

  private socket: RoomSocket | null = null;
  private code: string | null = null;
  private name = 'Guest';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  private connect(): RoomSocket {
    if (this.socket) return this.socket;
    const socket: RoomSocket = io({ path: '/socket.io', transports: ['websocket', 'polling'], reconnectionDelayMax: 4000 });
    this.socket = socket;
    this.set({ status: CONNECTION.connecting });
    socket.on('room:state', (room) => this.set({ room }));
    socket.on('game:state', (game) => this.acceptGame(game));
    socket.on('room:left', (d) => {
      const message = d.reason === 'replaced' ? 'You opened this room in another tab or window; this one stopped following it.'
        : d.reason === 'closed' ? 'The room was closed.' : 'You left the room.';
      this.set({ status: CONNECTION.left, problem: { code: 'not_in_room', message } });
    });
    socket.on('disconnect', () => { if (this.status === CONNECTION.joined) this.set({ status: CONNECTION.reconnecting }); });
    socket.on('connect', () => {
      // First connect or reconnect: (re)join the room we follow, with our token.
      if (this.code && (this.status === CONNECTION.reconnecting || this.status === CONNECTION.connecting)) void this.join(this.code, this.name);
    });
    socket.on('connect_error', () => {
      if (this.status === CONNECTION.connecting) this.set({ status: CONNECTION.reconnecting });
    });
    return socket;
  }

  private acceptGame(game: GameView): void {
    const prev = this.game;
    if (prev && prev.code === game.code && game.version < prev.version) return; // late duplicate
    this.set({ game });
    this.onGame(game, prev);
  }

  private set(patch: Partial<Pick<RoomController, 'status' | 'room' | 'game' | 'me' | 'pending' | 'problem'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  private request<T>(send: (ack: (r: Ack<T>) => void) => void): Promise<Ack<T>> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        resolve({ ok: false, error: { code: 'internal', message: 'The server did not answer in time. Check your connection; the page retries on its own.' } });
      }, ACK_TIMEOUT);
      send((r) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
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
  }

  /** Creates a room for a lesson or a scenario; resolves to the room code. */
  async create(name: string, what: { lesson: string } | { scenario: ScenarioRequest }, mode?: Mode): Promise<string | null> {
    this.name = name;
    const socket = this.connect();
    this.set({ status: CONNECTION.joining, problem: null });
    const r = await this.request<JoinedData>((ack) => socket.emit('room:create', { protocol: PROTOCOL_VERSION, name, ...what, ...(mode ? { mode } : {}) }, ack));
    if (!r.ok) {
      this.set({ status: CONNECTION.failed, problem: r.error });
      return null;
    }
    this.joined(r.data);
    return r.data.room.code;
  }

  async join(code: string, name: string): Promise<boolean> {
    this.name = name;
    this.code = code.toUpperCase();
    const socket = this.connect();
    if (!socket.connected) return false; // the connect handler joins once connected
    this.set({ status: CONNECTION.joining });
    const token = session()?.getItem(TOKEN_KEY(code)) ?? undefined;
    const r = await this.request<JoinedData>((ack) => socket.emit('room:join', { protocol: PROTOCOL_VERSION, code: this.code!, name, ...(token ? { token } : {}) }, ack));
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
    if (r.ok) return r;
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
    s?.disconnect();
    this.socket = null;
    this.set({ status: CONNECTION.idle, room: null, game: null, me: null });
  }

  /** The role this client holds, as the server last said (room:state may change it). */
  get myRole(): Role | null {
    const id = this.me?.playerId;
    const p = id ? this.room?.players.find((x) => x.id === id) : undefined;
    return p?.role ?? this.me?.role ?? null;
  }

  /** The room's host (whatever their role), or the only player: may undo, restart, jump, pick bots and schedule. */
  get isHost(): boolean {
    const id = this.me?.playerId;
    return (id !== undefined && this.room?.hostId === id) || (this.room?.players.length ?? 0) === 1;
  }
}
