// Wires notebooks into the game server: the NotebookService on the store's notebook part,
// the /notebook namespace, and the game's run:finished hook (every finished run becomes a
// trace cell). createApp calls attachNotebooks once.

import type { ClassService } from '../classes.js';
import type { Clock } from '../clock.js';
import type { AppEvents } from '../events.js';
import type { LessonCatalog } from '../lessons.js';
import type { Log } from '../log.js';
import type { RateLimit } from '../rate-limit.js';
import type { RoomService } from '../rooms.js';
import type { Store } from '../store/port.js';
import { NotebookService, type NotebookServiceOptions } from './service.js';
import { attachNotebookSockets, notebookRelay, type NotebookNamespace } from './socket.js';

export { NotebookService } from './service.js';

export interface NotebookDeps {
  /** The game's socket.io server (notebooks take the /notebook namespace). */
  io: { of(name: string): unknown };
  /** The store; notebooks keep their logs in its notebook part. */
  store: Store;
  events: AppEvents;
  rooms: RoomService;
  classes: ClassService;
  lessons: LessonCatalog;
  clock: Clock;
  log: Log;
  rateLimit?: RateLimit;
  tuning?: Pick<NotebookServiceOptions, 'compactUpdates' | 'compactBytes' | 'idleUnloadMs'>;
  /** Marks a notebook used (retention). */
  touch?: (id: string) => void;
}

export interface Notebooks {
  service: NotebookService;
  nsp: NotebookNamespace;
  stop(): Promise<void>;
}

export function attachNotebooks(d: NotebookDeps): Notebooks {
  let nsp: NotebookNamespace | null = null;
  const service = new NotebookService({
    store: d.store.notebooks,
    game: d.store,
    rooms: d.rooms,
    classes: d.classes,
    lessons: d.lessons,
    clock: d.clock,
    log: d.log,
    relay: notebookRelay(() => nsp!),
    ...d.tuning,
  });
  nsp = attachNotebookSockets(d.io, { service, clock: d.clock, log: d.log, ...(d.rateLimit ? { rateLimit: d.rateLimit } : {}), ...(d.touch ? { touch: d.touch } : {}) });
  // Off the game's path: the step's ack does not wait for notebooks. A crash in between is
  // healed when the notebook next loads (it records the runs it missed).
  d.events.on('run:finished', (trace) => { d.clock.setTimeout(() => service.recordRun(trace), 0); });
  return { service, nsp, stop: () => service.stop() };
}
