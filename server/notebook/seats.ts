// Who may do what in a notebook: the seat a credential proves (host, player, spectator)
// and whether that seat may edit under the notebook's policy. Seats follow the room live:
// the service asks again whenever the room's roster or host changes.

import type { NotebookCredential, NotebookKind, NotebookPolicy, NotebookSeat } from '../../protocol/notebook/events.js';
import type { ClassService } from '../classes.js';
import { notebookSeatOfPlayer } from '../../protocol/rules.js';
import { hashToken } from '../ids.js';
import type { RoomService } from '../rooms.js';
import type { NotebookRecord } from '../store/port.js';

export const DEFAULT_POLICIES: Record<NotebookKind, NotebookPolicy> = {
  free: { spectators: 'read', visitors: 'player', locked: false },
  room: { spectators: 'read', visitors: 'spectator', locked: false },
  class: { spectators: 'read', visitors: 'spectator', locked: false },
};

export { notebookMayEdit as canEdit } from '../../protocol/rules.js';

/** Which notebook an id names: a room's, a class's, or a free one. */
export function notebookKind(id: string): { kind: NotebookKind; ref: string | null } {
  const m = /^(room|class)-([A-Z0-9]{4,8})$/.exec(id);
  if (m) return { kind: m[1] as 'room' | 'class', ref: m[2]! };
  return { kind: 'free', ref: null };
}

/** The seat a credential proves in a notebook, as the room and class are now. */
export function seatFor(rec: NotebookRecord, cred: NotebookCredential | undefined, d: { rooms: RoomService; classes: ClassService }): NotebookSeat {
  const visitor = rec.policy.visitors;
  if (!cred) return visitor;
  if (rec.kind === 'free') return cred.kind === 'owner' && rec.ownerHash === hashToken(cred.token) ? 'host' : visitor;
  if (cred.kind === 'teacher') {
    return rec.kind === 'class' && d.classes.watch(rec.ref!, cred.token).ok ? 'host' : visitor;
  }
  if (cred.kind !== 'room') return visitor;
  const room = d.rooms.room(cred.room);
  if (!room) return visitor;
  if (rec.kind === 'room' && room.rec.code !== rec.ref) return visitor;
  if (rec.kind === 'class' && room.rec.classCode !== rec.ref) return visitor;
  const hash = hashToken(cred.token);
  const player = room.players.find((p) => p.tokenHash === hash);
  if (!player) return visitor;
  return notebookSeatOfPlayer(d.rooms.table(room), player.id, rec.kind) ?? visitor;
}
