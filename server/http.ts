// The HTTP side: security headers (helmet, strict CSP), a small read-only REST API
// (lessons, traces, progress, class info, health, optional metrics) and the built client from
// dist/client with an index.html fallback for the client's routes (/r/CODE, /c/CODE, ...).
// Everything that changes a room or a class goes over the socket, where the room authority
// lives; lessons written in the browser are saved over HTTP (./teacher-lessons-http.ts),
// their YAML being larger than a socket message may be.

import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { reportCsv, reportMarkdown, type ClassReport } from '../protocol/class-report.js';
import type { ClassInfo, ErrorCode, LessonDetail } from '../protocol/events.js';
import type { Readiness } from './lifecycle.js';
import { PROTOCOL_VERSION } from '../protocol/events.js';
import { Code, Name } from '../protocol/schemas.js';
import { clientFiles } from './client-files.js';
import { lessonById, lessonListItem, type LessonCatalog } from './lessons.js';
import type { Log } from './log.js';
import type { TrustProxy } from './limits/address.js';
import { siteHelmet } from './security-headers.js';
import type { AnyStore } from './store/port.js';
import { isUnavailable, UNAVAILABLE_MESSAGE } from './store/unavailable.js';
import type { TeacherLessons } from './teacher-lessons.js';
import { teacherLessonRoutes } from './teacher-lessons-http.js';

export interface HttpDeps {
  store: AnyStore;
  lessons: LessonCatalog;
  log: Log;
  /** A class's public face (GET /api/classes/:code), or null when there is no such class. */
  classInfo?: (code: string) => Promise<ClassInfo | null>;
  /** A class's report (GET /api/classes/:code/report.csv|.md), or null when there is no such class. */
  classReport?: (code: string) => Promise<ClassReport | null>;
  /** Lessons written in the browser (/api/teacher-lessons), when served. */
  teacherLessons?: TeacherLessons;
  /** Folder of the built client (index.html + assets); served when it exists. */
  clientDir: string | null;
  /** GET /metrics, when set. */
  metrics: (() => unknown) | null;
  /** GET /api/ready: whether this node should get traffic (default: always ready). */
  readiness?: () => Promise<Readiness>;
  jsonLimit: string;
  /** Express's "trust proxy" (which X-Forwarded-For hops name the client); false: the peer. */
  trustProxy?: TrustProxy;
  /** Code guessing, per address: how long until the address may look codes up (0: now), and a miss to count. */
  codes?: { wait(req: Request): number; missed(req: Request): void };
}

const TraceId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);

function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ ok: false, error: { code, message } });
}

