// The storage port: everything the server keeps — rooms, their players and the action list
// of the current run, finished run traces, campaign progress, classes, and notebooks (an
// append-only log of Yjs updates each) — behind one interface. The services depend on this
// file alone; an implementation (SQLite today: ./sqlite.ts) owns its connection and hands
// out no raw handle. Every implementation passes the same contract suite (./contract.ts).
//
// What each implementation promises:
//  - a method returns only after its write is durable (for the configured durability), so
//    the server acknowledges nothing that a crash of the process could lose;
//  - a method documented as one transaction is all-or-nothing: when it throws, nothing of
//    it is stored;
//  - reads never write.

import type { ActorRole, Scenario } from '../../engine/types.js';
import type { BotKind, Grouping, Mode, Role, RunResult, RunTrace, TraceStep } from '../../protocol/events.js';
import type { NotebookKind, NotebookPolicy } from '../../protocol/notebook/events.js';

export interface RoomRecord {
  code: string;
  lesson: string | null;
  scenario: Scenario;
  mode: Mode;
  bots: Record<ActorRole, BotKind | null>;
  /** Current seed of the random bots. */
  seed: number;
  /** Seed at the start of the current run (kept in the trace). */
  runSeed: number;
  version: number;
  run: number;
  runStartedAt: number;
  result: RunResult | null;
  classCode: string | null;
  /** The player with the host's powers (any seat), or null until someone sits down. */
  hostId: string | null;
  createdAt: number;
}

export interface PlayerRecord {
  id: string;
  tokenHash: string;
  name: string;
  role: Role;
  joinedAt: number;
}

export interface LoadedRoom {
  room: RoomRecord;
  /** Ordered by joinedAt, then id. */
  players: PlayerRecord[];
  actions: TraceStep[];
}

export interface ClassRecord {
  code: string;
  lesson: string;
  grouping: Grouping;
  mode: Mode;
  teacherHash: string;
  teacherName: string;
  closed: boolean;
  /** The teacher paused every room of the class. */
  paused: boolean;
  /** The teacher lets students use the host's controls in the class's rooms. */
  studentsControl: boolean;
  createdAt: number;
}

/** What finishing a run writes, in the same transaction as its last step. */
export interface RunFinish {
  trace: RunTrace;
  result: RunResult;
  /** Normalised names credited with the lesson (verdict win). */
  winners: { key: string; name: string }[];
}

export type RoomPatch = Partial<Pick<RoomRecord, 'mode' | 'bots' | 'seed' | 'runSeed' | 'version' | 'run' | 'runStartedAt' | 'result' | 'hostId'>>;

/** One step of a room as Store.appendAction takes it. */
export interface StepWrite {
  code: string;
  index: number;
  step: TraceStep;
  patch: RoomPatch;
  finish: RunFinish | null;
}

/**
 * A store that commits the steps of several rooms in one transaction (SQLite: one WAL write
 * for all of them). A networked store does without: its rooms' writes are fenced one by
 * one, and one room's refusal must not refuse another's step.
 */
export interface StepBatchStore {
  /** Every step as appendAction would store it, in one transaction: all are stored, or (it throws) none. */
  appendActions(steps: readonly StepWrite[]): void;
}

export function isStepBatchStore(s: object): s is StepBatchStore {
  return typeof (s as Partial<StepBatchStore>).appendActions === 'function';
}

export interface NotebookRecord {
  id: string;
  kind: NotebookKind;
  ref: string | null;
  /** Hash of the free notebook owner's token (null for room and class notebooks). */
  ownerHash: string | null;
  policy: NotebookPolicy;
  createdAt: number;
}

export interface UpdateRow {
  seq: number;
  data: Uint8Array;
}

/**
 * Notebooks: one append-only log of Yjs updates each, replayed in `seq` order, beside the
 * notebook's seat policy, the runs already recorded in it and the rooms linked to it.
 */
