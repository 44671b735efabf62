// In-process events other features subscribe to (the notebook writes a trace cell on
// run:finished). run:finished is emitted on the next turn of the event loop after the
// finishing step was persisted, broadcast and acknowledged, so listeners never delay a
// step; a throwing listener is logged and does not affect the game.

import { EventEmitter } from 'node:events';
import type { RunTrace } from '../protocol/events.js';

export interface AppEventMap {
  /** A run ended with an outcome; the trace is already stored (GET /api/traces/:id). */
  'run:finished': [trace: RunTrace];
}

export class AppEvents extends EventEmitter<AppEventMap> {}
