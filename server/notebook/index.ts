// Wires notebooks into the game server: a NotebookStore on the game's SQLite connection,
// the NotebookService, the /notebook namespace, and the game's run:finished hook (every
// finished run becomes a trace cell). createApp calls attachNotebooks once.

import type Database from 'better-sqlite3';
import type { ClassService } from '../classes.js';
import type { Clock } from '../clock.js';
import type { AppEvents } from '../events.js';
import type { LessonCatalog } from '../lessons.js';
import type { Log } from '../log.js';
import type { RateLimit } from '../rate-limit.js';
import type { RoomService } from '../rooms.js';
import type { Store } from '../store.js';
import { NotebookService, type NotebookServiceOptions } from './service.js';
import { attachNotebookSockets, notebookRelay, type NotebookNamespace } from './socket.js';
import { NotebookStore } from './store.js';

export { NotebookService } from './service.js';
export { NotebookStore } from './store.js';

export interface NotebookDeps {
  /** The game's socket.io server (notebooks take the /notebook namespace). */
  io: { of(name: string): unknown };
  /** The game's store; notebooks share its SQLite connection (it must expose `db`). */
  store: Store;
  events: AppEvents;
  rooms: RoomService;
  classes: ClassService;
  lessons: LessonCatalog;
  clock: Clock;
  log: Log;
  rateLimit?: RateLimit;
  tuning?: Pick<NotebookServiceOptions, 'compactUpdates' | 'compactBytes' | 'idleUnloadMs'>;
}

export interface Notebooks {
  service: NotebookService;
  nsp: NotebookNamespace;
  stop(): Promise<void>;
}

/** Attaches notebooks, or returns null when the store has no SQLite connection to share. */
export function attachNotebooks(d: NotebookDeps): Notebooks | null {
  const db = (d.store as { db?: Database.Database }).db;
  if (!db) {
    d.log.warn('notebooks: the store has no SQLite connection; notebooks are off');
    return null;
  }
  let nsp: NotebookNamespace | null = null;
  const service = new NotebookService({
    store: new NotebookStore(db),
    game: d.store,
    rooms: d.rooms,
    classes: d.classes,
    lessons: d.lessons,
    clock: d.clock,
    log: d.log,
    relay: notebookRelay(() => nsp!),
    ...d.tuning,
  });
  nsp = attachNotebookSockets(d.io, { service, clock: d.clock, log: d.log, ...(d.rateLimit ? { rateLimit: d.rateLimit } : {}) });
  // Off the game's path: the step's ack does not wait for notebooks. A crash in between is
  // healed when the notebook next loads (it records the runs it missed).
  d.events.on('run:finished', (trace) => { d.clock.setTimeout(() => service.recordRun(trace), 0); });
  return { service, nsp, stop: () => service.stop() };
}
