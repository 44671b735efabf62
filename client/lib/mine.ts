// What this browser has played and written: the rooms it joined (with the seat token that
// gets the same player back), the notebooks it opened (with the owner token of those it
// created) and the name it plays under, kept in localStorage for the "My runs and
// notebooks" page. A personal recovery link carries all of it to another browser in the
// URL fragment (#/mine/restore/<data>), which browsers never send to a server: whoever
// holds the link gets these seats and notebooks, so it is to be kept like a password.
import './zod-config.js';
import { z } from 'zod';

export interface MineRoom {
  code: string;
  /** The seat token (room:join) — the same player and role back. */
  token: string;
  /** What was played: the lesson's title, or the scenario. */
  title: string;
  classCode: string | null;
  /** Last time this browser was in the room (ms since the epoch). */
  seen: number;
}

export interface MineNotebook {
  id: string;
  title: string;
  /** The owner token of a notebook this browser created. */
  owner?: string;
  seen: number;
}

export interface Mine {
  name: string;
  rooms: MineRoom[];
  notebooks: MineNotebook[];
}

const KEY = 'reaplab.mine.v1';
const OWNER_KEY = (id: string) => `reaplab.notebook.owner.${id}`;
const NAME_KEY = 'reaplab.name';
/** The most recent entries kept of each kind (a recovery link stays a few kilobytes). */
export const MINE_MAX = 100;

const Code = z.string().regex(/^[A-Z0-9]{4,8}$/);
const Token = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/);
const MineSchema = z.object({
  name: z.string().max(40).default(''),
  rooms: z.array(z.object({ code: Code, token: Token, title: z.string().max(300).default(''), classCode: Code.nullable().default(null), seen: z.number().int().min(0) })).max(MINE_MAX * 2).default([]),
  notebooks: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/), title: z.string().max(300).default(''), owner: Token.optional(), seen: z.number().int().min(0) })).max(MINE_MAX * 2).default([]),
});

function local(): Storage | null {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

function parse(raw: unknown): Mine | null {
  const r = MineSchema.safeParse(raw);
  return r.success ? (r.data as Mine) : null;
}

export function loadMine(store: Storage | null = local()): Mine {
  let got: Mine | null = null;
  try { got = parse(JSON.parse(store?.getItem(KEY) ?? 'null')); } catch { got = null; }
  const mine = got ?? { name: '', rooms: [], notebooks: [] };
  // Owner tokens live where the notebook looks for them; the page shows them together.
  for (const nb of mine.notebooks) {
    const owner = store?.getItem(OWNER_KEY(nb.id));
    if (owner) nb.owner = owner;
  }
  mine.name = store?.getItem(NAME_KEY) ?? mine.name;
  return mine;
}

function save(mine: Mine, store: Storage | null): void {
  const byRecent = <T extends { seen: number }>(xs: T[]) => [...xs].sort((a, b) => b.seen - a.seen).slice(0, MINE_MAX);
  const kept: Mine = { name: mine.name, rooms: byRecent(mine.rooms), notebooks: byRecent(mine.notebooks).map(({ owner: _owner, ...nb }) => nb) };
  try { store?.setItem(KEY, JSON.stringify(kept)); } catch { /* storage full or off: the page lists less */ }
}

export function rememberRoom(room: Omit<MineRoom, 'seen'>, now = Date.now(), store: Storage | null = local()): void {
  const mine = loadMine(store);
  const old = mine.rooms.find((r) => r.code === room.code);
  mine.rooms = mine.rooms.filter((r) => r.code !== room.code);
  mine.rooms.push({ ...room, title: room.title || old?.title || '', seen: now });
  save(mine, store);
}

export function rememberNotebook(nb: Omit<MineNotebook, 'seen' | 'owner'>, now = Date.now(), store: Storage | null = local()): void {
  const mine = loadMine(store);
  const old = mine.notebooks.find((n) => n.id === nb.id);
  mine.notebooks = mine.notebooks.filter((n) => n.id !== nb.id);
  mine.notebooks.push({ id: nb.id, title: nb.title || old?.title || '', seen: now });
  save(mine, store);
}

export function forget(kind: 'room' | 'notebook', id: string, store: Storage | null = local()): void {
  const mine = loadMine(store);
  if (kind === 'room') mine.rooms = mine.rooms.filter((r) => r.code !== id);
  else mine.notebooks = mine.notebooks.filter((n) => n.id !== id);
  save(mine, store);
}

// ---------------------------------------------------------------------------------------
// The recovery link

function b64url(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The hash of the recovery link for what this browser holds. */
export function recoveryHash(mine: Mine): string {
  return `#/mine/restore/${b64url(JSON.stringify(mine))}`;
}

/** Reads a recovery link's data, or says what is wrong with it. */
export function parseRecovery(data: string): Mine | string {
  let raw: unknown;
  try { raw = JSON.parse(unb64url(data)); } catch { return 'this recovery link is damaged: copy it again from the browser you played in'; }
  return parse(raw) ?? 'this is not a reaplab recovery link';
}

/** Adds a recovery link's rooms and notebooks to this browser's (the newer entry wins); returns what was new. */
export function restoreMine(from: Mine, store: Storage | null = local()): { rooms: number; notebooks: number } {
  const mine = loadMine(store);
  let rooms = 0;
  let notebooks = 0;
  for (const r of from.rooms) {
    const had = mine.rooms.find((x) => x.code === r.code);
    if (!had) rooms++;
    if (!had || had.seen < r.seen) mine.rooms = [...mine.rooms.filter((x) => x.code !== r.code), r];
  }
  for (const n of from.notebooks) {
    const had = mine.notebooks.find((x) => x.id === n.id);
    if (!had) notebooks++;
    if (!had || had.seen < n.seen) mine.notebooks = [...mine.notebooks.filter((x) => x.id !== n.id), { ...n }];
    if (n.owner) try { store?.setItem(OWNER_KEY(n.id), n.owner); } catch { /* ignore */ }
  }
  if (from.name && !store?.getItem(NAME_KEY)) try { store?.setItem(NAME_KEY, from.name); } catch { /* ignore */ }
  mine.name = store?.getItem(NAME_KEY) ?? mine.name;
  save(mine, store);
  return { rooms, notebooks };
}
