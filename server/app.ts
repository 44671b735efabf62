// createApp wires the server from injectable parts — a store, a clock, a log and a lesson
// catalog — so tests run it on an ephemeral port with their own SQLite file, their own
// lessons and no bot delay, and a restart is just a new app on the same file.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ClassView } from '../protocol/events.js';
import { PAYLOAD_MAX } from '../protocol/schemas.js';
import { classReport } from './class-report.js';
import { ClassControlService } from './class-controls.js';
import { ClassRoomService } from './class-rooms.js';
import { ClassService } from './classes.js';
import { systemClock, type Clock, type Timer } from './clock.js';
import { AppEvents } from './events.js';
import { workerGraphBuilder } from './graph-builder.js';
import { GraphCache } from './graphs.js';
import { createHttpApp } from './http.js';
import { attachNotebooks, type NotebookDeps, type Notebooks } from './notebook/index.js';
import type { LessonCatalog } from './lessons.js';
import type { Readiness } from './lifecycle.js';
import { silentLog, type Log } from './log.js';
import { edgeLimits, type Limits } from './limits/index.js';
import { ServerMeter } from './metrics.js';
import { jsonBroadcastParser } from './wire-parser.js';
import type { RateLimit } from './rate-limit.js';
import { Retention } from './retention.js';
import { notebookGamePorts } from './notebook-ports.js';
import type { HomePort } from './room-registry.js';
import type { RoomService } from './rooms.js';
import { resolveScenario, type ScenarioChoice } from './scenarios.js';
import { TeacherLessons, withTeacherLessons } from './teacher-lessons.js';
import { applySession, attachSockets, socketBroadcaster, type HomeRoute, type IoServer } from './socket.js';
import { gameOps, type GameCall } from './game-ops.js';
import { homeOfRoom, notebookPlace } from './cluster/homes.js';
import { ClusterNode, type ClusterParts } from './cluster/node.js';
import { isStepBatchStore, type AnyStore, type LessonQuota } from './store/port.js';
import { StepCommitter } from './step-commit.js';

export interface AppOptions {
  /** SQLite (synchronous) or PostgreSQL (asynchronous): every service awaits it. */
  store: AnyStore;
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
  /** Origins, connections, creations and code lookups per address, proxies trusted (server/limits; defaults DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Bytes the cached state graphs may hold together (default 256 MiB). */
  graphCacheBytes?: number;
  /** Notebook compaction and unloading (defaults suit production). */
  notebooks?: NotebookDeps['tuning'];
  /** Rooms with nobody connected for this long leave memory (they stay stored). Default 15 min; 0: never. */
  evictAfterMs?: number;
  /** Rooms, classes and notebooks unused this long are removed (default 180 days), checked every `everyMs` (default 1 h; 0: never). */
  retention?: { unusedForMs?: number; everyMs?: number };
  /** What one teacher may keep of lessons written in the browser (default 20 lessons, 256 kB). */
  lessonQuota?: LessonQuota;
  /** GET /api/ready (server/lifecycle.ts); without it the node is always ready. */
  readiness?: () => Promise<Readiness>;
  /** Cluster mode: this node's leases and inbox (server/cluster/node.ts); without it, one process owns everything. */
  cluster?: ClusterParts;
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
  /** Cluster mode: ownership, forwarding, hand-over (null in one process). */
  cluster: ClusterNode | null;
  /** Listens on the port (0: ephemeral) and resolves with the port. */
  listen(port: number, host?: string): Promise<number>;
  /** Closes sockets, the HTTP server and stops timers. The store stays open (the caller owns it). */
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 40, perSecond: 20 };

