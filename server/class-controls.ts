// The teacher's controls over a running class: pause and resume every room, let the
// students use the host's controls or keep them, restart one room or all, rotate the seats
// of one room or all, move a student to another room or seat. Each request proves the
// teacher's token and runs in the class's queue (ClassService.asTeacher), acts on the rooms
// through the room side (server/class-rooms.ts), and answers with the class view that every
// dashboard of the class then gets. A stopped class refuses them all (class_closed).

import type { ClassControlsPayload, ClassMovePayload, ClassRoomsPayload, ClassView } from '../protocol/events.js';
import type { ClassRoomService } from './class-rooms.js';
import type { ClassService } from './classes.js';
import type { Log } from './log.js';
import { fail, ok, type Result } from './result.js';
import type { AnyStore, ClassRecord } from './store/port.js';

export interface ClassControlOptions {
  classes: ClassService;
  rooms: ClassRoomService;
  store: AnyStore;
  log: Log;
}

const STOPPED = 'the class is stopped; start a new class to play again';

export class ClassControlService {
  constructor(private readonly o: ClassControlOptions) {}

  /** Pause or resume; give the host's controls to the students or take them back. Fields left out stay as they are. */
  setControls(p: ClassControlsPayload): Promise<Result<ClassView>> {
    return this.o.classes.asTeacher(p.code, p.teacherToken, async (rec) => {
      if (rec.closed) return fail('class_closed', STOPPED);
      const next = { paused: p.paused ?? rec.paused, studentsControl: p.studentsControl ?? rec.studentsControl };
      if (next.paused === rec.paused && next.studentsControl === rec.studentsControl) return ok({});
      await this.o.store.setClassControls(rec.code, next);
      rec.paused = next.paused;
      rec.studentsControl = next.studentsControl;
      await this.o.rooms.classControlsChanged(rec.code, next);
      this.o.log.info('class: controls changed', { class: rec.code, ...next });
      return ok({});
    });
  }

  /** The teacher's act on one room of the class, or on each of them in turn; the first refusal stops it. */
  private inEachRoom(p: ClassRoomsPayload, act: (room: string) => Promise<Result<unknown>>): Promise<Result<ClassView>> {
    return this.o.classes.asTeacher(p.code, p.teacherToken, async (rec) => {
      const rooms = await this.rooms(rec, p.room);
      if (!rooms.ok) return rooms;
      for (const code of rooms.data) {
        const r = await act(code);
        if (!r.ok) return r;
      }
      return ok({});
    });
  }

  /** A new run in one room, or in every room of the class that has begun one. */
  restart(p: ClassRoomsPayload): Promise<Result<ClassView>> {
    return this.inEachRoom(p, (code) => this.o.rooms.teacherRestart(code));
  }

  /** Every seated student of one room, or of every room, moves to the next seat; a begun run starts anew. */
  rotate(p: ClassRoomsPayload): Promise<Result<ClassView>> {
    return this.inEachRoom(p, (code) => this.o.rooms.teacherRotate(code));
  }

  /** A student to another seat of their room, or to a free seat (or to watch) in another room of the class. */
  move(p: ClassMovePayload): Promise<Result<ClassView>> {
    return this.o.classes.asTeacher(p.code, p.teacherToken, async (rec) => {
      if (rec.closed) return fail('class_closed', STOPPED);
      const mine = await this.o.store.listClassRooms(rec.code);
      for (const code of [p.from, p.to]) {
        if (!mine.includes(code)) return fail('unknown_room', `room ${code} is not part of class ${rec.code}`);
      }
      const r = await this.o.rooms.teacherMove(p.from, p.player, p.to, p.role);
      if (r.ok) this.o.log.info('class: student moved', { class: rec.code, from: p.from, to: p.to, role: p.role });
      return r;
    });
  }

  /** The room asked for (if it is the class's), or every room of the class. */
  private async rooms(rec: ClassRecord, room: string | undefined): Promise<Result<string[]>> {
    if (rec.closed) return fail('class_closed', STOPPED);
    const mine = await this.o.store.listClassRooms(rec.code);
    if (room === undefined) return ok(mine);
    return mine.includes(room) ? ok([room]) : fail('unknown_room', `room ${room} is not part of class ${rec.code}`);
  }
}
