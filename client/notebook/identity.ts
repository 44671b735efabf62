// Who this browser is in a notebook: the player's name (the one the game uses), a colour
// derived from it, and the credential that proves a seat — the room token the game keeps
// in sessionStorage (reaplab.token.<CODE>), a class teacher's token (reaplab.teacher.<CODE>,
// session or local storage) or the owner token of a free notebook this browser created
// (reaplab.notebook.owner.<id>, localStorage).
import type { NotebookCredential } from '../../protocol/notebook/events.js';
import { playerName } from '../lib/api.js';
import { PRESENCE } from '../lib/palette.js';

export function colorFor(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return PRESENCE[(h >>> 0) % PRESENCE.length]!;
}

function storage(kind: 'local' | 'session'): Storage | null {
  try {
    return (kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage) ?? null;
  } catch {
    return null;
  }
}

const OWNER_KEY = (id: string) => `reaplab.notebook.owner.${id}`;

export function rememberOwner(id: string, token: string): void {
  storage('local')?.setItem(OWNER_KEY(id), token);
}

/** The credential this browser holds for notebook `id`, if any. */
export function credentialFor(id: string): NotebookCredential | undefined {
  const owner = storage('local')?.getItem(OWNER_KEY(id));
  if (owner) return { kind: 'owner', token: owner };
  const m = /^(room|class)-([A-Z0-9]{4,8})$/.exec(id);
  if (!m) return undefined;
  const code = m[2]!;
  if (m[1] === 'room') {
    const token = storage('session')?.getItem(`reaplab.token.${code}`);
    return token ? { kind: 'room', room: code, token } : undefined;
  }
  const teacher = storage('session')?.getItem(`reaplab.teacher.${code}`) ?? storage('local')?.getItem(`reaplab.teacher.${code}`);
  if (teacher) return { kind: 'teacher', token: teacher };
  // A student of the class: the room this tab was seated in (reaplab.class.<CODE>), else any room seat.
  const session = storage('session');
  const seated = session?.getItem(`reaplab.class.${code}`);
  const seatToken = seated ? session?.getItem(`reaplab.token.${seated}`) : null;
  if (seated && seatToken) return { kind: 'room', room: seated, token: seatToken };
  if (session) {
    for (let i = 0; i < session.length; i++) {
      const key = session.key(i) ?? '';
      const rm = /^reaplab\.token\.([A-Z0-9]{4,8})$/.exec(key);
      const token = rm ? session.getItem(key) : null;
      if (rm && token) return { kind: 'room', room: rm[1]!, token };
    }
  }
  return undefined;
}

/** Stores a room seat where the game looks for it, so #/room/<CODE> rejoins as that player. */
export function rememberRoomSeat(code: string, token: string): void {
  storage('session')?.setItem(`reaplab.token.${code}`, token);
}

export function myName(): string {
  return playerName();
}

const EDITOR_KEY = 'reaplab.notebook.editor';
const CLIENTS_KEY = (id: string) => `reaplab.notebook.clients.${id}`;

/**
 * What this browser writes a notebook as: a secret editor key (kept in localStorage; one
 * per page without storage) and the Yjs client ids it has written `id` under before, most
 * recent first — a local copy may still hold their unsent edits. `current` is remembered.
 */
let pageKey: string | null = null;
export function editorFor(id: string, current: number, fresh: () => string): { key: string; clients: number[] } {
  const local = storage('local');
  let key = local?.getItem(EDITOR_KEY) ?? null;
  if (!key) {
    key = pageKey ??= fresh();
    local?.setItem(EDITOR_KEY, key);
  }
  let before: number[] = [];
  try {
    const raw = JSON.parse(local?.getItem(CLIENTS_KEY(id)) ?? '[]') as unknown;
    if (Array.isArray(raw)) before = raw.filter((c): c is number => Number.isInteger(c) && c >= 0 && c <= 0xffffffff);
  } catch { /* a damaged list: start again */ }
  const clients = [current, ...before.filter((c) => c !== current)].slice(0, 16);
  local?.setItem(CLIENTS_KEY(id), JSON.stringify(clients));
  return { key, clients };
}
