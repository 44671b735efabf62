// Lessons written in the browser, over HTTP: saved with a lesson key (made on the first
// save), refused with the parser's line:col when the YAML is wrong, held to the quota,
// served by link, opened as a room and a class, and removable only by their key and
// only while no class runs them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { ok, startServer, useServerPerTest, type TestServer } from './helpers.js';

const ctx = useServerPerTest();
const VALID = readFileSync(new URL('../../lessons/fixtures/minimal.yaml', import.meta.url), 'utf8');

async function send(srv: TestServer, method: string, path: string, body?: string, key?: string) {
  const res = await fetch(`${srv.url}/api/teacher-lessons${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/yaml' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; errors?: { line: number; col: number; path: string }[] } } };
}

describe('lessons written in the browser', () => {
  it('a first save makes a lesson key; the lesson is served by its id and listed for its key alone', async () => {
    const saved = await send(ctx.srv, 'POST', '/', VALID);
    expect(saved.status).toBe(201);
    const { id, ownerKey } = saved.body.data as { id: string; ownerKey: string };
    expect(id).toMatch(/^t-[a-z0-9]{10}$/);
    // The key is stored only hashed.
    expect(ctx.srv.store.teacherLessons.get(id)!.ownerHash).not.toContain(ownerKey);
    expect((await send(ctx.srv, 'GET', `/${id}`)).body.data).toMatchObject({ id, title: 'A fixture', yaml: VALID });
    const lesson = await (await fetch(`${ctx.srv.url}/api/lessons/${id}`)).json() as { data: { id: string; title: string; scenario: { variant: string } } };
    expect(lesson.data).toMatchObject({ id, title: 'A fixture', scenario: { variant: 'v4.19' } });
    // The campaign list stays the campaign's.
    const list = await (await fetch(`${ctx.srv.url}/api/lessons`)).json() as { data: { id: string }[] };
    expect(list.data.map((l) => l.id)).not.toContain(id);
    const mine = await send(ctx.srv, 'GET', '/', undefined, ownerKey);
    expect(mine.body.data).toMatchObject({ lessons: [{ id, title: 'A fixture', classes: [] }], used: { count: 1 } });
    const other = (await send(ctx.srv, 'POST', '/', VALID)).body.data as { ownerKey: string };
    expect(((await send(ctx.srv, 'GET', '/', undefined, other.ownerKey)).body.data as { lessons: unknown[] }).lessons).toHaveLength(1);
    expect((await send(ctx.srv, 'GET', '/')).status).toBe(401);
  });

  it('a lesson with an error is refused with the line and column of each problem, and nothing is stored', async () => {
    const broken = VALID.replace('variant: v4.19', 'variant: v9.99');
    const r = await send(ctx.srv, 'POST', '/', broken);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'bad_lesson' });
    const line = broken.split('\n').findIndex((l) => l.startsWith('variant:')) + 1;
    expect(r.body.error!.errors![0]).toMatchObject({ line, col: 10, path: 'variant' });
    const syntax = await send(ctx.srv, 'POST', '/', 'id: a\n  title: [unclosed\n');
    expect(syntax.body.error).toMatchObject({ code: 'bad_lesson' });
    expect(syntax.body.error!.errors![0]!.line).toBeGreaterThanOrEqual(1);
    expect(ctx.srv.store.teacherLessons.usage('x')).toEqual({ count: 0, bytes: 0 });
    expect(await (await fetch(`${ctx.srv.url}/api/teacher-lessons/t-0000000000`)).status).toBe(404);
  });

  it('a class and a room open on a written lesson; while the class exists the lesson can neither change nor go', async () => {
    const { id, ownerKey } = (await send(ctx.srv, 'POST', '/', VALID)).body.data as { id: string; ownerKey: string };
    const teacher = await ctx.open();
    const k = ok(await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: id, grouping: 'auto' }));
    expect(k.class.lesson).toMatchObject({ id, title: 'A fixture' });
    const student = await ctx.open();
    const joined = ok(await student.call('class:join', { protocol: PROTOCOL_VERSION, code: k.code, name: 'Ana' }));
    expect(joined.joined!.room.lesson).toMatchObject({ id });
    const solo = await ctx.open();
    expect((await solo.create('Bo', { lesson: id })).room.lesson).toMatchObject({ id });

    expect((await send(ctx.srv, 'DELETE', `/${id}`, undefined, 'x'.repeat(32))).body.error).toMatchObject({ code: 'not_lesson_owner' });
    expect((await send(ctx.srv, 'DELETE', `/${id}`, undefined, ownerKey)).body.error).toMatchObject({ code: 'lesson_in_use' });
    expect((await send(ctx.srv, 'PUT', `/${id}`, VALID.replace('A fixture', 'Changed'), ownerKey)).body.error).toMatchObject({ code: 'lesson_in_use' });
    ok(await teacher.call('class:delete', { code: k.code, teacherToken: k.teacherToken }));
    expect((await send(ctx.srv, 'PUT', `/${id}`, VALID.replace('A fixture', 'Changed'), ownerKey)).status).toBe(200);
    expect((await (await fetch(`${ctx.srv.url}/api/lessons/${id}`)).json() as { data: { title: string } }).data.title).toBe('Changed');
    expect((await send(ctx.srv, 'DELETE', `/${id}`, undefined, ownerKey)).status).toBe(200);
    expect((await fetch(`${ctx.srv.url}/api/lessons/${id}`)).status).toBe(404);
    expect((await teacher.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: id, grouping: 'auto' }))).toMatchObject({ ok: false, error: { code: 'unknown_lesson' } });
  });

  it('holds each teacher to the count and size quota; a lesson over the size limit is refused', async () => {
    const srv = await startServer({ lessonQuota: { count: 2, bytes: 100_000 } });
    try {
      const first = (await send(srv, 'POST', '/', VALID)).body.data as { ownerKey: string };
      expect((await send(srv, 'POST', '/', VALID, first.ownerKey)).status).toBe(201);
      const third = await send(srv, 'POST', '/', VALID, first.ownerKey);
      expect([third.status, third.body.error?.code]).toEqual([403, 'quota_exceeded']);
      expect((await send(srv, 'POST', '/', VALID)).status).toBe(201);
      const huge = await send(srv, 'POST', '/', `${VALID}\n# ${'x'.repeat(40_000)}\n`);
      expect([huge.status, huge.body.error?.code]).toEqual([413, 'payload_too_large']);
    } finally {
      await srv.stop();
      srv.cleanup();
    }
  });

  it('refuses a body that is not YAML text and a key that is not one', async () => {
    const json = await fetch(`${ctx.srv.url}/api/teacher-lessons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(json.status).toBe(415);
    expect((await send(ctx.srv, 'POST', '/', VALID, 'short')).status).toBe(401);
  });
});