export function createApp(opts: AppOptions): App {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLog;
  const store = opts.store;
  const events = new AppEvents();
  // Rooms and classes open campaign lessons and lessons written in the browser alike.
  const lessons = withTeacherLessons(opts.lessons, opts.store);
  const teacherLessons = new TeacherLessons({ store: opts.store, clock, campaign: opts.lessons, ...(opts.lessonQuota ? { quota: opts.lessonQuota } : {}) });
  // New scenarios' graphs are built in a worker; the cache is bounded by their bytes.
  const graphs = new GraphCache({ clock, builder: workerGraphBuilder(), ...(opts.graphCacheBytes ? { budgetBytes: opts.graphCacheBytes } : {}) });
  const edge = edgeLimits(opts.limits, clock);
  const wire = jsonBroadcastParser();
  const meter = opts.metrics ? new ServerMeter(wire) : null;
  // The transport first, so that every service below is built with everything it uses:
  // the wiring runs one way, and services hear of each other only through `events`.
  const http = createServer();
  const io: IoServer = new Server(http, {
    maxHttpBufferSize: opts.maxHttpBufferSize ?? 16 * 1024,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    parser: meter ? meter.parser : wire,
    allowRequest: edge.allowRequest,
    ...(edge.limits.origins ? { cors: { origin: edge.limits.origins } } : {}),
  });
  edge.attach(io);
  // Cluster mode: set below, before the first connection; everything that routes asks it late.
  let node: ClusterNode | null = null;
  const broadcaster = socketBroadcaster(io, (socketId, session, onlyIfRoom) => {
    if (node) node.pushSession(socketId, session, onlyIfRoom);
    else applySession(io, socketId, session, onlyIfRoom);
  });
  const homes: HomePort | undefined = opts.cluster ? {
    opening: (code, classCode) => node!.opening(code, classCode),
    holds: (home) => node!.ownership.holds(home),
    placed: (code, classCode) => node!.ownership.placeRoom(code, classCode),
  } : undefined;
  // A store that can commit several rooms' steps at once (SQLite) commits each turn's steps together.
  const steps = isStepBatchStore(store) ? new StepCommitter(store, clock) : null;
  const rooms = new ClassRoomService({
    store, clock, log, lessons, graphs, events, broadcaster, ...(homes ? { homes } : {}), ...(steps ? { steps } : {}),
    botDelayMs: opts.botDelayMs ?? 700,
    roleGraceMs: opts.roleGraceMs ?? 60_000,
  });
  const classes = new ClassService({
    store, clock, log, lessons, graphs, rooms, events, ...(homes ? { homes } : {}),
    notify: (code: string, view: ClassView) => broadcaster.classState(code, view),
  });
  const admission = {
    graphs,
    scenarioOf: async (p: ScenarioChoice) => { const r = await resolveScenario(lessons, p); return r.ok ? r.scenario : null; },
    create: edge.create,
    codes: { wait: edge.codeWait, missed: edge.codeMissed },
  };
  const classControls = new ClassControlService({ classes, rooms, store, log });
  const notebooks = attachNotebooks({
    io, store, events, game: notebookGamePorts(rooms, classes), lessons, clock, log, admission,
    ...(opts.cluster ? { route: () => ({ notebookHome: (id: string) => node!.notebookHome(id), run: (home: string, call: unknown) => node!.run(home, call) }) } : {}),
    ...(opts.notebooks ? { tuning: opts.notebooks } : {}),
  });
  const retention = new Retention({
    store, clock, log,
    inUse: { room: (code) => rooms.isLoaded(code), notebook: (id) => notebooks.service.isLive(id) },
    removed: (kind, id) => { if (kind === 'room') rooms.forget(id); },
    ...opts.retention,
  });
  const ops = gameOps({ io: () => io, rooms, classes, classControls, events, homeOf: homeOfRoom }, store);
  const route: HomeRoute = opts.cluster
    ? { roomHome: (code) => node!.roomHome(code), run: (home, call) => node!.run(home, call) }
    : { roomHome: async (code) => code, run: (_home, call) => ops.serve(call as GameCall) };
  const gameEdge = attachSockets(io, {
    ops, route, clock, log,
    rateLimit: opts.rateLimit ?? DEFAULT_RATE_LIMIT,
    admission,
    ...(meter ? { timed: (event: string, ms: number, cpuMs: number) => meter.timed(event, ms, cpuMs) } : {}),
  });
  if (opts.cluster) {
    const homeOfNotebookHere = (id: string) => { const p = notebookPlace(id); return 'room' in p ? node!.ownership.knownHomeOfRoom(p.room) : p.home; };
    node = new ClusterNode(opts.cluster, {
      clock, log,
      serveGame: ops.serve,
      serveNotebook: notebooks.serve,
      unloadHome: (home) => {
        rooms.unloadHome(home);
        classes.unload(home);
        notebooks.service.unloadWhere((id) => homeOfNotebookHere(id) === home);
      },
      inUse: (home) => rooms.hasHome(home) || notebooks.service.holdsAny((id) => homeOfNotebookHere(id) === home),
      reattach: async (home) => {
        await gameEdge.reattach(home);
        await notebooks.edge.reattach(home);
      },
      applySession: (socketId, session, onlyIfRoom) => applySession(io, socketId, session, onlyIfRoom),
    });
    node.start();
  }
  http.on('request', createHttpApp({
    store,
    lessons,
    classInfo: (code) => classes.info(code),
    classReport: (code) => classReport({ store, lessons, graphs, clock }, code),
    teacherLessons,
    log,
    clientDir: opts.clientDir ?? null,
    metrics: meter ? () => meter.read({ connections: () => io.engine.clientsCount, rooms, steps }) : null,
    ...(opts.readiness ? { readiness: opts.readiness } : {}),
    jsonLimit: `${PAYLOAD_MAX}b`,
    trustProxy: edge.limits.trustProxy,
    codes: { wait: edge.codeWait, missed: edge.codeMissed },
  }));

  // Who listens to whom (each service announces; none calls back up).
  events.on('room:changed', (c) => { if (c.classCode) classes.changed(c.classCode, c.what); });
  events.on('run:finished', (trace) => classes.onRunFinished(trace));
  events.on('class:deleted', (_code, deleted) => { for (const r of deleted) rooms.forget(r); });
  events.on('used', (kind, id) => retention.touch(kind, id));
  retention.start();

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
    cluster: node,
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
      classes.stopTimers();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await notebooks.stop();
      await graphs.stop();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
