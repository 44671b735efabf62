// Checks a client's Yjs update against the notebook schema (protocol/notebook/doc.ts)
// BEFORE it touches the server's document: Yjs cannot roll an applied update back, so a
// rejected update must be recognised from its decoded structs alone. Cost is linear in
// the update (plus a binary search per reference into the document), never in the
// document's size.
//
// What an update may do:
//  - insert cells (Y.Map) into `cells`, each complete: id, kind, created (via editor, or
//    import for trace cells — only the server records runs) and its kind's keys;
//  - edit collaborative texts (markdown text, notes, the title): strings only;
//  - replace a mutable JSON key (an explorer cell's scenario);
//  - delete markdown and explorer cells; trace and lesson cells only with `deleteRecords`
//    (the host): the lab record is not something a player erases by accident.
// Anything else — another root type, a key outside the schema, a JSON value that fails its
// schema, a change to a recorded run — is `bad_update`. An update that refers to items
// the server has never seen is `missing_dependency` (the client resends its state).
//
// Whole or nothing: Yjs keeps what it cannot integrate yet "pending" in memory and lets it
// take effect later, when another update fills the gap — an update half-applied, never
// stored, that could plant deletes in someone else's future edits. So an update is
// accepted only if Yjs will integrate all of it at once:
//  - its structs are only under client ids the connection owns (`not_your_client`);
//  - each client's structs are one run that starts at or below the document's clock for
//    that client (no gap) and holds no GC or Skip structs (only the server collects garbage);
//  - every reference (origin, right origin, parent) is in the document or in the update,
//    and the references inside the update form no cycle;
//  - its delete set touches only items that exist — in the document, or new in this update.
// The service still checks after applying that Yjs holds nothing pending (a safety net).

import * as Y from 'yjs';
import type { NotebookErrorCode } from '../../protocol/notebook/events.js';
import { CELL_KINDS, CELL_SCHEMA, CELLS, COMMON_KEYS, JSON_KEY_SCHEMAS, META, TITLE, type CellCreated, type CellKind } from '../../protocol/notebook/doc.js';

export type UpdateVerdict =
  | { ok: true; empty: boolean }
  | { ok: false; code: RejectCode; message: string };

type RejectCode = Extract<NotebookErrorCode, 'bad_update' | 'missing_dependency' | 'not_host' | 'not_your_client'>;

export interface UpdateRights {
  /** May delete trace and lesson cells (the host). */
  deleteRecords: boolean;
  /** Whether the connection owns this Yjs client id (may create structs under it). */
  owns(client: number): boolean;
}

export const VALIDATE_LIMITS = { structs: 200_000, json: 512 * 1024 } as const;

type AnyStruct = Y.Item | Y.GC | Y.Skip;

/** Where an item sits in the schema. */
type Slot =
  | { t: 'cells' }
  | { t: 'meta'; key: string | null }
  | { t: 'cellKey'; cell: Y.Item; key: string | null }
  | { t: 'text' }
  /** Its neighbour was garbage-collected: Yjs drops such an item on integration. */
  | { t: 'gone' }
  | { t: 'missing' }
  | { t: 'bad'; why: string };

/** What kind of type a ContentType item is. */
type TypeSlot = { t: 'cell'; item: Y.Item } | { t: 'text' } | { t: 'gone' } | { t: 'missing' } | { t: 'bad'; why: string };

class Rejection extends Error {
  constructor(readonly code: RejectCode, message: string) {
    super(message);
  }
}

const bad = (why: string): never => {
  throw new Rejection('bad_update', why);
};

function jsonSize(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

export function validateUpdate(doc: Y.Doc, update: Uint8Array, rights: UpdateRights): UpdateVerdict {
  let decoded: { structs: AnyStruct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(update) as unknown as typeof decoded;
  } catch (e) {
    return { ok: false, code: 'bad_update', message: `the update does not decode (${e instanceof Error ? e.message : String(e)})` };
  }
  try {
    return new Checker(doc, decoded.structs, rights).run(decoded.ds.clients);
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'bad_update', message: `the update is malformed (${e instanceof Error ? e.message : String(e)})` };
  }
}

