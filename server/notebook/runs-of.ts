// Which finished runs a notebook holds a trace cell of: every run of its room, of its
// class's rooms, and of each room linked to it since the link was made.

import type { RunTrace } from '../../protocol/events.js';
import type { AnyNotebookStore, AnyStore, NotebookRecord } from '../store/port.js';

/** How many of a room's latest runs a notebook catches up on when it loads. */
const ROOM_RUNS = 200;

export async function runsOf(rec: NotebookRecord, game: AnyStore, notebooks: AnyNotebookStore): Promise<RunTrace[]> {
  const runs: RunTrace[] = [];
  if (rec.kind === 'room' && rec.ref) runs.push(...(await game.listTraces(rec.ref, ROOM_RUNS)).reverse());
  else if (rec.kind === 'class' && rec.ref) runs.push(...(await game.listClassTraces(rec.ref)));
  for (const link of await notebooks.linksOfNotebook(rec.id)) {
    runs.push(...(await game.listTraces(link.room, ROOM_RUNS)).reverse().filter((t) => Date.parse(t.finishedAt) >= link.createdAt));
  }
  return runs;
}
