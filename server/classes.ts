// Classes: a teacher opens one join code for a lesson; students join with a name and are
// seated in rooms of three (auto) or pick a room (pick). The teacher watches which
// outcomes each room has found against what the explorer says is reachable, and can stop
// the class (rooms then refuse steps). Rooms of a class are ordinary rooms with a
// classCode; everything about play is RoomService's. Teachers get a fresh view at once
// after a roster change, a finished run or stop; steps are coalesced (at most one view per
// STEP_NOTIFY_MS per class), so a busy class does not rebuild the view on every click.

import type { OutcomeId } from '../engine/index.js';
import type {
  ClassCreatedData, ClassInfo, ClassJoinedData, ClassJoinPayload, ClassRoomChoice, ClassRoomSummary, ClassView, Grouping, Mode, Role, RunTrace,
} from '../protocol/events.js';
import { ACTOR_ROLES } from '../protocol/events.js';
import type { Clock, Timer } from './clock.js';
import type { AppEvents } from './events.js';
import { reachableOutcomes, type GraphCache } from './graphs.js';
import { hashToken, newToken, uniqueCode } from './ids.js';
import { lessonRef, type LessonCatalog } from './lessons.js';
import { classRoomSummary } from './room-summary.js';
import type { Log } from './log.js';
import { fail, ok, type Result } from './result.js';
import type { RoomService, Session } from './rooms.js';
import type { ClassRecord, Store } from './store/port.js';
import { classStudentSeat } from '../protocol/rules.js';

export interface ClassServiceOptions {
  store: Store;
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

  constructor(private readonly o: ClassServiceOptions) {}

  private record(code: string): ClassRecord | null {
    let c = this.records.get(code);
    if (!c) {
      c = this.o.store.getClass(code) ?? undefined;
      if (!c) return null;
      this.records.set(code, c);
    }
    return c;
  }

  isClosed(code: string): boolean {
    return this.record(code)?.closed ?? false;
  }

