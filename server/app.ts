// createApp wires the server from injectable parts — a store, a clock, a log and a lesson
// catalog — so tests run it on an ephemeral port with their own SQLite file, their own
// lessons and no bot delay, and a restart is just a new app on the same file.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ClassView } from '../protocol/events.js';
import { PAYLOAD_MAX } from '../protocol/schemas.js';
import { classReport } from './class-report.js';
import { ClassService } from './classes.js';
import { systemClock, type Clock, type Timer } from './clock.js';
import { AppEvents } from './events.js';
import { GraphCache } from './graphs.js';
import { createHttpApp } from './http.js';
import { attachNotebooks, type NotebookDeps, type Notebooks } from './notebook/index.js';
import type { LessonCatalog } from './lessons.js';
import { silentLog, type Log } from './log.js';
import { ServerMeter } from './metrics.js';
import type { RateLimit } from './rate-limit.js';
import { Retention } from './retention.js';
import { RoomService } from './rooms.js';
import { TeacherLessons, withTeacherLessons } from './teacher-lessons.js';
import { attachSockets, socketBroadcaster, type IoServer } from './socket.js';
import type { LessonQuota, Store } from './store/port.js';

export interface AppOptions {
  store: Store;
  lessons: LessonCatalog;
  clock?: Clock;
  log?: Log;
  /** Delay before a bot steps, ms (default 700; 0 in tests). */
  botDelayMs?: number;
  /** How long a disconnected player's role is kept from others, ms (default 60 s). */
  roleGraceMs?: number;
  rateLimit?: RateLimit;
  /** Folder of the built client, or null to serve none. */
  clientDir?: string | null;
  /** Serve GET /metrics (event-loop utilisation, memory, counters). */
  metrics?: boolean;
  /** Transport limit: larger messages close the connection (bytes). */
  maxHttpBufferSize?: number;
  /** CORS origins allowed for the socket (default: same origin only). */
  corsOrigins?: string[];
  /** Notebook compaction and unloading (defaults suit production). */
  notebooks?: NotebookDeps['tuning'];
  /** Rooms with nobody connected for this long leave memory (they stay stored). Default 15 min; 0: never. */
  evictAfterMs?: number;
  /** Rooms, classes and notebooks unused this long are removed (default 180 days), checked every `everyMs` (default 1 h; 0: never). */
  retention?: { unusedForMs?: number; everyMs?: number };
  /** What one teacher may keep of lessons written in the browser (default 20 lessons, 256 kB). */
  lessonQuota?: LessonQuota;
}

export interface App {
  http: HttpServer;
  io: IoServer;
  events: AppEvents;
  rooms: RoomService;
  classes: ClassService;
  retention: Retention;
  /** Collaborative notebooks. */
  notebooks: Notebooks;
  /** Listens on the port (0: ephemeral) and resolves with the port. */
  listen(port: number, host?: string): Promise<number>;
  /** Closes sockets, the HTTP server and stops timers. The store stays open (the caller owns it). */
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 40, perSecond: 20 };

