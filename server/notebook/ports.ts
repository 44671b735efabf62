// What a notebook needs from the game, and nothing more: like a sync server's
// authentication and load hooks. The composition root implements these ports with the
// room and class services (server/notebook-ports.ts); the notebook never holds either.

import type { Scenario } from '../../engine/index.js';
import type { Mode } from '../../protocol/events.js';
import type { NotebookCredential, NotebookSeat } from '../../protocol/notebook/events.js';
import type { Lesson } from '../lessons.js';

export interface GamePorts {
  /**
   * The seat a credential proves in the notebook of a room or a class, as the room and the
   * class are now; null when it proves none (its holder is a visitor).
   */
  seatOf(notebook: { kind: 'room' | 'class'; ref: string }, credential: NotebookCredential): Promise<NotebookSeat | null>;
  /** Opens a room for a lesson (or a scenario) with `host` as its creator: the room's code and the host's token. */
  openRoom(args: { lesson: Lesson | null; scenario: Scenario; mode?: Mode | undefined; host: string }): Promise<{ code: string; token: string }>;
}
