// The retention part of the SQLite store (./port.ts RetentionStore): when rooms, classes
// and notebooks were last used, which have gone unused, and removing one with everything
// that belongs to it, each in one transaction (a crash leaves it whole or gone).
import type Database from 'better-sqlite3';
import type { RetentionKind, RetentionStore } from './port.js';

const TABLE: Record<RetentionKind, { table: string; key: string }> = {
  room: { table: 'rooms', key: 'code' },
  class: { table: 'classes', key: 'code' },
  notebook: { table: 'notebooks', key: 'id' },
};

export class SqliteRetentionStore implements RetentionStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    type ByKind = Record<RetentionKind, Database.Statement>;
    const touch = (k: RetentionKind) => db.prepare(`UPDATE ${TABLE[k].table} SET used_at = MAX(COALESCE(used_at, created_at), ?) WHERE ${TABLE[k].key} = ?`);
    const unused = (k: RetentionKind) => db.prepare(`SELECT ${TABLE[k].key} FROM ${TABLE[k].table} WHERE COALESCE(used_at, created_at) < ? ORDER BY COALESCE(used_at, created_at) LIMIT ?`).pluck();
    const usedAt = (k: RetentionKind) => db.prepare(`SELECT COALESCE(used_at, created_at) FROM ${TABLE[k].table} WHERE ${TABLE[k].key} = ?`).pluck();
    this.st = {
      touch: { room: touch('room'), class: touch('class'), notebook: touch('notebook') } as ByKind,
      unused: { room: unused('room'), class: unused('class'), notebook: unused('notebook') } as ByKind,
      usedAt: { room: usedAt('room'), class: usedAt('class'), notebook: usedAt('notebook') } as ByKind,
      classRooms: db.prepare('SELECT code FROM rooms WHERE class_code = ?').pluck(),
      room: [
        db.prepare('DELETE FROM actions WHERE room = ?'),
        db.prepare('DELETE FROM players WHERE room = ?'),
        db.prepare('DELETE FROM traces WHERE room = ?'),
        db.prepare('DELETE FROM notebook_links WHERE room = ?'),
        db.prepare('DELETE FROM room_owner WHERE code = ?'),
        db.prepare('DELETE FROM rooms WHERE code = ?'),
      ],
      klass: [db.prepare('DELETE FROM traces WHERE class_code = ?'), db.prepare('DELETE FROM classes WHERE code = ?')],
      notebook: [
        db.prepare('DELETE FROM notebook_updates WHERE notebook = ?'),
        db.prepare('DELETE FROM notebook_traces WHERE notebook = ?'),
        db.prepare('DELETE FROM notebook_links WHERE notebook = ?'),
        db.prepare('DELETE FROM notebooks WHERE id = ?'),
      ],
    };
  }

  touch(kind: RetentionKind, id: string, at: number): void {
    this.st.touch[kind].run(at, id);
  }

  usedAt(kind: RetentionKind, id: string): number | null {
    return (this.st.usedAt[kind].get(id) as number | undefined) ?? null;
  }

  unused(kind: RetentionKind, before: number, limit: number): string[] {
    return this.st.unused[kind].all(before, limit) as string[];
  }

  private deleteRoomRows(code: string): void {
    for (const s of this.st.room) s.run(code);
  }

  deleteRoom(code: string): void {
    this.db.transaction(() => this.deleteRoomRows(code))();
  }

  deleteClass(code: string): string[] {
    return this.db.transaction(() => {
      const rooms = this.st.classRooms.all(code) as string[];
      for (const r of rooms) this.deleteRoomRows(r);
      for (const s of this.st.klass) s.run(code);
      return rooms;
    })();
  }

  deleteNotebook(id: string): void {
    this.db.transaction(() => { for (const s of this.st.notebook) s.run(id); })();
  }
}