export function createApp(opts: AppOptions): App {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLog;
  const events = new AppEvents();
  // Rooms and classes open campaign lessons and lessons written in the browser alike.
  const lessons = withTeacherLessons(opts.lessons, opts.store);
  const teacherLessons = new TeacherLessons({ store: opts.store, clock, campaign: opts.lessons, ...(opts.lessonQuota ? { quota: opts.lessonQuota } : {}) });
  const graphs = new GraphCache();
  let io: IoServer | null = null;
  const sockets = socketBroadcaster(() => io!);
  let notebookSeats: ((code: string, classCode: string | null) => void) | null = null;
  // A roster or host change also moves notebook seats (a released player stops editing at once).
  const broadcaster: typeof sockets = {
    ...sockets,
    roomState(code, view) {
      sockets.roomState(code, view);
      notebookSeats?.(code, view.classCode);
    },
  };
  let classes: ClassService | null = null;
  const rooms = new RoomService({
    store: opts.store,
    clock,
    log,
    lessons,
    graphs,
    events,
    broadcaster,
    botDelayMs: opts.botDelayMs ?? 700,
    roleGraceMs: opts.roleGraceMs ?? 60_000,
    classClosed: (code) => classes!.isClosed(code),
    classRoomChanged: (code, what) => classes!.changed(code, what),
  });
  classes = new ClassService({
    store: opts.store,
    clock,
    log,
    lessons,
    graphs,
    rooms: () => rooms,
    notify: (code: string, view: ClassView) => broadcaster.classState(code, view),
  });
  const cls = classes;
  events.on('run:finished', (trace) => cls.onRunFinished(trace));

  const meter = opts.metrics ? new ServerMeter({ connections: () => io?.engine.clientsCount ?? 0, rooms }) : null;
  const metrics = meter ? () => meter.read() : null;

  const app = createHttpApp({
    store: opts.store,
    lessons,
    classInfo: (code) => cls.info(code),
    classReport: (code) => classReport({ store: opts.store, lessons, graphs, clock }, code),
    teacherLessons,
    log,
    clientDir: opts.clientDir ?? null,
    metrics,
    jsonLimit: `${PAYLOAD_MAX}b`,
  });
  const http = createServer(app);
  io = new Server(http, {
    maxHttpBufferSize: opts.maxHttpBufferSize ?? 16 * 1024,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    ...(meter ? { parser: meter.parser } : {}),
    ...(opts.corsOrigins ? { cors: { origin: opts.corsOrigins } } : {}),
  });
  // Notebooks exist below; the retention job asks them what is open through this late binding.
  let notebooksRef: Notebooks | null = null;
  const retention = new Retention({
    store: opts.store,
    clock,
    log,
    inUse: { room: (code) => rooms.isLoaded(code), notebook: (id) => notebooksRef?.service.isLive(id) ?? false },
    removed: (kind, id) => { if (kind === 'room') rooms.forget(id); },
    ...opts.retention,
  });
  const deleteNotebookIfClosed = (id: string) => {
    if (!(notebooksRef?.service.isLive(id) ?? false)) opts.store.retention.deleteNotebook(id);
  };
  attachSockets(io, {
    rooms,
    classes,
    touch: (kind, id) => retention.touch(kind, id),
    // A deleted class takes its notebooks along (one still open somewhere goes when retention finds it unused).
    classDeleted: (code, deleted) => {
      deleteNotebookIfClosed(`class-${code}`);
      for (const r of deleted) deleteNotebookIfClosed(`room-${r}`);
    },
    store: opts.store,
    clock,
    log,
    rateLimit: opts.rateLimit ?? DEFAULT_RATE_LIMIT,
    ...(meter ? { timed: (event: string, ms: number, cpuMs: number) => meter.timed(event, ms, cpuMs) } : {}),
  });
  const notebooks = attachNotebooks({ io, store: opts.store, events, rooms, classes, lessons, clock, log, touch: (id) => retention.touch('notebook', id), ...(opts.notebooks ? { tuning: opts.notebooks } : {}) });
  notebooksRef = notebooks;
  retention.start();
  notebookSeats = (code, classCode) => notebooks.service.roomChanged(code, classCode);

  const evictAfter = opts.evictAfterMs ?? 15 * 60_000;
  let sweep: Timer | null = null;
  const scheduleSweep = () => {
    sweep = clock.setTimeout(() => {
      const n = rooms.evictIdle(evictAfter);
      if (n) log.info('rooms: evicted idle rooms from memory', { rooms: n });
      scheduleSweep();
    }, Math.max(1000, Math.min(evictAfter, 60_000)));
  };
  if (evictAfter > 0) scheduleSweep();

  return {
    http,
    io,
    events,
    rooms,
    classes,
    retention,
    notebooks,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve((http.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      sweep?.cancel();
      retention.stop();
      rooms.stop();
      cls.stopTimers();
      await new Promise<void>((resolve) => {
        void io!.close(() => resolve());
      });
      await notebooks.stop();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