export function createHttpApp(d: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', d.trustProxy ?? false);
  app.use(siteHelmet());
  app.use(express.json({ limit: d.jsonLimit }));

  const api = express.Router();
  // Liveness: the process answers (a draining node, or one whose database is away, is still alive).
  api.get('/health', (_req, res) => {
    res.json({ ok: true, data: { protocol: PROTOCOL_VERSION } });
  });
  // Readiness: send this node traffic. 503 while it drains or while its database does not answer.
  api.get('/ready', async (_req, res) => {
    const r = d.readiness ? await d.readiness() : ({ ready: true } as const);
    res.setHeader('cache-control', 'no-store');
    if (r.ready) res.json({ ok: true, data: { ready: true } });
    else res.status(503).json({ ok: false, error: { code: 'unavailable', message: r.message, reason: r.reason } });
  });
  api.get('/lessons', (_req, res) => {
    res.json({ ok: true, data: d.lessons.list().map(lessonListItem) });
  });
  api.get('/lessons/:id', async (req, res) => {
    const lesson = await lessonById(d.lessons, String(req.params.id));
    if (!lesson) return sendError(res, 404, 'unknown_lesson', 'no such lesson');
    const data: LessonDetail = { ...lesson, scenario: d.lessons.scenario(lesson) };
    res.json({ ok: true, data });
  });
  api.get('/traces/:id', async (req, res) => {
    const id = TraceId.safeParse(req.params.id);
    const trace = id.success ? await d.store.getTrace(id.data) : null;
    if (!trace) return sendError(res, 404, 'bad_request', 'no such trace');
    res.json({ ok: true, data: trace });
  });
  api.get('/rooms/:code/traces', async (req, res) => {
    const code = Code.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'bad_request', 'a room code is 4 to 8 letters or digits');
    res.json({ ok: true, data: await d.store.listTraces(code.data, 50) });
  });
  // What a typed code is (the first screen has one field for room and class codes): always 200.
  // Rate-limited per address: guessing codes is how a stranger would find a room (docs/SECURITY.md).
  api.get('/codes/:code', async (req, res) => {
    const wait = d.codes?.wait(req) ?? 0;
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      return sendError(res, 429, 'rate_limited', `too many code lookups from your address; try again in ${Math.ceil(wait / 1000)} s`);
    }
    const code = Code.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'bad_request', 'a code is 4 to 8 letters or digits');
    const kind = (await d.store.getClass(code.data)) ? 'class' : (await d.store.codeTaken(code.data)) ? 'room' : 'none';
    if (kind === 'none') d.codes?.missed(req);
    res.json({ ok: true, data: { code: code.data, kind } });
  });
  api.get('/classes/:code', async (req, res) => {
    const code = Code.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'bad_request', 'a class code is 4 to 8 letters or digits');
    const info = (await d.classInfo?.(code.data)) ?? null;
    if (!info) return sendError(res, 404, 'unknown_class', `no class with code ${code.data}`);
    res.json({ ok: true, data: info });
  });
  // The class report is as open as the class notebook it is linked from: whoever has the code reads it.
  api.get('/classes/:code/report.:format', async (req, res) => {
    const code = Code.safeParse(req.params.code);
    const format = String(req.params.format);
    if (!code.success || (format !== 'csv' && format !== 'md')) return sendError(res, 400, 'bad_request', 'the report is /api/classes/<CODE>/report.csv or report.md');
    const report = (await d.classReport?.(code.data)) ?? null;
    if (!report) return sendError(res, 404, 'unknown_class', `no class with code ${code.data}`);
    const name = `class-${report.classCode}-report.${format}`;
    res.setHeader('Content-Disposition', `inline; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(reportCsv(report));
    else res.type('text/markdown; charset=utf-8').send(reportMarkdown(report));
  });
  api.get('/progress/:name', async (req, res) => {
    const name = Name.safeParse(req.params.name);
    if (!name.success) return sendError(res, 400, 'bad_request', 'not a valid name');
    const got = await d.store.getProgress(name.data.toLowerCase());
    res.json({ ok: true, data: { name: got?.name ?? name.data, won: got?.won ?? [] } });
  });
  if (d.teacherLessons) api.use('/teacher-lessons', teacherLessonRoutes(d.teacherLessons));
  api.use((_req, res) => sendError(res, 404, 'bad_request', 'no such endpoint; see docs/PROTOCOL.md'));
  app.use('/api', api);

  if (d.metrics) {
    const metrics = d.metrics;
    app.get('/metrics', (_req, res) => {
      res.json(metrics());
    });
  }

  if (d.clientDir && existsSync(join(d.clientDir, 'index.html'))) {
    app.use(clientFiles(d.clientDir));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('reaplab server is running; the client is not built (npm start builds it).');
    });
  }

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the request body is too large');
    if (e.status === 400) return sendError(res, 400, 'bad_request', 'the request body is not valid JSON');
    if (isUnavailable(err)) return sendError(res, 503, 'unavailable', UNAVAILABLE_MESSAGE);
    d.log.error('http: unhandled error', { error: String(err) });
    sendError(res, 500, 'internal', 'something went wrong on the server');
  });
  return app;
}
