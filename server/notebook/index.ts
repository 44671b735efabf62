// Wires notebooks into the game server: the NotebookService on the store's notebook part,
// the game's two ports (ports.ts), the /notebook namespace, and the events it listens to:
// run:finished (every finished run becomes a trace cell), room:changed (seats follow the
// room), class:deleted (the class's notebooks go). createApp calls attachNotebooks once.

import type { Clock } from '../clock.js';
import { admitCreation, type Admission } from '../room-admission.js';
import type { AppEvents } from '../events.js';
import type { LessonCatalog } from '../lessons.js';
import type { Log } from '../log.js';
import type { RateLimit } from '../rate-limit.js';
import type { AnyStore } from '../store/port.js';
import type { GamePorts } from './ports.js';
import { HomedNotebookService } from './homed.js';
import type { NotebookServiceOptions } from './service.js';
import { notebookOps, type NotebookCall } from './ops.js';
import type { NbResult } from './relay.js';
import { attachNotebookSockets, notebookRelay, type NotebookEdge, type NotebookNamespace, type NotebookRoute } from './socket.js';

export { NotebookService } from './service.js';

export interface NotebookDeps {
  /** The game's socket.io server (notebooks take the /notebook namespace). */
  io: { of(name: string): unknown };
  /** The store; notebooks keep their logs in its notebook part. */
  store: AnyStore;
  events: AppEvents;
  /** What notebooks ask of the game (a credential's seat, a room for a lesson). */
  game: GamePorts;
  lessons: LessonCatalog;
  clock: Clock;
  log: Log;
  rateLimit?: RateLimit;
  tuning?: Pick<NotebookServiceOptions, 'compactUpdates' | 'compactBytes' | 'idleUnloadMs'>;
  /** What creating a notebook or a room from one must pass (limits per connection and address, the scenario's graph). */
  admission?: Admission;
  /** Where a notebook's requests run (cluster mode: its home's owner); default: here. */
  route?: (serve: (call: NotebookCall) => Promise<NbResult<unknown>>) => NotebookRoute;
}

export interface Notebooks {
  service: HomedNotebookService;
  nsp: NotebookNamespace;
  /** Runs a notebook request here (the notebook's home is this node's). */
  serve: (call: NotebookCall) => Promise<NbResult<unknown>>;
  edge: NotebookEdge;
  stop(): Promise<void>;
}

export function attachNotebooks(d: NotebookDeps): Notebooks {
  let nsp: NotebookNamespace | null = null;
  const service = new HomedNotebookService({
    store: d.store.notebooks,
    game: d.store,
    ports: d.game,
    lessons: d.lessons,
    clock: d.clock,
    log: d.log,
    relay: notebookRelay(() => nsp!),
    ...d.tuning,
    ...(d.admission ? { mayCreate: (socketId: string) => admitFrom(d.admission!, 'notebook', socketId) } : {}),
  });
  const serve = notebookOps(service, () => nsp!);
  const route: NotebookRoute = d.route ? d.route(serve) : { notebookHome: async (id) => id, run: (_home, call) => serve(call) };
  const attached = attachNotebookSockets(d.io, {
    route, clock: d.clock, log: d.log, ...(d.admission ? { admission: d.admission } : {}), touch: (id) => d.events.emit('used', 'notebook', id), ...(d.rateLimit ? { rateLimit: d.rateLimit } : {}),
  });
  // Off the game's path: the step's ack does not wait for notebooks. A crash in between is
  // healed when the notebook next loads (it records the runs it missed).
  d.events.on('run:finished', (trace) => d.clock.defer(() => void service.recordRun(trace)));
  // A roster or host change moves notebook seats (a released player stops editing at once).
  d.events.on('room:changed', (c) => {
    if (c.what === 'roster') service.roomChanged(c.code, c.classCode).catch((e: unknown) => d.log.error('notebook: seats could not follow the room', { room: c.code, error: String(e) }));
  });
  // A deleted class takes its notebooks along (one still open somewhere goes when retention finds it unused).
  d.events.on('class:deleted', (code, rooms) => {
    for (const id of [`class-${code}`, ...rooms.map((r) => `room-${r}`)]) {
      if (service.isLive(id)) continue;
      Promise.resolve(d.store.retention.deleteNotebook(id)).catch((e: unknown) => d.log.error('notebook: could not remove a deleted class\'s notebook', { notebook: id, error: String(e) }));
    }
  });
  /** A creation by the notebook connection `socketId`, counted under the address of its handshake. */
  const admitFrom = (a: Admission, kind: 'notebook', socketId: string): string | null => {
    const socket = nsp?.sockets.get(socketId);
    if (!socket) return null;
    const r = admitCreation(a, kind, socket);
    return r.ok ? null : r.error.message;
  };
  nsp = attached.nsp;
  return { service, nsp, serve, edge: attached.edge, stop: () => service.stop() };
}
