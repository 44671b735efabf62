// The teacher-lessons part of the storage contract (./contract.ts runs it on every
// implementation): ownership, the per-owner quota checked inside the write, and what a
// refused write leaves behind (nothing).
import { expect, it } from 'vitest';
import type { AnyStore, TeacherLessonRecord } from './port.js';

const lessonOf = (id: string, over: Partial<TeacherLessonRecord> = {}): TeacherLessonRecord => ({
  id, ownerHash: 'owner-a', yaml: `id: ${id}\n`, title: `Lesson ${id}`, createdAt: 10, updatedAt: 10, ...over,
});
const quota = { count: 3, bytes: 100 };

export function teacherLessonContract(store: () => AnyStore, reopen: () => Promise<AnyStore>): void {
  it('round-trips a lesson; lists an owner\'s lessons, most recently saved first; counts what they keep', async () => {
    const t = store().teacherLessons;
    expect(await t.create(lessonOf('t-a', { updatedAt: 10 }), quota)).toBeNull();
    expect(await t.create(lessonOf('t-b', { updatedAt: 30, yaml: 'é: 1\n' }), quota)).toBeNull();
    expect(await t.create(lessonOf('t-c', { ownerHash: 'owner-b' }), quota)).toBeNull();
    expect(await t.get('t-a')).toEqual(lessonOf('t-a'));
    expect(await t.get('t-none')).toBeNull();
    expect((await t.listByOwner('owner-a')).map((l) => l.id)).toEqual(['t-b', 't-a']);
    expect(await t.listByOwner('nobody')).toEqual([]);
    // Bytes are UTF-8 bytes, not characters: "é" takes two.
    expect(await t.usage('owner-a')).toEqual({ count: 2, bytes: 'id: t-a\n'.length + 6 });
    expect(await t.usage('nobody')).toEqual({ count: 0, bytes: 0 });
    const s = await reopen();
    expect(await s.teacherLessons.get('t-b')).toEqual(lessonOf('t-b', { updatedAt: 30, yaml: 'é: 1\n' }));
  });

  it('refuses a new lesson past the owner\'s count or bytes, and stores nothing of it; other owners are not counted', async () => {
    const t = store().teacherLessons;
    for (const id of ['t-a', 't-b', 't-c']) expect(await t.create(lessonOf(id), quota)).toBeNull();
    expect(await t.create(lessonOf('t-d'), quota)).toBe('count');
    expect(await t.get('t-d')).toBeNull();
    expect(await t.create(lessonOf('t-e', { ownerHash: 'owner-b', yaml: 'x'.repeat(100) }), quota)).toBeNull();
    expect(await t.create(lessonOf('t-f', { ownerHash: 'owner-b', yaml: 'x' }), quota)).toBe('bytes');
    expect([await t.get('t-f'), await t.usage('owner-b')]).toEqual([null, { count: 1, bytes: 100 }]);
  });

  it('a second lesson with a taken id is refused and changes nothing', async () => {
    const t = store().teacherLessons;
    await t.create(lessonOf('t-a'), quota);
    await expect((async () => t.create(lessonOf('t-a', { ownerHash: 'owner-b', title: 'Other' }), quota))()).rejects.toThrow();
    expect(await t.get('t-a')).toEqual(lessonOf('t-a'));
  });

  it('only the owner updates or deletes a lesson; an update keeps createdAt and is held to the bytes quota', async () => {
    const t = store().teacherLessons;
    await t.create(lessonOf('t-a', { yaml: 'x'.repeat(40) }), quota);
    await t.create(lessonOf('t-b', { yaml: 'x'.repeat(40) }), quota);
    expect(await t.update('t-a', 'owner-b', 'y', 'Taken', 50, quota)).toBe('not_owner');
    expect(await t.update('t-none', 'owner-a', 'y', 'None', 50, quota)).toBe('not_owner');
    // 40 of the 100 bytes are t-b's: t-a may grow to 60, not 61.
    expect(await t.update('t-a', 'owner-a', 'y'.repeat(61), 'Too big', 50, quota)).toBe('bytes');
    expect(await t.get('t-a')).toEqual(lessonOf('t-a', { yaml: 'x'.repeat(40) }));
    expect(await t.update('t-a', 'owner-a', 'y'.repeat(60), 'Grown', 50, quota)).toBeNull();
    expect(await t.get('t-a')).toEqual(lessonOf('t-a', { yaml: 'y'.repeat(60), title: 'Grown', updatedAt: 50 }));
    expect(await t.delete('t-a', 'owner-b')).toBe(false);
    expect(await t.get('t-a')).not.toBeNull();
    expect(await t.delete('t-a', 'owner-a')).toBe(true);
    expect([await t.get('t-a'), await t.delete('t-a', 'owner-a'), await t.usage('owner-a')]).toEqual([null, false, { count: 1, bytes: 40 }]);
  });

  it('names the classes that run a lesson, oldest first, until they are deleted', async () => {
    const s = store();
    await s.teacherLessons.create(lessonOf('t-a'), quota);
    const klass = (code: string, lesson: string, createdAt: number) => s.createClass({ code, lesson, grouping: 'auto', mode: 'race', teacherHash: 'h', teacherName: 'T', closed: false, paused: false, studentsControl: false, createdAt });
    await klass('CLASSB', 't-a', 20);
    await klass('CLASSA', 't-a', 10);
    await klass('CLASSC', 'tutorial', 5);
    await s.closeClass('CLASSA');
    expect(await s.teacherLessons.classesUsing('t-a')).toEqual(['CLASSA', 'CLASSB']);
    await s.retention.deleteClass('CLASSA');
    expect(await s.teacherLessons.classesUsing('t-a')).toEqual(['CLASSB']);
    expect(await s.teacherLessons.classesUsing('t-none')).toEqual([]);
  });

  it('saves of one owner at the same time never take them past the quota', async () => {
    const t = store().teacherLessons;
    const results = await Promise.all(['t-1', 't-2', 't-3', 't-4', 't-5'].map((id) => t.create(lessonOf(id), quota)));
    expect(results.filter((r) => r === null)).toHaveLength(3);
    expect(results.filter((r) => r === 'count')).toHaveLength(2);
    expect(await t.usage('owner-a')).toMatchObject({ count: 3 });
  });
}
