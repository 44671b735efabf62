// What a class's teacher does to the rooms of the class, on the room side: the class's
// controls reach every room in memory at once (pause, the host's controls), and the
// teacher restarts a room, rotates its seats or moves a student to another room or seat,
// whatever the students themselves may do. Each operation runs whole (inRoom) and takes
// the same path as a student's request: the store first, then memory, then the room's
// broadcast. Which class a room belongs to is checked by the caller (server/class-controls.ts).

import type { ClassControls, Role } from '../protocol/events.js';
import { holderOf, isActorRole, rotatedSeats } from '../protocol/rules.js';
import { hashToken, newToken } from './ids.js';
import { roomViewOf, stripLive, tableOf, type LivePlayer, type LiveRoom } from './live-room.js';
import { fail, ok, type Result } from './result.js';
import { RoomService } from './rooms.js';

const STOPPED = 'the class is stopped; its rooms stay as they are';

export class ClassRoomService extends RoomService {
  /** Runs an operation of room `code` to its end in the room's queue: no other request of the room comes between its awaits. */
  private inRoom<T>(code: string, fn: () => T | Promise<T>): Promise<T> {
    return this.queue.run(code, fn);
  }

  /**
   * The teacher changed the class's controls: every room of the class in memory takes them
   * at once and tells its students (a room loaded later reads them from the store); bots
   * wait while the class is paused and play again when it resumes.
   */
  async classControlsChanged(classCode: string, controls: ClassControls): Promise<void> {
    const rooms = [...this.rooms.values()].filter((r) => r.rec.classCode === classCode);
    await Promise.all(rooms.map((room) => this.inRoom(room.rec.code, () => {
      if (this.rooms.get(room.rec.code) !== room) return;
      room.controls = { ...controls };
      room.view = null;
      this.o.broadcaster.roomState(room.rec.code, roomViewOf(room, this.link(room.rec.code)));
      if (controls.paused) this.bots.cancel(room);
      else this.bots.schedule(room);
    })));
  }

  /** The teacher starts a new run in the room (nothing happens to a run that has not begun). */
  teacherRestart(code: string): Promise<Result<{ restarted: boolean }>> {
    return this.inRoom(code, async () => {
      const room = await this.classRoom(code);
      if (!room.ok) return room;
      if (room.data.actions.length === 0 && room.data.rec.result === null) return ok({ restarted: false });
      const r = await this.rewind(room.data, 0, true);
      return r.ok ? ok({ restarted: true }) : r;
    });
  }

  /**
   * Rotates the room's seated students to the next seat (victim → reaper → allocator →
   * victim) and starts a new run if the current one has begun, so nobody takes over
   * someone else's half-played run.
   */
  teacherRotate(code: string): Promise<Result<{ rotated: number }>> {
    return this.inRoom(code, async () => {
      const got = await this.classRoom(code);
      if (!got.ok) return got;
      const room = got.data;
      const seats = rotatedSeats(tableOf(room));
      if (seats.length === 0) return ok({ rotated: 0 });
      const changed = seats.map((s) => ({ ...stripLive(this.player(room, s.id)), role: s.role }));
      await this.o.store.upsertPlayers(room.rec.code, changed);
      for (const s of seats) this.player(room, s.id).role = s.role;
      this.roomChanged(room);
      if (room.actions.length > 0 || room.rec.result !== null) {
        const r = await this.rewind(room, 0, true);
        if (!r.ok) return r;
      } else this.bots.schedule(room);
      return ok({ rotated: seats.length });
    });
  }

  /**
   * The teacher seats a student elsewhere. In the same room: the seat is theirs, and whoever
   * held it takes the student's old seat (a swap). In another room of the class: the seat
   * there must be free (or 'spectator'); the student's page follows them (room:moved), with
   * a fresh seat token when they are connected. A student who is away keeps their token's
   * hash, so the token they saved still proves the seat.
   */
  async teacherMove(from: string, playerId: string, to: string, role: Role): Promise<Result<{ room: string }>> {
    if (from === to) return this.inRoom(from, () => this.reseat(from, playerId, role));
    const picked = await this.inRoom(from, async (): Promise<Result<LivePlayer>> => {
      const room = await this.classRoom(from);
      if (!room.ok) return room;
      const p = room.data.players.find((q) => q.id === playerId);
      return p ? ok({ ...p }) : fail('unknown_player', `no such student in room ${from}`);
    });
    if (!picked.ok) return picked;
    const student = picked.data;
    const token = student.socketId !== null ? newToken() : null;
    const placed = await this.inRoom(to, async (): Promise<Result<LivePlayer>> => {
      const got = await this.classRoom(to);
      if (!got.ok) return got;
      const room = got.data;
      const holder = isActorRole(role) ? holderOf(tableOf(room), role) : null;
      if (holder) return fail('role_taken', `the ${role} of room ${to} is ${holder.name}'s; pick a free seat there, or move ${holder.name} first`);
      const now = this.o.clock.now();
      const moved: LivePlayer = {
        id: student.id, tokenHash: token ? hashToken(token) : student.tokenHash, name: student.name, role, joinedAt: now,
        socketId: null, lastSeen: student.lastSeen, ...(student.lastActive !== undefined ? { lastActive: student.lastActive } : {}),
      };
      await this.o.store.upsertPlayer(to, stripLive(moved));
      room.players.push(moved);
      return ok(moved);
    });
    if (!placed.ok) return placed;
    await this.inRoom(from, async () => {
      const room = this.rooms.get(from);
      const p = room?.players.find((q) => q.id === playerId);
      if (!room || !p) return;
      await this.o.store.removePlayer(from, p.id);
      room.players = room.players.filter((q) => q !== p);
      if (room.rec.hostId === p.id) {
        await this.setHost(room, null);
        await this.passHostIfGone(room);
      }
      this.roomChanged(room);
      this.bots.schedule(room);
    });
    await this.inRoom(to, async () => {
      const room = this.rooms.get(to);
      const p = room?.players.find((q) => q.id === playerId);
      if (!room || !p) return;
      if (token !== null && student.socketId !== null) {
        p.socketId = student.socketId;
        p.lastSeen = this.o.clock.now();
        this.o.broadcaster.moved(student.socketId, from, this.joined(room, p, token));
      }
      await this.passHostIfGone(room);
      this.roomChanged(room);
      this.bots.schedule(room);
    });
    return ok({ room: to });
  }

  private async reseat(code: string, playerId: string, role: Role): Promise<Result<{ room: string }>> {
    const got = await this.classRoom(code);
    if (!got.ok) return got;
    const room = got.data;
    const student = room.players.find((p) => p.id === playerId);
    if (!student) return fail('unknown_player', `no such student in room ${code}`);
    if (student.role === role) return ok({ room: code });
    const holder = isActorRole(role) ? room.players.find((p) => p.role === role && p !== student) ?? null : null;
    const changed = [{ ...stripLive(student), role }];
    if (holder) changed.push({ ...stripLive(holder), role: student.role });
    await this.o.store.upsertPlayers(code, changed);
    if (holder) holder.role = student.role;
    student.role = role;
    this.roomChanged(room);
    this.bots.schedule(room);
    return ok({ room: code });
  }

  /** A room of a class that is still running (the teacher cannot change a stopped class's rooms). */
  private async classRoom(code: string): Promise<Result<LiveRoom>> {
    const room = await this.room(code);
    if (!room || room.rec.classCode === null) return fail('unknown_room', `no class room with code ${code}`);
    if (room.closed) return fail('class_closed', STOPPED);
    return ok(room);
  }
}
