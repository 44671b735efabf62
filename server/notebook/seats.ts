// Who may do what in a notebook: the seat a credential proves (host, player, spectator)
// and whether that seat may edit under the notebook's policy. Seats follow the room live:
// the service asks again whenever the room's roster or host changes.

import type { NotebookCredential, NotebookKind, NotebookPolicy, NotebookSeat } from '../../protocol/notebook/events.js';
import { hashToken } from '../ids.js';
import type { GamePorts } from './ports.js';
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
  if (m?.[1] === 'room' || m?.[1] === 'class') return { kind: m[1], ref: m[2]! };
  return { kind: 'free', ref: null };
}

/** The seat a credential proves in a notebook, as the room and class are now (the game answers through its port). */
export async function seatFor(rec: NotebookRecord, cred: NotebookCredential | undefined, game: GamePorts): Promise<NotebookSeat> {
  const visitor = rec.policy.visitors;
  if (!cred) return visitor;
  if (rec.kind === 'free') return cred.kind === 'owner' && rec.ownerHash === hashToken(cred.token) ? 'host' : visitor;
  if (rec.ref === null) return visitor;
  return (await game.seatOf({ kind: rec.kind, ref: rec.ref }, cred)) ?? visitor;
}
