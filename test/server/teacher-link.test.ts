// The teacher link travels and can be revoked: the token opens the dashboard from any
// connection; making a new one tells the dashboards on the old one, which then open nothing.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/events.js';
import { hashToken } from '../../server/ids.js';
import { ok, useServerPerTest } from './helpers.js';

const ctx = useServerPerTest();

describe('teacher link', () => {
  it('opens the dashboard anywhere; a new link revokes the old one at once', async () => {
    const laptop = await ctx.open();
    const klass = ok(await laptop.call('class:create', { protocol: PROTOCOL_VERSION, name: 'Ms Lee', lesson: 'fixture-oops', grouping: 'auto' }));
    ok(await laptop.call('class:watch', { code: klass.code, teacherToken: klass.teacherToken }));
    // The projector PC opens the same link: same token, another connection.
    const projector = await ctx.open();
    ok(await projector.call('class:watch', { code: klass.code, teacherToken: klass.teacherToken }));
    const revoked: string[] = [];
    projector.socket.on('class:revoked', (d) => revoked.push(d.code));

    const fresh = ok(await laptop.call('class:rekey', { code: klass.code, teacherToken: klass.teacherToken }));
    expect(fresh.teacherToken).not.toBe(klass.teacherToken);
    await projector.until(() => revoked.length > 0, 'the old link is revoked');
    expect(revoked).toEqual([klass.code]);
    // Stored hashed, never in clear.
    expect(ctx.srv.store.getClass(klass.code)!.teacherHash).toBe(hashToken(fresh.teacherToken));

    // The old token opens nothing; the new one works from anywhere.
    expect(await projector.call('class:watch', { code: klass.code, teacherToken: klass.teacherToken })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
    expect(await projector.call('class:rekey', { code: klass.code, teacherToken: klass.teacherToken })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
    expect(await projector.call('class:stop', { code: klass.code, teacherToken: klass.teacherToken })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });

    // The laptop still follows the class; the projector on the old link does not.
    const before = projector.classes.length;
    const student = await ctx.open();
    ok(await student.call('class:join', { protocol: PROTOCOL_VERSION, code: klass.code, name: 'Ana' }));
    await laptop.until(() => laptop.classes.at(-1)?.rooms[0]?.players.length === 1, 'the laptop sees the student');
    expect(projector.classes.length).toBe(before);
    const phone = await ctx.open();
    expect(ok(await phone.call('class:watch', { code: klass.code, teacherToken: fresh.teacherToken })).rooms[0]!.players.map((p) => p.name)).toEqual(['Ana']);

    // The join code gives no teacher powers.
    expect(await student.call('class:stop', { code: klass.code, teacherToken: klass.code.padEnd(32, 'x') })).toMatchObject({ ok: false, error: { code: 'not_teacher' } });
  });
});