class Checker {
  private readonly store: { clients: Map<number, (Y.Item | Y.GC)[]> };
  /** New items by client, sorted by clock. */
  private readonly fresh = new Map<number, Y.Item[]>();
  private readonly slots = new Map<Y.Item, Slot>();
  private readonly items: Y.Item[] = [];

  constructor(private readonly doc: Y.Doc, structs: AnyStruct[], private readonly rights: UpdateRights) {
    this.store = (doc as unknown as { store: { clients: Map<number, (Y.Item | Y.GC)[]> } }).store;
    if (structs.length > VALIDATE_LIMITS.structs) bad(`the update has ${structs.length} structs; the limit is ${VALIDATE_LIMITS.structs}`);
    /** Where each client's run ends so far (decoded order): a run is contiguous, one per client. */
    const runEnd = new Map<number, number>();
    for (const s of structs) {
      const client = s.id.client;
      const end = runEnd.get(client);
      if (end !== undefined && s.id.clock !== end) bad(`client ${client}'s structs are not one contiguous run`);
      runEnd.set(client, s.id.clock + s.length);
      // Entirely known already (a resend): Yjs skips it, and so do we.
      if (s.id.clock + s.length <= this.state(client)) continue;
      if (s instanceof Y.GC) bad('the update holds garbage-collected structs; only the server collects garbage');
      if (!(s instanceof Y.Item)) throw new Rejection('missing_dependency', `the update skips clocks of client ${client}`);
      if (!rights.owns(client)) throw new Rejection('not_your_client', `the update writes under Yjs client ${client}, which this connection does not own`);
      let list = this.fresh.get(client);
      if (!list) {
        // The first new struct must continue the document's clock for its client (no gap).
        if (s.id.clock > this.state(client)) throw new Rejection('missing_dependency', `the update starts client ${client} at clock ${s.id.clock}; the server has up to ${this.state(client)}`);
        this.fresh.set(client, (list = []));
      }
      list.push(s);
      this.items.push(s);
    }
    this.checkReferences();
  }

