// What a class shows of each of its rooms: the roster, the free seats, the bots and the
// run's progress (RoomSummary), and with the room's finished runs, the outcomes it found
// (ClassRoomSummary, for the teacher's view). Pure: built from read-only views.

import type { ActorRole, OutcomeId } from '../engine/index.js';
import type { BotKind, ClassRoomSummary, ClassStudentView, RunResult, RunTrace } from '../protocol/events.js';
import { freeSeats } from '../protocol/rules.js';
import { tableOf, type LiveRoom } from './live-room.js';

export interface RoomSummary {
  players: ClassStudentView[];
  free: ActorRole[];
  bots: Record<ActorRole, BotKind | null>;
  run: number;
  steps: number;
  result: RunResult | null;
}

export function roomSummary(room: LiveRoom, now: number): RoomSummary {
  return {
    players: room.players.map((p) => ({
      id: p.id, name: p.name, role: p.role, connected: p.socketId !== null, host: p.id === room.rec.hostId,
      quietMs: Math.max(0, now - Math.max(p.lastActive ?? 0, p.lastSeen)),
    })),
    free: freeSeats(tableOf(room)),
    bots: { ...room.rec.bots },
    run: room.rec.run,
    steps: room.actions.length,
    result: room.rec.result,
  };
}

/** One room of a class for the teacher: its summary (null: not found) and the runs it finished, oldest first. */
export function classRoomSummary(code: string, s: RoomSummary | null, runs: readonly RunTrace[]): ClassRoomSummary {
  const found = new Set<OutcomeId>();
  for (const t of runs) {
    found.add(t.outcome);
    if (t.needlessKill) found.add('needless_kill');
  }
  const last = runs[runs.length - 1];
  return {
    code,
    players: s?.players ?? [],
    free: s?.free ?? [],
    bots: s?.bots ?? { victim: null, reaper: null, allocator: null },
    run: s?.run ?? 1,
    steps: s?.steps ?? 0,
    ended: s?.result?.outcome ?? null,
    runs: runs.length,
    found: [...found].sort(),
    lastOutcome: last ? last.outcome : null,
  };
}
