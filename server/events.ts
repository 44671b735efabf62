// In-process events: how services hear of each other without holding each other. The room
// service says what changed; the class service (teacher views), the notebooks (seats,
// trace cells) and retention subscribe in the composition root (server/app.ts).
// run:finished is emitted through the clock's defer, after the finishing step was
// persisted, broadcast and acknowledged, so listeners never delay a step; a throwing
// listener is logged and does not affect the game.

import { EventEmitter } from 'node:events';
import type { RunTrace } from '../protocol/events.js';

/** What changed in a room: its roster, host or settings ('roster'), or its game ('step': a step, undo, jump or restart). */
export interface RoomChange {
  code: string;
  classCode: string | null;
  what: 'roster' | 'step';
}

export interface AppEventMap {
  /** Sent after the room's own broadcast. */
  'room:changed': [change: RoomChange];
  /** A run ended with an outcome; the trace is already stored (GET /api/traces/:id). */
  'run:finished': [trace: RunTrace];
  /** A room, class or notebook was used (retention keeps it). */
  'used': [kind: 'room' | 'class' | 'notebook', id: string];
  /** A teacher deleted a class with these rooms (their notebooks go too). */
  'class:deleted': [code: string, rooms: string[]];
}

export class AppEvents extends EventEmitter<AppEventMap> {}