export interface NotebookStore {
  get(id: string): NotebookRecord | null;
  /** Creates the notebook with its first update (seq 0) and its recorded runs. One transaction. */
  create(rec: NotebookRecord, first: Uint8Array | null, traces?: readonly string[]): void;
  setPolicy(id: string, policy: NotebookPolicy): void;
  /** Runs `fn` (appends only) in one transaction: a group commit of several appends. */
  batch(fn: () => void): void;
  /** Appends one update and marks runs as recorded. One transaction: a run is recorded at most once. */
  append(id: string, seq: number, data: Uint8Array, traces?: readonly string[]): void;
  /** The log in `seq` order. */
  updates(id: string): UpdateRow[];
  /** Compaction: replaces rows seq <= upTo by one row at upTo. One transaction (a reader sees the old rows or the merged one). */
  replaceUpTo(id: string, upTo: number, merged: Uint8Array): void;
  /** Rows and bytes of the log, and its last seq (-1 when empty). */
  stats(id: string): { rows: number; bytes: number; last: number };
  traces(id: string): Set<string>;
  hasTrace(id: string, trace: string): boolean;
  /** Links a room to a notebook (its runs become trace cells); linking twice keeps the first time. */
  link(room: string, notebook: string, at: number): void;
  linksOfRoom(room: string): { notebook: string; createdAt: number }[];
  linksOfNotebook(id: string): { room: string; createdAt: number }[];
  /** Yjs client ids of the notebook and the hash of the editor key that owns each. */
  clients(id: string): Map<number, string>;
  /** Records that `ownerHash` owns client id `client` (the first claim wins; a second is ignored). */
  claimClient(id: string, client: number, ownerHash: string): void;
}

export type RetentionKind = 'room' | 'class' | 'notebook';

/**
 * When things were last used, and removing what has not been: a room, class or notebook is
 * used when someone acts in it or opens it; removing one takes what belongs to it along
 * (a room: its players, steps, runs and notebook links; a class: its rooms and their runs;
 * a notebook: its log, recorded runs and links). Each removal is one transaction.
 */
export interface RetentionStore {
  /** Marks it used at `at` (never earlier than it was). */
  touch(kind: RetentionKind, id: string, at: number): void;
  /** When it was last used (its creation if never since), or null when there is no such thing. */
  usedAt(kind: RetentionKind, id: string): number | null;
  /** Up to `limit` ids last used before `before`, least recently used first. */
  unused(kind: RetentionKind, before: number, limit: number): string[];
  deleteRoom(code: string): void;
  /** Removes the class and its rooms; returns the rooms' codes. */
  deleteClass(code: string): string[];
  deleteNotebook(id: string): void;
}

