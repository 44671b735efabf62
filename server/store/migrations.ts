// The schema as one ordered list of versioned migrations, each with a body per dialect
// (SQLite for the single process, PostgreSQL for a cluster: ./postgres-migrate.ts runs
// those): a version means the same tables in both. The database records the version it is
// at (SQLite: PRAGMA user_version); opening it applies the missing migrations in order,
// each in its own transaction with the version bump, so a crash mid-upgrade leaves the
// file at the last whole version. A database from a newer server is refused, not guessed at.
//
// Files written before versions were recorded say user_version 0 whatever their tables are
// (any state up to version 2), so migrations 1 and 2 only create what is missing. Every
// later migration runs exactly once and may assume the version before it.

import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  /** What it changes, in a few words (kept in the error of a failed upgrade). */
  name: string;
  sqlite(db: Database.Database): void;
  /** The same change in PostgreSQL (run in one transaction; no legacy files to tolerate). */
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rooms, players, actions, traces, progress, classes and notebooks',
    sqlite(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS rooms (
  code TEXT PRIMARY KEY,
  lesson TEXT,
  scenario TEXT NOT NULL,
  mode TEXT NOT NULL,
  bots TEXT NOT NULL,
  seed INTEGER NOT NULL,
  run_seed INTEGER NOT NULL,
  version INTEGER NOT NULL,
  run INTEGER NOT NULL,
  run_started_at INTEGER NOT NULL,
  result TEXT,
  class_code TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rooms_class ON rooms(class_code);
CREATE TABLE IF NOT EXISTS actions (
  room TEXT NOT NULL,
  idx INTEGER NOT NULL,
  actor TEXT NOT NULL,
  step TEXT NOT NULL,
  by TEXT NOT NULL,
  PRIMARY KEY (room, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS players (
  room TEXT NOT NULL,
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (room, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces (
  id TEXT PRIMARY KEY,
  room TEXT NOT NULL,
  class_code TEXT,
  finished_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS traces_room ON traces(room, finished_at);
CREATE INDEX IF NOT EXISTS traces_class ON traces(class_code);
CREATE TABLE IF NOT EXISTS progress (
  name_key TEXT NOT NULL,
  lesson TEXT NOT NULL,
  name TEXT NOT NULL,
  won_at INTEGER NOT NULL,
  PRIMARY KEY (name_key, lesson)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS classes (
  code TEXT PRIMARY KEY,
  lesson TEXT NOT NULL,
  grouping TEXT NOT NULL,
  mode TEXT NOT NULL,
  teacher_hash TEXT NOT NULL,
  teacher_name TEXT NOT NULL,
  closed INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS notebooks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT,
  owner_hash TEXT,
  policy TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS notebook_updates (
  notebook TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (notebook, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notebook_traces (
  notebook TEXT NOT NULL,
  trace TEXT NOT NULL,
  PRIMARY KEY (notebook, trace)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notebook_links (
  room TEXT NOT NULL,
  notebook TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (room, notebook)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS notebook_links_nb ON notebook_links(notebook);
`);
    },
    // Times are milliseconds (BIGINT); traces keep their insertion order in column n (as rowid does in SQLite).
    postgres: `
CREATE TABLE rooms (
  code TEXT PRIMARY KEY,
  lesson TEXT,
  scenario TEXT NOT NULL,
  mode TEXT NOT NULL,
  bots TEXT NOT NULL,
  seed BIGINT NOT NULL,
  run_seed BIGINT NOT NULL,
  version INTEGER NOT NULL,
  run INTEGER NOT NULL,
  run_started_at BIGINT NOT NULL,
  result TEXT,
  class_code TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX rooms_class ON rooms(class_code);
CREATE TABLE actions (
  room TEXT NOT NULL,
  idx INTEGER NOT NULL,
  actor TEXT NOT NULL,
  step TEXT NOT NULL,
  by TEXT NOT NULL,
  PRIMARY KEY (room, idx)
);
CREATE TABLE players (
  room TEXT NOT NULL,
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (room, id)
);
CREATE TABLE traces (
  id TEXT PRIMARY KEY,
  n BIGINT GENERATED ALWAYS AS IDENTITY,
  room TEXT NOT NULL,
  class_code TEXT,
  finished_at BIGINT NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX traces_room ON traces(room, finished_at);
CREATE INDEX traces_class ON traces(class_code);
CREATE TABLE progress (
  name_key TEXT NOT NULL,
  lesson TEXT NOT NULL,
  name TEXT NOT NULL,
  won_at BIGINT NOT NULL,
  PRIMARY KEY (name_key, lesson)
);
CREATE TABLE classes (
  code TEXT PRIMARY KEY,
  lesson TEXT NOT NULL,
  grouping TEXT NOT NULL,
  mode TEXT NOT NULL,
  teacher_hash TEXT NOT NULL,
  teacher_name TEXT NOT NULL,
  closed BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE notebooks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT,
  owner_hash TEXT,
  policy TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE notebook_updates (
  notebook TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (notebook, seq)
);
CREATE TABLE notebook_traces (
  notebook TEXT NOT NULL,
  trace TEXT NOT NULL,
  PRIMARY KEY (notebook, trace)
);
CREATE TABLE notebook_links (
  room TEXT NOT NULL,
  notebook TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (room, notebook)
);
CREATE INDEX notebook_links_nb ON notebook_links(notebook);
`,
  },
  {
    // Before protocol 2 the host was a role: the host's player row said 'host'. The host is
    // now a capability of any seat (rooms.host_id); that player keeps watching as a spectator.
    version: 2,
    name: 'the host is a capability (rooms.host_id)',
    sqlite(db) {
      const columns = db.prepare("SELECT name FROM pragma_table_info('rooms')").pluck().all() as string[];
      if (!columns.includes('host_id')) db.exec('ALTER TABLE rooms ADD COLUMN host_id TEXT');
      db.exec(`
UPDATE rooms SET host_id = (SELECT p.id FROM players p WHERE p.room = rooms.code AND p.role = 'host' ORDER BY p.joined_at, p.id LIMIT 1)
  WHERE host_id IS NULL AND EXISTS (SELECT 1 FROM players p WHERE p.room = rooms.code AND p.role = 'host');
UPDATE players SET role = 'spectator' WHERE role = 'host';
`);
    },
    postgres: `
ALTER TABLE rooms ADD COLUMN host_id TEXT;
UPDATE rooms SET host_id = (SELECT p.id FROM players p WHERE p.room = rooms.code AND p.role = 'host' ORDER BY p.joined_at, p.id LIMIT 1)
  WHERE EXISTS (SELECT 1 FROM players p WHERE p.room = rooms.code AND p.role = 'host');
UPDATE players SET role = 'spectator' WHERE role = 'host';
`,
  },
  {
    // Cluster mode: the node that owns a room holds its lease here, and the room's fencing
    // token (raised at every change of owner, never reset) is checked inside each write of
    // that room. A single SQLite process owns everything and never reads it; the table
    // exists there too so that a version names one schema.
    version: 3,
    name: 'room ownership: lease and fencing token (room_owner)',
    sqlite(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS room_owner (
  code TEXT PRIMARY KEY,
  owner TEXT,
  token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
`);
    },
    postgres: `
CREATE TABLE room_owner (
  code TEXT PRIMARY KEY,
  owner TEXT,
  token BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX room_owner_owner ON room_owner(owner);
`,
  },
  {
    // Retention needs to know when a room, class or notebook was last used. What exists at
    // the upgrade counts as used then: nothing is removed sooner than a full period after it.
    version: 4,
    name: 'last use of rooms, classes and notebooks (used_at)',
    sqlite(db) {
      const now = Date.now();
      for (const table of ['rooms', 'classes', 'notebooks']) {
        const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
        if (columns.includes('used_at')) continue;
        db.exec(`ALTER TABLE ${table} ADD COLUMN used_at INTEGER`);
        db.prepare(`UPDATE ${table} SET used_at = MAX(created_at, ?)`).run(now);
      }
    },
    postgres: ['rooms', 'classes', 'notebooks'].map((t) => `
ALTER TABLE ${t} ADD COLUMN used_at BIGINT;
UPDATE ${t} SET used_at = GREATEST(created_at, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);`).join(''),
  },
  {
    // Who may write under each Yjs client id of a notebook: the hash of the editor key that
    // first claimed it. A connection writes only under ids its key owns.
    version: 5,
    name: 'notebook client ids and their owners',
    sqlite(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS notebook_clients (
  notebook TEXT NOT NULL,
  client INTEGER NOT NULL,
  owner_hash TEXT NOT NULL,
  PRIMARY KEY (notebook, client)
) WITHOUT ROWID;
`);
    },
    postgres: `
CREATE TABLE notebook_clients (
  notebook TEXT NOT NULL,
  client BIGINT NOT NULL,
  owner_hash TEXT NOT NULL,
  PRIMARY KEY (notebook, client)
);
`,
  },
  {
    // Lessons teachers write in the browser: the YAML as sent, owned by the hash of the
    // teacher's key; bytes is the YAML's UTF-8 length, summed for the per-owner quota.
    version: 6,
    name: 'lessons written in the browser (teacher_lessons)',
    sqlite(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS teacher_lessons (
  id TEXT PRIMARY KEY,
  owner_hash TEXT NOT NULL,
  yaml TEXT NOT NULL,
  title TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS teacher_lessons_owner ON teacher_lessons(owner_hash, updated_at);
CREATE INDEX IF NOT EXISTS classes_lesson ON classes(lesson);
`);
    },
    postgres: `
CREATE TABLE teacher_lessons (
  id TEXT PRIMARY KEY,
  owner_hash TEXT NOT NULL,
  yaml TEXT NOT NULL,
  title TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX teacher_lessons_owner ON teacher_lessons(owner_hash, updated_at);
CREATE INDEX classes_lesson ON classes(lesson);
`,
  },
  {
    // What a class's teacher decided for its rooms: paused (nobody steps), and whether the
    // students may use the host's controls. A class written before starts running, teacher-held.
    version: 7,
    name: 'class controls (paused, students_control)',
    sqlite(db) {
      const columns = db.prepare("SELECT name FROM pragma_table_info('classes')").pluck().all() as string[];
      for (const c of ['paused', 'students_control']) {
        if (!columns.includes(c)) db.exec(`ALTER TABLE classes ADD COLUMN ${c} INTEGER NOT NULL DEFAULT 0`);
      }
    },
    postgres: `
ALTER TABLE classes ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE classes ADD COLUMN students_control BOOLEAN NOT NULL DEFAULT FALSE;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The version the database is at. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database to SCHEMA_VERSION; returns the migrations applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const at = schemaVersion(db);
  if (at > latest) {
    throw new Error(`the database is at schema version ${at}, newer than this server knows (${latest}): run a newer server on it`);
  }
  const applied: Migration[] = [];
  for (const m of migrations) {
    if (m.version <= at) continue;
    try {
      db.transaction(() => {
        m.sqlite(db);
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (e) {
      throw new Error(`schema migration ${m.version} (${m.name}) failed: ${String(e)}`, { cause: e });
    }
    applied.push(m);
  }
  return applied;
}
