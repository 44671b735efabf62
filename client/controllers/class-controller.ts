// The class screens on the page's one connection: the teacher opens a class, watches it (class:watch,
// then class:state pushes, re-watched after a reconnect) and stops it; a student joins it.
// The teacher token is the teacher's secret: it stays in this browser (localStorage
// reaplab.teacher.<CODE>, where the class notebook also looks for it) and is never shown.
// Seating in a room hands over to the game: the room token goes where RoomController
// looks for it, so #/room/<CODE> rejoins as the seated player.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Socket } from 'socket.io-client';
import { explain } from '../lib/explain.js';
import { namespaceSocket } from '../lib/connection.js';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClassCreatedData,
  type ClassJoinedData,
  type ClassView,
  type ClientToServerEvents,
  type Grouping,
  type Mode,
  type ProtocolError,
  type Role,
  type ServerToClientEvents,
} from '../../protocol/events.js';

type ClassSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT = 8000;
const TEACHER_KEY = (code: string) => `reaplab.teacher.${code.toUpperCase()}`;
const SEAT_KEY = (code: string) => `reaplab.class.${code.toUpperCase()}`;

function store(kind: 'local' | 'session'): Storage | null {
  try { return (kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage) ?? null; } catch { return null; }
}

/** The teacher token this browser keeps for a class, if it opened it. */
export function teacherToken(code: string): string | null {
  return store('local')?.getItem(TEACHER_KEY(code)) ?? store('session')?.getItem(TEACHER_KEY(code)) ?? null;
}

/** Keeps a teacher token that came with a teacher link (the dashboard on another device). */
export function adoptTeacherToken(code: string, token: string): void {
  store('local')?.setItem(TEACHER_KEY(code), token);
}

/** The room this tab was seated in for a class, if any. */
export function seatedRoom(code: string): string | null {
  return store('session')?.getItem(SEAT_KEY(code)) ?? null;
}

export class ClassController implements ReactiveController {
  /** The latest class view (teacher). */
  view: ClassView | null = null;
  /** Why watching failed (shown in place of the dashboard). */
  problem: ProtocolError | null = null;
  connected = false;
  pending = false;

