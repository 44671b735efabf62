// Test harness for the socket tests: a real app on an ephemeral port with its own SQLite
// file and lesson catalog, and typed socket.io clients that record every broadcast so a
// test can wait for an explicit state instead of sleeping.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, beforeEach } from 'vitest';
import { explore, type Action, type OutcomeId, type Scenario } from '../../engine/index.js';
import type { Lesson } from '../../lessons/schema.js';
import type {
  Ack, ClassView, ClientToServerEvents, GameStep, GameView, JoinedData, PayloadOf, ReplyOf, RoomView, ServerToClientEvents,
} from '../../protocol/events.js';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { GameFollower } from '../../protocol/game-step.js';
import { createApp, type App, type AppOptions } from '../../server/app.js';
import { staticCatalog } from '../../server/lessons.js';
import { SqliteStore } from '../../server/store/sqlite.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A lesson for tests: rfc-v1 × pgtable-heavy (oops reachable in 9 steps), race mode, lazy bots. */
export function fixtureLesson(over: Partial<Lesson> = {}): Lesson {
  const role = (bot: Lesson['roles']['victim']['bot']) => ({ does: 'steps', wants: 'things', side: 'hunt' as const, bot });
  return {
    id: 'fixture-oops',
    order: 1,
    title: 'Fixture: the first VMA has no previous VMA',
    chapter: 'Tests',
    date: '2018-09',
    variant: 'rfc-v1',
    config: 'pgtable-heavy',
    mode: 'race',
    roles: { solo: 'scheduler', victim: role('lazy'), reaper: role('lazy'), allocator: role('lazy') },
    goal: { kind: 'hunt', outcome: 'oops', text: 'Make the kernel oops.' },
    story: 'A story.',
    win: 'You found the oops.',
    lose: 'No oops this time.',
    takeaway: 'The first VMA has no previous VMA.',
    simplifies: 'One model page stands for many.',
    hints: ['one', 'two'],
    sources: [{ kind: 'thread', id: 'x', title: 'thread', date: '2018-09' }],
    expect: { reachable: ['oops'], unreachable: [] },
    ...over,
  };
}

export interface TestServer {
  app: App;
  url: string;
  port: number;
  store: SqliteStore;
  dbPath: string;
  dir: string;
  /** Closes the app and the store (the file stays for a restart). */
  stop(): Promise<void>;
  /** Removes the temp folder. */
  cleanup(): void;
}

export async function startServer(opts: Partial<AppOptions> & { dir?: string; lessons?: AppOptions['lessons'] } = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'reaplab-test-'));
  const dbPath = join(dir, 'reaplab.sqlite');
  const store = new SqliteStore(dbPath);
  const app = createApp({
    lessons: staticCatalog([fixtureLesson(), fixtureLesson({ id: 'fixture-scheduler', order: 2, mode: 'scheduler' })]),
    botDelayMs: 0,
    ...opts,
    store,
  });
  const port = await app.listen(0, '127.0.0.1');
  let stopped = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    dbPath,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      store.close();
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A connected client that records every room:state it receives and every game view it comes
 * to hold from the room's broadcasts: a whole game:state, or the view a game:step delta gives
 * (protocol/game-step.ts, resyncing with game:sync on a gap), as a browser would.
 */