  create(teacherName: string, lessonId: string, grouping: Grouping, mode: Mode | undefined): Result<ClassCreatedData> {
    const lesson = this.o.lessons.get(lessonId);
    if (!lesson) return fail('unknown_lesson', `no lesson "${lessonId}"; GET /api/lessons lists them`);
    const teacherToken = newToken();
    const rec: ClassRecord = {
      code: uniqueCode((c) => this.o.store.codeTaken(c), this.o.rooms.loadedRooms),
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
    this.o.store.createClass(rec);
    this.records.set(rec.code, rec);
    this.o.log.info('class: created', { class: rec.code, lesson: rec.lesson, grouping });
    return ok({ code: rec.code, link: this.link(rec.code), teacherToken, class: this.view(rec) });
  }

  link(code: string): string {
    return `${this.o.linkBase ?? ''}/c/${code}`;
  }

  private teacher(code: string, token: string): Result<ClassRecord> {
    const rec = this.record(code);
    if (!rec) return fail('unknown_class', `no class with code ${code}`);
    if (rec.teacherHash !== hashToken(token)) return fail('not_teacher', 'this teacher token does not open this class');
    return ok(rec);
  }

  /**
   * Runs a teacher's request once the teacher's token is checked, then tells every
   * dashboard of the class the view it answers with.
   */
  asTeacher(code: string, token: string, fn: (rec: ClassRecord) => Promise<Result<unknown>>): Promise<Result<ClassView>> {
    return (async () => {
      const t = this.teacher(code, token);
      if (!t.ok) return t;
      const r = await fn(t.data);
      if (!r.ok) return r;
      this.pending.get(code)?.cancel();
      this.pending.delete(code);
      const v = this.view(t.data);
      this.o.notify(code, v);
      return ok(v);
    })();
  }

  /** What a student sees before joining: the lesson and whether the class is open. */
  info(code: string): ClassInfo | null {
    const rec = this.record(code);
    const lesson = rec ? this.o.lessons.get(rec.lesson) : undefined;
    if (!rec || !lesson) return null;
    return { code: rec.code, link: this.link(rec.code), lesson: lessonRef(lesson), grouping: rec.grouping, mode: rec.mode, closed: rec.closed };
  }

  watch(code: string, token: string): Result<ClassView> {
    const t = this.teacher(code, token);
    return t.ok ? ok(this.view(t.data)) : t;
  }

  stop(code: string, token: string): Result<ClassView> {
    const t = this.teacher(code, token);
    if (!t.ok) return t;
    if (!t.data.closed) {
      this.o.store.closeClass(code);
      t.data.closed = true;
      this.o.rooms.classStopped(code);
    }
    const v = this.view(t.data);
    this.o.notify(code, v);
    return ok(v);
  }

  /** A new teacher token (and link) for the class; the old one opens nothing from now on. */
  rekey(code: string, token: string): Result<{ teacherToken: string }> {
    const t = this.teacher(code, token);
    if (!t.ok) return t;
    const teacherToken = newToken();
    t.data.teacherHash = hashToken(teacherToken);
    this.o.store.setTeacherHash(t.data.code, t.data.teacherHash);
    this.o.log.info('class: teacher link made anew', { class: t.data.code });
    return ok({ teacherToken });
  }

  /** Deletes the class with its rooms and their runs; class:deleted tells the rooms and notebooks. */
  delete(code: string, token: string): Result<{ rooms: number }> {
    const t = this.teacher(code, token);
    if (!t.ok) return t;
    const rooms = this.o.store.retention.deleteClass(t.data.code);
    this.records.delete(t.data.code);
    this.pending.get(t.data.code)?.cancel();
    this.pending.delete(t.data.code);
    this.o.events.emit('class:deleted', t.data.code, rooms);
    this.o.log.info('class: deleted by the teacher', { class: t.data.code, rooms: rooms.length });
    return ok({ rooms: rooms.length });
  }

  join(s: Session, p: ClassJoinPayload): Result<ClassJoinedData> {
    const rec = this.record(p.code);
    if (!rec) return fail('unknown_class', `no class with code ${p.code}; check the code on the board`);
    if (rec.closed) return fail('class_closed', 'the teacher has stopped this class');
    const rooms = this.o.rooms;
    let target: string | null = null;
    if (rec.grouping === 'auto') {
      target = this.autoSeat(rec);
    } else if (p.room === 'new') {
      target = this.openRoom(rec);
    } else if (p.room !== undefined) {
      if (!this.o.store.listClassRooms(rec.code).includes(p.room)) return fail('unknown_room', `room ${p.room} is not part of class ${rec.code}`);
      target = p.room;
    }
    if (target === null) return ok({ classCode: rec.code, joined: null, rooms: this.choices(rec) });
    const table = rooms.table(target);
    const role: Role = table ? classStudentSeat(table) : 'spectator';
    const j = rooms.join(s, target, p.name, undefined, role);
    if (!j.ok) return j;
    // A student learns their own room (in `joined`), not the codes and names of the others.
    return ok({ classCode: rec.code, joined: j.data, rooms: [] });
  }

  /** What a student of a pick class chooses from: codes, seats taken, free actors; no names. */
  private choices(rec: ClassRecord): ClassRoomChoice[] {
    const rooms = this.o.rooms;
    return this.o.store.listClassRooms(rec.code).map((code) => {
      const s = rooms.summary(code);
      return { code, seated: s?.players.length ?? 0, free: s?.free ?? [] };
    });
  }

  /** Fill rooms to three: the fullest room with a free actor role, else a new room. */
  private autoSeat(rec: ClassRecord): string {
    const rooms = this.o.rooms;
    const size = Math.min(this.o.roomSize ?? 3, ACTOR_ROLES.length);
    let best: { code: string; players: number } | null = null;
    for (const code of this.o.store.listClassRooms(rec.code)) {
      const s = rooms.summary(code);
      if (!s || s.free.length === 0) continue;
      const seated = ACTOR_ROLES.length - s.free.length;
      if (seated >= size) continue;
      if (!best || seated > best.players) best = { code, players: seated };
    }
    return best ? best.code : this.openRoom(rec);
  }

  private openRoom(rec: ClassRecord): string {
    const lesson = this.o.lessons.get(rec.lesson);
    if (!lesson) throw new Error(`class ${rec.code}: lesson ${rec.lesson} is gone`);
    return this.o.rooms.open({ lesson, scenario: this.o.lessons.scenario(lesson), mode: rec.mode, classCode: rec.code,
      classControls: { paused: rec.paused, studentsControl: rec.studentsControl }, creator: null }).code;
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
    const rec = this.record(classCode);
    if (rec) this.o.notify(classCode, this.view(rec));
  }

  /** Stops pending notifications (server shutdown). */
  stopTimers(): void {
    for (const t of this.pending.values()) t.cancel();
    this.pending.clear();
  }

  onRunFinished(trace: RunTrace): void {
    if (trace.classCode) this.changed(trace.classCode);
  }

  private summaries(rec: ClassRecord): ClassRoomSummary[] {
    const rooms = this.o.rooms;
    const traces = this.o.store.listClassTraces(rec.code);
    const byRoom = new Map<string, RunTrace[]>();
    for (const t of traces) {
      const list = byRoom.get(t.room) ?? [];
      list.push(t);
      byRoom.set(t.room, list);
    }
    return this.o.store.listClassRooms(rec.code).map((code) => classRoomSummary(code, rooms.summary(code), byRoom.get(code) ?? []));
  }

  view(rec: ClassRecord): ClassView {
    const lesson = this.o.lessons.get(rec.lesson);
    if (!lesson) throw new Error(`class ${rec.code}: lesson ${rec.lesson} is gone`);
    const rooms = this.summaries(rec);
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
