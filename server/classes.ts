// Classes: a teacher opens one join code for a lesson; students join with a name and are
// seated in rooms of three (auto) or pick a room (pick). The teacher watches which
// outcomes each room has found against what the explorer says is reachable, and can stop
// the class (rooms then refuse steps). Rooms of a class are ordinary rooms with a
// classCode; everything about play is RoomService's. Teachers get a fresh view at once
// after a roster change, a finished run or stop; steps are coalesced (at most one view per
// STEP_NOTIFY_MS per class), so a busy class does not rebuild the view on every click.
// What changes a class (seating a student, the teacher's requests) runs in the class's
// queue (server/room-queue.ts), one request after another; the rooms keep their own queues.

import type { OutcomeId } from '../engine/index.js';
import type {
  ClassCreatedData, ClassInfo, ClassJoinedData, ClassJoinPayload, ClassRoomChoice, ClassRoomSummary, ClassView, Grouping, Mode, Role, RunTrace,
} from '../protocol/events.js';
import { ACTOR_ROLES } from '../protocol/events.js';
import type { Clock, Timer } from './clock.js';
import type { AppEvents } from './events.js';
import { reachableOutcomes, type GraphCache } from './graphs.js';
import { hashToken, newToken, uniqueCode } from './ids.js';
import { lessonById, lessonRef, type LessonCatalog } from './lessons.js';
import { KeyedQueue } from './room-queue.js';
import { classRoomSummary } from './room-summary.js';
import type { Log } from './log.js';
import { fail, ok, type Result } from './result.js';
import type { HomePort } from './room-registry.js';
import type { RoomService, Session } from './rooms.js';
import type { AnyStore, ClassRecord } from './store/port.js';
import { classStudentSeat } from '../protocol/rules.js';

export interface ClassServiceOptions {
  store: AnyStore;
  /** Cluster mode: a class is made under its lease and kept in memory only by its home's owner. */
  homes?: HomePort;
  clock: Clock;
  log: Log;
  lessons: LessonCatalog;
  graphs: GraphCache;
  rooms: RoomService;
  /** Where the service says a class was deleted (class:deleted). */
  events: AppEvents;
  /** Push a fresh view to the teachers watching the class. */
  notify: (classCode: string, view: ClassView) => void;
  linkBase?: string;
  /** Players per room in auto grouping (3: one per actor). */
  roomSize?: number;
}

/** Steps in class rooms reach the teachers at most this often (ms). */
export const STEP_NOTIFY_MS = 500;

export class ClassService {
  private readonly records = new Map<string, ClassRecord>();
  /** Classes with a coalesced step notification pending. */
  private readonly pending = new Map<string, Timer>();
  /** One queue per class: what changes a class runs in it. */
  private readonly queue = new KeyedQueue();

  constructor(private readonly o: ClassServiceOptions) {}

  private async record(code: string): Promise<ClassRecord | null> {
    const had = this.records.get(code);
    if (had) return had;
    const c = await this.o.store.getClass(code);
    if (!c) return null;
    // Its lesson may be one written in the browser: in memory from now on, for the class's views.
    await lessonById(this.o.lessons, c.lesson);
    // Another node's class is read here, not kept (its owner changes it).
    if (this.o.homes && !this.o.homes.holds(code)) return c;
    // Two reads at once keep the first record: changes are made to one object only.
    const first = this.records.get(code) ?? c;
    this.records.set(code, first);
    return first;
  }

  async isClosed(code: string): Promise<boolean> {
    return (await this.record(code))?.closed ?? false;
  }

  async create(teacherName: string, lessonId: string, grouping: Grouping, mode: Mode | undefined): Promise<Result<ClassCreatedData>> {
    const lesson = await lessonById(this.o.lessons, lessonId);
    if (!lesson) return fail('unknown_lesson', `no lesson "${lessonId}"; GET /api/lessons lists them`);
    const teacherToken = newToken();
    let code = uniqueCode(() => false, this.o.rooms.loadedRooms);
    while (await this.o.store.codeTaken(code)) code = uniqueCode(() => false, this.o.rooms.loadedRooms);
    const rec: ClassRecord = {
      code,
      lesson: lesson.id,
      grouping,
      mode: mode ?? 'race',
      teacherHash: hashToken(teacherToken),
      teacherName,
      closed: false,
      paused: false,
      studentsControl: false,
      createdAt: this.o.clock.now(),
    };
    await this.o.homes?.opening(rec.code, null);
    await this.o.store.createClass(rec);
    this.records.set(rec.code, rec);
    this.o.log.info('class: created', { class: rec.code, lesson: rec.lesson, grouping });
    return ok({ code: rec.code, link: this.link(rec.code), teacherToken, class: await this.view(rec) });
  }

  link(code: string): string {
    return `${this.o.linkBase ?? ''}/c/${code}`;
  }

