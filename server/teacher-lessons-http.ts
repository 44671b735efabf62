// The HTTP face of lessons written in the browser (/api/teacher-lessons). A lesson's YAML
// travels as the request body (application/yaml, up to LESSON_BYTES_MAX: larger than a
// socket message may be); the lesson key comes in the Authorization header as a bearer
// token. Reading a lesson's YAML needs only its id (the share link); listing, changing and
// removing need its key.

import express, { type Request, type Response, type Router } from 'express';
import type { ErrorCode } from '../protocol/events.js';
import { Token } from '../protocol/schemas.js';
import { LESSON_BYTES_MAX, TEACHER_LESSON_ID, type LessonWriteError, type TeacherLessons } from './teacher-lessons.js';

function keyOf(req: Request): string | null | 'bad' {
  const h = req.get('authorization');
  if (h === undefined) return null;
  const m = /^Bearer (\S+)$/.exec(h);
  return m && Token.safeParse(m[1]).success ? m[1]! : 'bad';
}

const STATUS: Record<LessonWriteError['code'], number> = {
  bad_lesson: 422, payload_too_large: 413, quota_exceeded: 403, not_lesson_owner: 403, unknown_lesson: 404, lesson_in_use: 409,
};

function fail(res: Response, status: number, code: ErrorCode, message: string, extra: object = {}): void {
  res.status(status).json({ ok: false, error: { code, message, ...extra } });
}

function failWrite(res: Response, e: LessonWriteError): void {
  fail(res, STATUS[e.code], e.code, e.message, 'errors' in e ? { errors: e.errors } : {});
}

export function teacherLessonRoutes(lessons: TeacherLessons): Router {
  const r = express.Router();
  const yaml = express.text({ type: ['application/yaml', 'text/yaml', 'text/plain'], limit: LESSON_BYTES_MAX + 1024 });
  r.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); });

  const needKey = (req: Request, res: Response): string | null => {
    const key = keyOf(req);
    if (key === null || key === 'bad') {
      fail(res, 401, 'not_lesson_owner', 'send your lesson key as "Authorization: Bearer <key>"');
      return null;
    }
    return key;
  };
  const body = (req: Request, res: Response): string | null => {
    if (typeof req.body !== 'string') {
      fail(res, 415, 'bad_request', 'send the lesson as its YAML text with Content-Type: application/yaml');
      return null;
    }
    return req.body;
  };

  r.get('/', async (req, res) => {
    const key = needKey(req, res);
    if (key) res.json({ ok: true, data: await lessons.mine(key) });
  });
  r.post('/', yaml, async (req, res) => {
    const key = keyOf(req);
    if (key === 'bad') return fail(res, 401, 'not_lesson_owner', 'the lesson key is not valid: leave the Authorization header out to get a new one');
    const text = body(req, res);
    if (text === null) return;
    const w = await lessons.save(key, text, null);
    if (!w.ok) return failWrite(res, w.error);
    res.status(201).json({ ok: true, data: { id: w.id, ownerKey: w.ownerKey, title: w.lesson.title } });
  });
  r.get('/:id', async (req, res) => {
    const src = await lessons.source(String(req.params.id));
    if (!src) return fail(res, 404, 'unknown_lesson', 'no such lesson: it may have been removed by its teacher');
    res.json({ ok: true, data: src });
  });
  r.put('/:id', yaml, async (req, res) => {
    const id = String(req.params.id);
    if (!TEACHER_LESSON_ID.test(id)) return fail(res, 404, 'unknown_lesson', 'no such lesson');
    const key = needKey(req, res);
    if (!key) return;
    const text = body(req, res);
    if (text === null) return;
    const w = await lessons.save(key, text, id);
    if (!w.ok) return failWrite(res, w.error);
    res.json({ ok: true, data: { id: w.id, ownerKey: w.ownerKey, title: w.lesson.title } });
  });
  r.delete('/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!TEACHER_LESSON_ID.test(id)) return fail(res, 404, 'unknown_lesson', 'no such lesson');
    const key = needKey(req, res);
    if (!key) return;
    const w = await lessons.remove(key, id);
    if (!w.ok) return failWrite(res, w.error);
    res.json({ ok: true, data: {} });
  });
  return r;
}