export class Client {
  /** The game views this client held after each broadcast (join acks excluded). */
  readonly games: GameView[] = [];
  /** The game:state (whole view) and game:step (delta) broadcasts received, as they came. */
  readonly fulls: GameView[] = [];
  readonly steps: GameStep[] = [];
  readonly rooms: RoomView[] = [];
  readonly classes: ClassView[] = [];
  readonly left: { code: string; reason: string }[] = [];
  /** The rooms the teacher moved this student out of (room:moved). */
  readonly moved: string[] = [];
  joined: JoinedData | null = null;
  /** Follows the game from whole views and deltas (the one rule every client uses). */
  readonly follower: GameFollower;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: ClientSocket) {
    const poke = () => {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    };
    this.follower = new GameFollower({
      sync: async (code) => {
        const r = await this.call('game:sync', { code });
        return r.ok ? r.data : null;
      },
      changed: (g) => {
        this.games.push(g);
        poke();
      },
    });
    socket.on('game:state', (g) => { this.fulls.push(g); this.follower.full(g); poke(); });
    socket.on('game:step', (d) => { this.steps.push(d); this.follower.step(d); poke(); });
    socket.on('room:state', (r) => { this.rooms.push(r); poke(); });
    socket.on('class:state', (c) => { this.classes.push(c); poke(); });
    socket.on('room:left', (d) => { this.left.push(d); poke(); });
    // The teacher moved this student: from now on the room (and the seat token) are the new one's.
    socket.on('room:moved', (d) => {
      this.moved.push(d.from);
      this.joined = d.joined;
      this.rooms.push(d.joined.room);
      this.follower.full(d.joined.game);
      poke();
    });
  }

  /** The view a join (or create) answered with: the base the next deltas apply to. */
  private seed(j: JoinedData): void {
    this.joined = j;
    this.follower.joined(j.game);
  }

  /** The latest game view (from a broadcast or the join ack). */
  get game(): GameView {
    const g = this.games[this.games.length - 1] ?? this.joined?.game;
    if (!g) throw new Error('no game view yet');
    return g;
  }

  get room(): RoomView {
    const r = this.rooms[this.rooms.length - 1] ?? this.joined?.room;
    if (!r) throw new Error('no room view yet');
    return r;
  }

  call<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>): Promise<Ack<ReplyOf<E>>> {
    return new Promise((resolve) => {
      (this.socket.emit as (e: string, p: unknown, ack: (r: Ack<ReplyOf<E>>) => void) => void)(event, payload, resolve);
    });
  }

  /** Sends anything (for malformed payloads). */
  raw(event: string, payload: unknown): Promise<Ack<unknown>> {
    return new Promise((resolve) => {
      (this.socket.emit as (e: string, p: unknown, ack: (r: Ack<unknown>) => void) => void)(event, payload, resolve);
    });
  }

  async create(name: string, over: Partial<PayloadOf<'room:create'>> = {}): Promise<JoinedData> {
    const r = await this.call('room:create', { protocol: PROTOCOL_VERSION, name, lesson: 'fixture-oops', ...over });
    if (!r.ok) throw new Error(`create failed: ${r.error.code} ${r.error.message}`);
    this.seed(r.data);
    return r.data;
  }

  /**
   * A race room with every bot off before any bot could move: created in scheduler mode,
   * bots off, then race (bots play as soon as anyone is connected in race mode).
   */
  async createForHumans(name: string, over: Partial<PayloadOf<'room:create'>> = {}): Promise<JoinedData> {
    const j = await this.create(name, { ...over, mode: 'scheduler' });
    for (const role of ['victim', 'reaper', 'allocator'] as const) ok(await this.call('bot:set', { role, kind: null }));
    if ((over.mode ?? 'race') === 'race') ok(await this.call('game:mode', { mode: 'race' }));
    await this.until(() => this.room.mode === (over.mode ?? 'race') && Object.values(this.room.bots).every((b) => b === null), 'bots off');
    return { ...j, room: this.room };
  }

  async join(code: string, name: string, token?: string): Promise<JoinedData> {
    const r = await this.call('room:join', { protocol: PROTOCOL_VERSION, code, name, ...(token ? { token } : {}) });
    if (!r.ok) throw new Error(`join failed: ${r.error.code} ${r.error.message}`);
    this.seed(r.data);
    return r.data;
  }

  /** Resolves once `pred` holds for what this client has received. */
  until(pred: () => boolean, what = 'condition'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  untilVersion(v: number): Promise<void> {
    return this.until(() => this.games.some((g) => g.version >= v), `game version ${v}`);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function connect(url: string): Promise<Client> {
  const socket: ClientSocket = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const c = new Client(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return c;
}

/** The explorer's shortest trace to an outcome in a scenario. */
export function shortestTrace(scenario: Scenario, outcome: OutcomeId): Action[] {
  const r = explore(scenario).outcomes[outcome];
  if (!r.reachable) throw new Error(`${outcome} is not reachable`);
  return r.trace;
}

export function ok<T>(r: Ack<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

/**
 * A fresh server for every test of the file, and `open()` for clients that are closed with
 * it. Read `ctx.srv` inside the tests.
 */
export interface PerTestServer {
  srv: TestServer;
  /** A client of `s` (default: this test's server), closed after the test. */
  open(s?: TestServer): Promise<Client>;
  /** Closes every client opened so far (before stopping an extra server). */
  closeClients(): void;
}

export function useServerPerTest(): PerTestServer {
  const clients: Client[] = [];
  const ctx: PerTestServer = {
    srv: undefined as unknown as TestServer,
    async open(s: TestServer = ctx.srv): Promise<Client> {
      const c = await connect(s.url);
      clients.push(c);
      return c;
    },
    closeClients(): void {
      for (const c of clients.splice(0)) c.close();
    },
  };
  beforeEach(async () => {
    ctx.srv = await startServer();
  });
  afterEach(async () => {
    ctx.closeClients();
    await ctx.srv.stop();
    ctx.srv.cleanup();
  });
  return ctx;
}