  private async teacher(code: string, token: string): Promise<Result<ClassRecord>> {
    const rec = await this.record(code);
    if (!rec) return fail('unknown_class', `no class with code ${code}`);
    if (rec.teacherHash !== hashToken(token)) return fail('not_teacher', 'this teacher token does not open this class');
    return ok(rec);
  }

  /**
   * Runs a teacher's request in the class's queue once the teacher's token is checked, then
   * tells every dashboard of the class the view it answers with.
   */
  asTeacher(code: string, token: string, fn: (rec: ClassRecord) => Promise<Result<unknown>>): Promise<Result<ClassView>> {
    return this.queue.run(code, async () => {
      const t = await this.teacher(code, token);
      if (!t.ok) return t;
      const r = await fn(t.data);
      if (!r.ok) return r;
      this.pending.get(code)?.cancel();
      this.pending.delete(code);
      const v = await this.view(t.data);
      this.o.notify(code, v);
      return ok(v);
    });
  }

  /** What a student sees before joining: the lesson and whether the class is open. */
  async info(code: string): Promise<ClassInfo | null> {
    const rec = await this.record(code);
    const lesson = rec ? this.o.lessons.get(rec.lesson) : undefined;
    if (!rec || !lesson) return null;
    return { code: rec.code, link: this.link(rec.code), lesson: lessonRef(lesson), grouping: rec.grouping, mode: rec.mode, closed: rec.closed };
  }

  async watch(code: string, token: string): Promise<Result<ClassView>> {
    const t = await this.teacher(code, token);
    return t.ok ? ok(await this.view(t.data)) : t;
  }

  /** Whether `token` is the teacher's of the class. */
  async isTeacher(code: string, token: string): Promise<boolean> {
    return (await this.teacher(code, token)).ok;
  }

  stop(code: string, token: string): Promise<Result<ClassView>> {
    return this.queue.run(code, async () => {
      const t = await this.teacher(code, token);
      if (!t.ok) return t;
      if (!t.data.closed) {
        await this.o.store.closeClass(code);
        t.data.closed = true;
        await this.o.rooms.classStopped(code);
      }
      const v = await this.view(t.data);
      this.o.notify(code, v);
      return ok(v);
    });
  }

  /** A new teacher token (and link) for the class; the old one opens nothing from now on. */
  rekey(code: string, token: string): Promise<Result<{ teacherToken: string }>> {
    return this.queue.run(code, async () => {
      const t = await this.teacher(code, token);
      if (!t.ok) return t;
      const teacherToken = newToken();
      const teacherHash = hashToken(teacherToken);
      await this.o.store.setTeacherHash(t.data.code, teacherHash);
      t.data.teacherHash = teacherHash;
      this.o.log.info('class: teacher link made anew', { class: t.data.code });
      return ok({ teacherToken });
    });
  }

  /** Deletes the class with its rooms and their runs; class:deleted tells the rooms and notebooks. */
  delete(code: string, token: string): Promise<Result<{ rooms: number }>> {
    return this.queue.run(code, () => this.deleteNow(code, token));
  }

  private async deleteNow(code: string, token: string): Promise<Result<{ rooms: number }>> {
    const t = await this.teacher(code, token);
    if (!t.ok) return t;
    const rooms = await this.o.store.retention.deleteClass(t.data.code);
    this.records.delete(t.data.code);
    this.pending.get(t.data.code)?.cancel();
    this.pending.delete(t.data.code);
    this.o.events.emit('class:deleted', t.data.code, rooms);
    this.o.log.info('class: deleted by the teacher', { class: t.data.code, rooms: rooms.length });
    return ok({ rooms: rooms.length });
  }

  /** Seats a student (in the class's queue: two students at once never take the same seat). */
  join(s: Session, p: ClassJoinPayload): Promise<Result<ClassJoinedData>> {
    return this.queue.run(p.code, () => this.joinNow(s, p));
  }

  private async joinNow(s: Session, p: ClassJoinPayload): Promise<Result<ClassJoinedData>> {
    const rec = await this.record(p.code);
    if (!rec) return fail('unknown_class', `no class with code ${p.code}; check the code on the board`);
    if (rec.closed) return fail('class_closed', 'the teacher has stopped this class');
    const rooms = this.o.rooms;
    let target: string | null = null;
    if (rec.grouping === 'auto') {
      target = await this.autoSeat(rec);
    } else if (p.room === 'new') {
      target = await this.openRoom(rec);
    } else if (p.room !== undefined) {
      if (!(await this.o.store.listClassRooms(rec.code)).includes(p.room)) return fail('unknown_room', `room ${p.room} is not part of class ${rec.code}`);
      target = p.room;
    }
    if (target === null) return ok({ classCode: rec.code, joined: null, rooms: await this.choices(rec) });
    const table = await rooms.table(target);
    const role: Role = table ? classStudentSeat(table) : 'spectator';
    const j = await rooms.join(s, target, p.name, undefined, role);
    if (!j.ok) return j;
    // A student learns their own room (in `joined`), not the codes and names of the others.
    return ok({ classCode: rec.code, joined: j.data, rooms: [] });
  }

