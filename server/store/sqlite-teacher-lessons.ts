// The teacher-lessons part of the SQLite store (./port.ts TeacherLessonStore): lessons
// written in the browser, with the owner's quota checked inside each write's transaction.
import type Database from 'better-sqlite3';
import type { LessonQuota, TeacherLessonRecord, TeacherLessonRefusal, TeacherLessonStore } from './port.js';

interface Row { id: string; owner_hash: string; yaml: string; title: string; created_at: number; updated_at: number }

const record = (r: Row): TeacherLessonRecord => ({ id: r.id, ownerHash: r.owner_hash, yaml: r.yaml, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at });
const bytesOf = (yaml: string): number => Buffer.byteLength(yaml, 'utf8');

export class SqliteTeacherLessonStore implements TeacherLessonStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      get: db.prepare('SELECT id, owner_hash, yaml, title, created_at, updated_at FROM teacher_lessons WHERE id = ?'),
      usage: db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM teacher_lessons WHERE owner_hash = ?'),
      own: db.prepare('SELECT bytes FROM teacher_lessons WHERE id = ? AND owner_hash = ?').pluck(),
      insert: db.prepare(`INSERT INTO teacher_lessons (id, owner_hash, yaml, title, bytes, created_at, updated_at)
        VALUES (@id, @ownerHash, @yaml, @title, @bytes, @createdAt, @updatedAt)`),
      update: db.prepare('UPDATE teacher_lessons SET yaml = ?, title = ?, bytes = ?, updated_at = ? WHERE id = ? AND owner_hash = ?'),
      delete: db.prepare('DELETE FROM teacher_lessons WHERE id = ? AND owner_hash = ?'),
      list: db.prepare('SELECT id, owner_hash, yaml, title, created_at, updated_at FROM teacher_lessons WHERE owner_hash = ? ORDER BY updated_at DESC, id'),
      classes: db.prepare('SELECT code FROM classes WHERE lesson = ? ORDER BY created_at, code').pluck(),
    };
  }

  get(id: string): TeacherLessonRecord | null {
    const r = this.st.get.get(id) as Row | undefined;
    return r ? record(r) : null;
  }

  create(rec: TeacherLessonRecord, quota: LessonQuota): TeacherLessonRefusal | null {
    return this.db.transaction((): TeacherLessonRefusal | null => {
      const u = this.usage(rec.ownerHash);
      const bytes = bytesOf(rec.yaml);
      if (u.count + 1 > quota.count) return 'count';
      if (u.bytes + bytes > quota.bytes) return 'bytes';
      this.st.insert.run({ ...rec, bytes });
      return null;
    }).immediate();
  }

  update(id: string, ownerHash: string, yaml: string, title: string, at: number, quota: LessonQuota): TeacherLessonRefusal | null {
    return this.db.transaction((): TeacherLessonRefusal | null => {
      const old = this.st.own.get(id, ownerHash) as number | undefined;
      if (old === undefined) return 'not_owner';
      const bytes = bytesOf(yaml);
      if (this.usage(ownerHash).bytes - old + bytes > quota.bytes) return 'bytes';
      this.st.update.run(yaml, title, bytes, at, id, ownerHash);
      return null;
    }).immediate();
  }

  delete(id: string, ownerHash: string): boolean {
    return this.st.delete.run(id, ownerHash).changes > 0;
  }

  listByOwner(ownerHash: string): TeacherLessonRecord[] {
    return (this.st.list.all(ownerHash) as Row[]).map(record);
  }

  usage(ownerHash: string): { count: number; bytes: number } {
    const r = this.st.usage.get(ownerHash) as { count: number; bytes: number };
    return { count: r.count, bytes: r.bytes };
  }

  classesUsing(id: string): string[] {
    return this.st.classes.all(id) as string[];
  }
}