  private socket: ClassSocket | null = null;
  private watching: { code: string; token: string } | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // The page's connection stays open for the next screen; only this screen's listeners go.
    const s = this.socket;
    if (s) {
      s.off('class:state', this.onState);
      s.off('class:revoked', this.onRevoked);
      s.off('connect', this.onConnect);
      s.off('disconnect', this.onDisconnect);
    }
    this.socket = null;
    this.watching = null;
  }

  private readonly onState = (view: ClassView): void => {
    if (this.watching && view.code === this.watching.code) this.set({ view });
  };

  private readonly onRevoked = (d: { code: string }): void => {
    if (!this.watching || d.code !== this.watching.code) return;
    if (teacherToken(d.code) === this.watching.token) store('local')?.removeItem(TEACHER_KEY(d.code));
    this.watching = null;
    this.set({ view: null, problem: { code: 'not_teacher', message: 'This teacher link was revoked: a new one was made on another device. Ask for the new link.' } });
  };

  private readonly onConnect = (): void => {
    this.set({ connected: true });
    // A reconnect joins a fresh connection: subscribe again.
    if (this.watching) void this.watch(this.watching.code, this.watching.token);
  };

  private readonly onDisconnect = (): void => this.set({ connected: false });

  private connect(): ClassSocket {
    if (this.socket) return this.socket;
    const socket = namespaceSocket<ClassSocket>('/');
    this.socket = socket;
    socket.on('class:state', this.onState);
    socket.on('class:revoked', this.onRevoked);
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    if (socket.connected) this.connected = true;
    return socket;
  }

  private set(patch: Partial<Pick<ClassController, 'view' | 'problem' | 'connected' | 'pending'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  private async request<T>(send: (socket: ClassSocket, ack: (r: Ack<T>) => void) => void): Promise<Ack<T>> {
    const socket = this.connect();
    this.set({ pending: true });
    const r = await new Promise<Ack<T>>((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        resolve({ ok: false, error: { code: 'internal', message: 'The server did not answer in time. Check your connection and try again.' } });
      }, ACK_TIMEOUT);
      send(socket, (res) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(res.ok ? res : { ok: false, error: explain(res.error) });
      });
    });
    this.set({ pending: false });
    return r;
  }

  /** Opens a class; keeps the teacher token in this browser. */
  async create(name: string, lesson: string, grouping: Grouping, mode: Mode): Promise<Ack<ClassCreatedData>> {
    const r = await this.request<ClassCreatedData>((s, ack) => s.emit('class:create', { protocol: PROTOCOL_VERSION, name, lesson, grouping, mode }, ack));
    if (r.ok) store('local')?.setItem(TEACHER_KEY(r.data.code), r.data.teacherToken);
    return r;
  }

  /** Subscribes to the class's live view. */
  async watch(code: string, token: string): Promise<void> {
    this.watching = { code: code.toUpperCase(), token };
    const r = await this.request<ClassView>((s, ack) => s.emit('class:watch', { code: this.watching!.code, teacherToken: token }, ack));
    if (r.ok) this.set({ view: r.data, problem: null });
    else this.set({ problem: r.error });
  }

  async stop(): Promise<Ack<ClassView> | null> {
    const w = this.watching;
    if (!w) return null;
    const r = await this.request<ClassView>((s, ack) => s.emit('class:stop', { code: w.code, teacherToken: w.token }, ack));
    if (r.ok) this.set({ view: r.data });
    return r;
  }

  /** Pause or resume the class; let students use the host's controls or take them back. */
  controls(patch: { paused?: boolean; studentsControl?: boolean }): Promise<Ack<ClassView> | null> {
    return this.teacherRequest((s, w, ack) => s.emit('class:controls', { ...w, ...patch }, ack));
  }

  /** A new run in one room (or every room that has begun one). */
  restart(room?: string): Promise<Ack<ClassView> | null> {
    return this.teacherRequest((s, w, ack) => s.emit('class:restart', { ...w, ...(room ? { room } : {}) }, ack));
  }

  /** Every seated student of one room (or of every room) to the next seat, in a new run. */
  rotate(room?: string): Promise<Ack<ClassView> | null> {
    return this.teacherRequest((s, w, ack) => s.emit('class:rotate', { ...w, ...(room ? { room } : {}) }, ack));
  }

  /** A student to another seat of their room or to a free seat of another room. */
  move(from: string, player: string, to: string, role: Role): Promise<Ack<ClassView> | null> {
    return this.teacherRequest((s, w, ack) => s.emit('class:move', { ...w, from, player, to, role }, ack));
  }

  /** A teacher's request with the watched class's code and token; the view it answers with is shown at once. */
  private async teacherRequest(send: (socket: ClassSocket, w: { code: string; teacherToken: string }, ack: (r: Ack<ClassView>) => void) => void): Promise<Ack<ClassView> | null> {
    const w = this.watching;
    if (!w) return null;
    const r = await this.request<ClassView>((s, ack) => send(s, { code: w.code, teacherToken: w.token }, ack));
    if (r.ok) this.set({ view: r.data });
    return r;
  }

  /** Revokes the teacher link and makes a new one; this browser keeps the new token. */
  async rekey(): Promise<Ack<{ teacherToken: string }> | null> {
    const w = this.watching;
    if (!w) return null;
    const r = await this.request<{ teacherToken: string }>((s, ack) => s.emit('class:rekey', { code: w.code, teacherToken: w.token }, ack));
    if (r.ok) {
      this.watching = { code: w.code, token: r.data.teacherToken };
      adoptTeacherToken(w.code, r.data.teacherToken);
    }
    return r;
  }

  /** Deletes the class with its rooms, runs and notebooks. */
  async deleteClass(): Promise<Ack<{ rooms: number }> | null> {
    const w = this.watching;
    if (!w) return null;
    const r = await this.request<{ rooms: number }>((s, ack) => s.emit('class:delete', { code: w.code, teacherToken: w.token }, ack));
    if (r.ok) {
      store('local')?.removeItem(TEACHER_KEY(w.code));
      this.watching = null;
    }
    return r;
  }

  /** The teacher token this dashboard watches with. */
  get token(): string | null {
    return this.watching?.token ?? null;
  }

  /** Joins as a student; when seated, the room token is kept where the game looks for it. */
  async join(code: string, name: string, room?: string): Promise<Ack<ClassJoinedData>> {
    const r = await this.request<ClassJoinedData>((s, ack) => s.emit('class:join', { protocol: PROTOCOL_VERSION, code, name, ...(room ? { room } : {}) }, ack));
    if (r.ok && r.data.joined) {
      const j = r.data.joined;
      store('session')?.setItem(`reaplab.token.${j.room.code}`, j.token);
      store('session')?.setItem(SEAT_KEY(code), j.room.code);
    }
    return r;
  }
}
