// Retention: rooms, classes and notebooks nobody has used for `unusedForMs` (default 180
// days) are removed with what belongs to them by a job that runs every `everyMs` (default
// one hour) on the injected clock. "Used" is someone acting in or opening it (touch();
// written at most once a minute per thing, so a busy room does not write on every step).
// A room or notebook that is in memory is in use and never removed; a class's rooms go
// with the class, never on their own. A teacher may also delete a class at once.
import type { Clock, Timer } from './clock.js';
import type { Log } from './log.js';
import type { AnyStore, RetentionKind } from './store/port.js';

const DAY = 24 * 3600_000;
export const DEFAULT_UNUSED_FOR_MS = 180 * DAY;
export const DEFAULT_SWEEP_EVERY_MS = 3600_000;
/** A touch is written at most this often per thing. */
export const TOUCH_EVERY_MS = 60_000;
/** At most this many of each kind are removed per sweep (the next sweep takes the rest). */
const BATCH = 200;

export interface RetentionOptions {
  store: Pick<AnyStore, 'retention' | 'loadRoom' | 'getClass' | 'listClassRooms'>;
  clock: Clock;
  log: Log;
  /** Whether a room or notebook is in memory now (then it is in use). */
  inUse: { room(code: string): boolean; notebook(id: string): boolean };
  /** Called after a room or notebook was removed from the store (drop what memory holds of it). */
  removed?: (kind: RetentionKind, id: string) => void;
  unusedForMs?: number;
  /** 0: no scheduled sweeps (sweep() may still be called). */
  everyMs?: number;
}

export interface Swept {
  rooms: string[];
  classes: string[];
  notebooks: string[];
}

export class Retention {
  private readonly lastTouch = new Map<string, number>();
  private timer: Timer | null = null;
  private sweeping = false;
  private sweepAgain = false;
  readonly unusedForMs: number;
  readonly everyMs: number;

  constructor(private readonly o: RetentionOptions) {
    this.unusedForMs = o.unusedForMs ?? DEFAULT_UNUSED_FOR_MS;
    this.everyMs = o.everyMs ?? DEFAULT_SWEEP_EVERY_MS;
  }

  touch(kind: RetentionKind, id: string): void {
    const now = this.o.clock.now();
    const key = `${kind}:${id}`;
    if (now - (this.lastTouch.get(key) ?? -Infinity) < TOUCH_EVERY_MS) return;
    this.lastTouch.set(key, now);
    if (this.lastTouch.size > 50_000) this.lastTouch.clear();
    // Off the request's path: a touch that cannot be written is tried again a minute later.
    void Promise.resolve().then(() => this.o.store.retention.touch(kind, id, now)).catch((e: unknown) => {
      this.lastTouch.delete(key);
      this.o.log.warn('retention: could not record a use', { kind, id, error: String(e) });
    });
  }

  /** Removes what has gone unused; returns what it removed. */
  async sweep(): Promise<Swept> {
    const before = this.o.clock.now() - this.unusedForMs;
    const r = this.o.store.retention;
    const out: Swept = { rooms: [], classes: [], notebooks: [] };
    for (const code of await r.unused('class', before, BATCH)) {
      const rooms = await this.o.store.listClassRooms(code);
      // A class whose room is still used is still used.
      if (await someAsync(rooms, async (room) => this.o.inUse.room(room) || ((await r.usedAt('room', room)) ?? 0) >= before)) continue;
      for (const room of await r.deleteClass(code)) {
        this.o.removed?.('room', room);
        this.lastTouch.delete(`room:${room}`);
      }
      this.o.removed?.('class', code);
      this.lastTouch.delete(`class:${code}`);
      out.classes.push(code);
    }
    for (const code of await r.unused('room', before, BATCH)) {
      if (this.o.inUse.room(code)) continue;
      const cls = (await this.o.store.loadRoom(code))?.room.classCode ?? null;
      if (cls !== null && (await this.o.store.getClass(cls))) continue;
      await r.deleteRoom(code);
      this.o.removed?.('room', code);
      this.lastTouch.delete(`room:${code}`);
      out.rooms.push(code);
    }
    for (const id of await r.unused('notebook', before, BATCH)) {
      if (this.o.inUse.notebook(id)) continue;
      await r.deleteNotebook(id);
      this.o.removed?.('notebook', id);
      this.lastTouch.delete(`notebook:${id}`);
      out.notebooks.push(id);
    }
    if (out.rooms.length + out.classes.length + out.notebooks.length > 0) {
      this.o.log.info('retention: removed what went unused', { rooms: out.rooms.length, classes: out.classes.length, notebooks: out.notebooks.length, unusedForDays: this.unusedForMs / DAY });
    }
    return out;
  }

  start(): void {
    if (this.everyMs <= 0 || this.timer) return;
    const next = () => {
      this.timer = this.o.clock.setTimeout(() => {
        next();
        this.sweepInTurn();
      }, this.everyMs);
    };
    next();
  }

  /** One sweep at a time: one due while another runs (a slow database) follows it once. */
  private sweepInTurn(): void {
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    void this.sweep().catch((e: unknown) => {
      this.o.log.error('retention: sweep failed', { error: String(e) });
    }).finally(() => {
      this.sweeping = false;
      if (this.sweepAgain && this.timer) {
        this.sweepAgain = false;
        this.sweepInTurn();
      }
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

/** Whether `test` holds for some item, asking one item after another. */
async function someAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<boolean> {
  for (const x of items) if (await test(x)) return true;
  return false;
}