  /**
   * Every reference of a new item is in the document or in the update, and the update's
   * items do not wait on each other in a cycle (Yjs would keep such items pending).
   */
  private checkReferences(): void {
    const deps = new Map<Y.Item, Y.Item[]>();
    for (const list of this.fresh.values()) {
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        const on: Y.Item[] = i > 0 ? [list[i - 1]!] : [];
        const parent = item.parent instanceof Y.ID ? item.parent : null;
        for (const ref of [item.origin, item.rightOrigin, parent]) {
          if (!ref) continue;
          if (ref.client === item.id.client) {
            // Yjs expects a client's own references to lie before the item.
            if (ref.clock >= item.id.clock) bad('an item refers to its own client\'s later clock');
            if (ref.clock >= this.state(ref.client) && !this.find(ref)) throw new Rejection('missing_dependency', 'the update builds on parts of the notebook the server does not have');
            continue;
          }
          const found = this.find(ref);
          if (!found) throw new Rejection('missing_dependency', 'the update builds on parts of the notebook the server does not have');
          if (found.fresh) on.push(found.s as Y.Item);
        }
        deps.set(item, on);
      }
    }
    // Depth-first search for a cycle (iterative: updates may hold many items).
    const done = new Set<Y.Item>();
    const open = new Set<Y.Item>();
    for (const root of deps.keys()) {
      if (done.has(root)) continue;
      const stack: { item: Y.Item; next: number }[] = [{ item: root, next: 0 }];
      open.add(root);
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const on = deps.get(top.item)!;
        if (top.next < on.length) {
          const d = on[top.next++]!;
          if (open.has(d)) bad('items of the update wait on each other in a cycle');
          if (!done.has(d)) {
            open.add(d);
            stack.push({ item: d, next: 0 });
          }
        } else {
          stack.pop();
          open.delete(top.item);
          done.add(top.item);
        }
      }
    }
  }

  private state(client: number): number {
    return Y.getState(this.store as never, client);
  }

  /** The struct containing id: the document's first (it is integrated), then the update's. */
  private find(id: Y.ID): { s: Y.Item | Y.GC; fresh: boolean } | null {
    if (id.clock < this.state(id.client)) {
      const structs = this.store.clients.get(id.client)!;
      return { s: structs[Y.findIndexSS(structs as never, id.clock)]!, fresh: false };
    }
    const list = this.fresh.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const it = list[mid]!;
      if (id.clock < it.id.clock) hi = mid - 1;
      else if (id.clock >= it.id.clock + it.length) lo = mid + 1;
      else return { s: it, fresh: true };
    }
    return null;
  }

  private isFresh(item: Y.Item): boolean {
    return item.id.clock + item.length > this.state(item.id.client) && !(item.parent instanceof Y.AbstractType);
  }

  private slotOf(item: Y.Item, depth = 0): Slot {
    const known = this.slots.get(item);
    if (known) return known;
    if (depth > 10_000) bad('an item chain is too deep');
    let slot: Slot;
    const parent = item.parent as unknown;
    if (parent instanceof Y.AbstractType) {
      // Integrated: the parent is a live type.
      const owner = parent._item;
      if (owner === null) {
        const name = Y.findRootTypeKey(parent);
        slot = name === CELLS ? { t: 'cells' } : name === META ? { t: 'meta', key: item.parentSub } : { t: 'bad', why: `root type "${name}"` };
      } else slot = this.keyedSlot(this.typeOf(owner, depth + 1), item.parentSub);
    } else if (typeof parent === 'string') {
      slot = parent === CELLS ? { t: 'cells' } : parent === META ? { t: 'meta', key: item.parentSub } : { t: 'bad', why: `the notebook has no root type "${parent.slice(0, 40)}"` };
    } else if (parent instanceof Y.ID) {
      const p = this.find(parent);
      if (!p) slot = { t: 'missing' };
      else if (!(p.s instanceof Y.Item)) slot = { t: 'gone' };
      else slot = this.keyedSlot(this.typeOf(p.s, depth + 1), item.parentSub);
    } else {
      // No parent written: it is the parent of the neighbour this item was inserted next to.
      const ref = item.origin ?? item.rightOrigin;
      if (!ref) bad('an item has neither a parent nor a neighbour');
      const n = this.find(ref!);
      if (!n) slot = { t: 'missing' };
      else if (!(n.s instanceof Y.Item)) slot = { t: 'gone' };
      else slot = this.slotOf(n.s, depth + 1);
    }
    this.slots.set(item, slot);
    return slot;
  }

  private keyedSlot(type: TypeSlot, key: string | null): Slot {
    switch (type.t) {
      case 'cell': return { t: 'cellKey', cell: type.item, key };
      case 'text': return key === null ? { t: 'text' } : { t: 'bad', why: 'a keyed item inside a text' };
      default: return type;
    }
  }

  private typeOf(item: Y.Item, depth: number): TypeSlot {
    const c = item.content;
    if (!(c instanceof Y.ContentType)) return item.deleted || c instanceof Y.ContentDeleted ? { t: 'gone' } : { t: 'bad', why: 'an item nested in a value that is not a type' };
    const slot = this.slotOf(item, depth);
    const type = c.type;
    switch (slot.t) {
      case 'cells':
        return type instanceof Y.Map ? { t: 'cell', item } : { t: 'bad', why: 'a cell that is not a map' };
      case 'meta':
        return slot.key === TITLE && type instanceof Y.Text ? { t: 'text' } : { t: 'bad', why: `meta key "${String(slot.key).slice(0, 40)}"` };
      case 'cellKey': {
        const kind = this.kindOf(slot.cell);
        const want = kind && slot.key ? CELL_SCHEMA[kind].keys[slot.key] : undefined;
        return want === 'text' && type instanceof Y.Text ? { t: 'text' } : { t: 'bad', why: `a ${kind ?? 'malformed'} cell's "${String(slot.key).slice(0, 40)}" is not a text` };
      }
      case 'text':
        return { t: 'bad', why: 'a type inside a text' };
      default:
        return slot;
    }
  }

  private readonly kinds = new Map<Y.Item, CellKind | null>();
  private freshKinds: Map<string, unknown> | null = null;

  /** A cell's kind: from the document for an integrated cell, from the update for a new one. */
  private kindOf(cell: Y.Item): CellKind | null {
    if (this.kinds.has(cell)) return this.kinds.get(cell)!;
    let kind: unknown = null;
    const c = cell.content;
    if (c instanceof Y.ContentType && cell.parent instanceof Y.AbstractType) {
      kind = (c.type as Y.Map<unknown>).get('kind');
    } else {
      if (!this.freshKinds) {
        this.freshKinds = new Map();
        for (const it of this.items) {
          if (it.parentSub === 'kind' && it.parent instanceof Y.ID && it.content instanceof Y.ContentAny) this.freshKinds.set(`${it.parent.client}:${it.parent.clock}`, it.content.arr[0]);
        }
      }
      kind = this.freshKinds.get(`${cell.id.client}:${cell.id.clock}`) ?? null;
    }
    const k = (CELL_KINDS as readonly unknown[]).includes(kind) ? (kind as CellKind) : null;
    this.kinds.set(cell, k);
    return k;
  }

  run(ds: Map<number, { clock: number; len: number }[]>): UpdateVerdict {
    const newCells = new Map<Y.Item, Set<string>>();
    const createdOf = new Map<Y.Item, CellCreated>();
    for (const item of this.items) {
      const slot = this.slotOf(item);
      const content = item.content;
      const deleted = content instanceof Y.ContentDeleted;
      switch (slot.t) {
        case 'missing':
          throw new Rejection('missing_dependency', 'the update builds on parts of the notebook the server does not have');
        case 'bad':
          bad(`the update touches something outside the notebook schema: ${slot.why}`);
          break;
        case 'gone':
          break;
        case 'cells':
          if (!deleted && !(content instanceof Y.ContentType && content.type instanceof Y.Map)) bad('a cell must be a map');
          if (!deleted && this.isFresh(item)) newCells.set(item, new Set());
          break;
        case 'meta':
          if (slot.key !== TITLE || !(deleted || (content instanceof Y.ContentType && content.type instanceof Y.Text))) bad(`the notebook meta has no "${String(slot.key).slice(0, 40)}"`);
          break;
        case 'text':
          if (!(deleted || content instanceof Y.ContentString || content instanceof Y.ContentFormat)) bad('a text holds only characters');
          break;
        case 'cellKey': {
          const key = slot.key;
          if (key === null) bad('a cell holds only keyed values');
          const cellIsNew = this.isFresh(slot.cell);
          const kind = this.kindOf(slot.cell);
          if (!kind) bad('a cell without a valid kind');
          const common = (COMMON_KEYS as readonly string[]).includes(key!);
          const want = common ? 'json' : CELL_SCHEMA[kind!].keys[key!];
          if (!want) bad(`a ${kind} cell has no "${key!.slice(0, 40)}"`);
          if (!cellIsNew && !(want === 'json' && CELL_SCHEMA[kind!].mutable.includes(key!))) {
            bad(kind === 'trace' ? 'a recorded run cannot be changed; annotate it in its notes' : `the ${kind} cell's "${key}" cannot be changed`);
          }
          if (!deleted) {
            if (want === 'json') {
              if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) bad(`"${key}" must be one JSON value`);
              const value = (content as Y.ContentAny).arr[0];
              if (jsonSize(value) > VALIDATE_LIMITS.json) bad(`"${key}" is larger than ${VALIDATE_LIMITS.json} characters`);
              const r = JSON_KEY_SCHEMAS[key!]!.safeParse(value);
              if (!r.success) bad(`"${key}" is not valid: ${r.error.issues.slice(0, 2).map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
              if (key === 'kind' && value !== kind) bad('a cell has one kind');
              if (key === 'created') createdOf.set(slot.cell, value as CellCreated);
            } else if (!(content instanceof Y.ContentType && content.type instanceof Y.Text)) bad(`"${key}" must be a text`);
          }
          if (cellIsNew) {
            if (!newCells.has(slot.cell)) newCells.set(slot.cell, new Set());
            newCells.get(slot.cell)!.add(key!);
          }
          break;
        }
      }
    }
    // Every new cell is complete, and says honestly where it came from.
    for (const [cell, keys] of newCells) {
      if (cell.content instanceof Y.ContentDeleted) continue;
      const kind = this.kindOf(cell);
      if (!kind) bad('a new cell needs a kind');
      const need = [...COMMON_KEYS, ...Object.keys(CELL_SCHEMA[kind!].keys)];
      const missing = need.filter((k) => !keys.has(k));
      if (missing.length) bad(`a new ${kind} cell lacks ${missing.join(', ')}`);
      const created = createdOf.get(cell);
      if (!created || created.via === 'server') bad('only the server writes cells "via server"');
      if (kind === 'trace' && created!.via !== 'import') bad('only the server records runs; a trace cell from a client must be an import');
    }
    this.checkDeletes(ds);
    const empty = this.items.length === 0 && ds.size === 0;
    return { ok: true, empty };
  }

  private checkDeletes(ds: Map<number, { clock: number; len: number }[]>): void {
    const cellDeletes = new Set<Y.Item>();
    const keyDeletes: { cell: Y.Item; key: string | null }[] = [];
    for (const [client, ranges] of ds) {
      const structs = this.store.clients.get(client) ?? [];
      const state = this.state(client);
      const fresh = this.fresh.get(client) ?? [];
      const freshEnd = fresh.length ? fresh[fresh.length - 1]!.id.clock + fresh[fresh.length - 1]!.length : 0;
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (len <= 0) continue;
        if (end > Math.max(state, freshEnd)) throw new Rejection('missing_dependency', 'the update deletes parts of the notebook the server does not have');
        if (clock >= state) continue; // only items of this same update: checked as insertions
        for (let i = Y.findIndexSS(structs as never, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
          const s = structs[i]!;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          const slot = this.slotOf(s);
          switch (slot.t) {
            case 'cells': {
              const kind = this.kindOf(s);
              if ((kind === 'trace' || kind === 'lesson') && !this.rights.deleteRecords) {
                throw new Rejection('not_host', `only the host can delete a ${kind === 'trace' ? 'recorded run' : 'lesson'}`);
              }
              cellDeletes.add(s);
              break;
            }
            case 'cellKey':
              keyDeletes.push({ cell: slot.cell, key: slot.key });
              break;
            case 'text':
            case 'gone':
              break;
            default:
              bad('the update deletes something the notebook keeps');
          }
        }
      }
    }
    for (const k of keyDeletes) {
      if (cellDeletes.has(k.cell)) continue;
      const kind = this.kindOf(k.cell);
      if (kind && k.key && CELL_SCHEMA[kind].mutable.includes(k.key)) continue;
      bad(kind === 'trace' ? 'a recorded run cannot be changed; annotate it in its notes' : `the ${kind ?? 'malformed'} cell's "${String(k.key)}" cannot be removed`);
    }
  }
}