/** A lesson a teacher wrote in the browser: its YAML as sent, owned by the hash of the teacher's key. */
export interface TeacherLessonRecord {
  /** The lesson's id on this server (its share link), never a campaign lesson's. */
  id: string;
  ownerHash: string;
  yaml: string;
  /** The lesson's title, kept beside the YAML for lists. */
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** What one owner may keep: this many lessons, of at most this many bytes of YAML in all. */
export interface LessonQuota {
  count: number;
  bytes: number;
}

/** Why a write was refused: over the count or the bytes of the quota, or not the owner's (or no such lesson). */
export type TeacherLessonRefusal = 'count' | 'bytes' | 'not_owner';

/**
 * Lessons written in the browser. The quota is checked inside the write's transaction, so
 * two saves at once cannot take an owner past it; a refused write changes nothing.
 */
export interface TeacherLessonStore {
  get(id: string): TeacherLessonRecord | null;
  /** Stores a new lesson unless it would take its owner past the quota. One transaction. */
  create(rec: TeacherLessonRecord, quota: LessonQuota): TeacherLessonRefusal | null;
  /** Replaces the YAML and title of the owner's lesson (createdAt stays), within the quota. One transaction. */
  update(id: string, ownerHash: string, yaml: string, title: string, at: number, quota: LessonQuota): TeacherLessonRefusal | null;
  /** Removes the owner's lesson; false when there is no such lesson of theirs. */
  delete(id: string, ownerHash: string): boolean;
  /** The owner's lessons, most recently saved first (their YAML included). */
  listByOwner(ownerHash: string): TeacherLessonRecord[];
  /** What the owner keeps now. */
  usage(ownerHash: string): { count: number; bytes: number };
  /** Codes of the classes (open or stopped, not yet deleted) that run this lesson, oldest first. */
  classesUsing(id: string): string[];
}

/** The persistence the server depends on. */
export interface Store {
  /** Whether a room or a class already has this code. */
  codeTaken(code: string): boolean;
  /** The room and its first player (the host), if any. One transaction. */
  createRoom(room: RoomRecord, host: PlayerRecord | null): void;
  loadRoom(code: string): LoadedRoom | null;
  updateRoom(code: string, patch: RoomPatch): void;
  /** Appends step `index` of the current run and patches the room; finishing writes the trace and progress too. One transaction. */
  appendAction(code: string, index: number, step: TraceStep, patch: RoomPatch, finish: RunFinish | null): void;
  /** Keeps the first `keep` steps of the current run and patches the room. One transaction. */
  truncateActions(code: string, keep: number, patch: RoomPatch): void;
  /** Inserts the player, or updates its token hash, name and role. */
  upsertPlayer(code: string, player: PlayerRecord): void;
  /** Several player rows at once (a role swap). One transaction. */
  upsertPlayers(code: string, players: PlayerRecord[]): void;
  removePlayer(code: string, id: string): void;
  getTrace(id: string): RunTrace | null;
  /** The room's finished runs, newest first. */
  listTraces(room: string, limit: number): RunTrace[];
  /** The class's finished runs, oldest first. */
  listClassTraces(classCode: string): RunTrace[];
  /** The lessons won under a normalised name (oldest first) and the name last written, or null. */
  getProgress(key: string): { name: string; won: string[] } | null;
  createClass(c: ClassRecord): void;
  getClass(code: string): ClassRecord | null;
  closeClass(code: string): void;
  /** Records the teacher's class controls (pause, students' leave to use the host's controls). */
  setClassControls(code: string, controls: { paused: boolean; studentsControl: boolean }): void;
  /** Replaces the teacher token's hash (the teacher link was revoked and made anew). */
  setTeacherHash(code: string, hash: string): void;
  /** The class's rooms, oldest first. */
  listClassRooms(classCode: string): string[];
  readonly notebooks: NotebookStore;
  readonly retention: RetentionStore;
  readonly teacherLessons: TeacherLessonStore;
  /** Releases the connection; the store is unusable afterwards. */
  close(): void;
}

/** The same interface with every method's result wrapped in a Promise. */
type Promised<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K];
};

/** The same interface with every method's result either plain or a Promise (what a caller must await). */
type Awaitable<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : T[K];
};

/**
 * The asynchronous form of the port (a networked database: ./postgres.ts), derived from
 * the synchronous one so the method list exists once. `batch(fn)` keeps its synchronous
 * `fn`: the appends it calls are queued and committed together when `batch` resolves.
 */
export type AsyncNotebookStore = Promised<NotebookStore>;
export type AsyncRetentionStore = Promised<RetentionStore>;
export type AsyncTeacherLessonStore = Promised<TeacherLessonStore>;
export type AsyncStore = Promised<Omit<Store, 'notebooks' | 'retention' | 'teacherLessons'>> & {
  readonly notebooks: AsyncNotebookStore; readonly retention: AsyncRetentionStore; readonly teacherLessons: AsyncTeacherLessonStore;
};

/** Either form: what code written against both (the contract suite) talks to, awaiting every call. */
export type AnyNotebookStore = Awaitable<NotebookStore>;
export type AnyStore = Awaitable<Omit<Store, 'notebooks' | 'retention' | 'teacherLessons'>> & {
  readonly notebooks: AnyNotebookStore; readonly retention: Awaitable<RetentionStore>; readonly teacherLessons: Awaitable<TeacherLessonStore>;
};