  /** What a student of a pick class chooses from: codes, seats taken, free actors; no names. */
  private async choices(rec: ClassRecord): Promise<ClassRoomChoice[]> {
    const rooms = this.o.rooms;
    return Promise.all((await this.o.store.listClassRooms(rec.code)).map(async (code) => {
      const s = await rooms.summary(code);
      return { code, seated: s?.players.length ?? 0, free: s?.free ?? [] };
    }));
  }

  /** Fill rooms to three: the fullest room with a free actor role, else a new room. */
  private async autoSeat(rec: ClassRecord): Promise<string> {
    const rooms = this.o.rooms;
    const size = Math.min(this.o.roomSize ?? 3, ACTOR_ROLES.length);
    let best: { code: string; players: number } | null = null;
    for (const code of await this.o.store.listClassRooms(rec.code)) {
      const s = await rooms.summary(code);
      if (!s || s.free.length === 0) continue;
      const seated = ACTOR_ROLES.length - s.free.length;
      if (seated >= size) continue;
      if (!best || seated > best.players) best = { code, players: seated };
    }
    return best ? best.code : this.openRoom(rec);
  }

  private async openRoom(rec: ClassRecord): Promise<string> {
    const lesson = await lessonById(this.o.lessons, rec.lesson);
    if (!lesson) throw new Error(`class ${rec.code}: lesson ${rec.lesson} is gone`);
    return (await this.o.rooms.open({ lesson, scenario: this.o.lessons.scenario(lesson), mode: rec.mode, classCode: rec.code,
      classControls: { paused: rec.paused, studentsControl: rec.studentsControl }, creator: null })).code;
  }

  /** A room of the class changed: tell the teachers (a step waits for the next coalesced view). */
  changed(classCode: string, what: 'roster' | 'step' = 'roster'): void {
    if (what === 'step') {
      if (this.pending.has(classCode)) return;
      this.pending.set(classCode, this.o.clock.setTimeout(() => {
        this.pending.delete(classCode);
        this.notifyNow(classCode);
      }, STEP_NOTIFY_MS));
      return;
    }
    this.pending.get(classCode)?.cancel();
    this.pending.delete(classCode);
    this.notifyNow(classCode);
  }

  private notifyNow(classCode: string): void {
    // In the class's queue: views reach the teachers in the order the changes happened.
    void this.queue.run(classCode, async () => {
      const rec = await this.record(classCode);
      if (rec) this.o.notify(classCode, await this.view(rec));
    }).catch((e: unknown) => this.o.log.error('class: could not send the teachers a fresh view', { class: classCode, error: String(e) }));
  }

  /** The class is no longer this node's (cluster mode): its record and pending views are forgotten. */
  unload(code: string): void {
    this.records.delete(code);
    this.pending.get(code)?.cancel();
    this.pending.delete(code);
  }

  /** Stops pending notifications (server shutdown). */
  stopTimers(): void {
    for (const t of this.pending.values()) t.cancel();
    this.pending.clear();
  }

  onRunFinished(trace: RunTrace): void {
    if (trace.classCode) this.changed(trace.classCode);
  }

  private async summaries(rec: ClassRecord): Promise<ClassRoomSummary[]> {
    const rooms = this.o.rooms;
    const traces = await this.o.store.listClassTraces(rec.code);
    const byRoom = new Map<string, RunTrace[]>();
    for (const t of traces) {
      const list = byRoom.get(t.room) ?? [];
      list.push(t);
      byRoom.set(t.room, list);
    }
    return Promise.all((await this.o.store.listClassRooms(rec.code)).map(async (code) => classRoomSummary(code, await rooms.summary(code), byRoom.get(code) ?? [])));
  }

  async view(rec: ClassRecord): Promise<ClassView> {
    const lesson = await lessonById(this.o.lessons, rec.lesson);
    if (!lesson) throw new Error(`class ${rec.code}: lesson ${rec.lesson} is gone`);
    const rooms = await this.summaries(rec);
    const found = new Set<OutcomeId>();
    for (const r of rooms) for (const o of r.found) found.add(o);
    return {
      code: rec.code,
      link: this.link(rec.code),
      lesson: lessonRef(lesson),
      grouping: rec.grouping,
      mode: rec.mode,
      closed: rec.closed,
      controls: { paused: rec.paused, studentsControl: rec.studentsControl },
      rooms,
      reachable: reachableOutcomes(this.o.graphs.get(this.o.lessons.scenario(lesson))),
      found: [...found].sort(),
    };
  }
}
