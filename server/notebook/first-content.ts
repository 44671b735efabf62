// What a notebook holds when the server creates it: a title, and for a room's or a class's
// notebook the lesson and an explorer cell on its scenario. A free notebook gets an owner
// token (its creator is its host).

import * as Y from 'yjs';
import type { Scenario } from '../../engine/index.js';
import { explorerScenarioOf, insertCells, lessonRecord, setTitle, type CellCreated, type CellSpec } from '../../protocol/notebook/doc.js';
import type { NotebookKind } from '../../protocol/notebook/events.js';
import type { Clock } from '../clock.js';
import { newToken } from '../ids.js';
import { lessonById, type LessonCatalog } from '../lessons.js';
import type { AnyStore } from '../store/port.js';

export interface FirstContentDeps {
  /** The game's store: the room's or the class's lesson and scenario. */
  game: AnyStore;
  lessons: LessonCatalog;
  clock: Clock;
}

/** The first content of a new notebook, or null when its room or class does not exist. */
export async function firstContent(kind: NotebookKind, ref: string | null, d: FirstContentDeps, origin: string): Promise<{ doc: Y.Doc; ownerToken?: string } | null> {
  const doc = new Y.Doc();
  const created: CellCreated = { by: origin, at: new Date(d.clock.now()).toISOString(), via: 'server' };
  if (kind === 'free') {
    setTitle(doc, 'Untitled notebook', origin);
    return { doc, ownerToken: newToken() };
  }
  if (kind === 'room') {
    const room = (await d.game.loadRoom(ref!))?.room;
    if (!room) return null;
    const lesson = room.lesson ? ((await lessonById(d.lessons, room.lesson)) ?? null) : null;
    setTitle(doc, `Room ${ref}${lesson ? ` — ${lesson.title}` : ` — ${room.scenario.variant} × ${room.scenario.config.id}`}`, origin);
    seed(doc, lesson ? { lesson, scenario: room.scenario } : null, room.scenario, created, origin);
    return { doc };
  }
  const cls = await d.game.getClass(ref!);
  if (!cls) return null;
  const lesson = await lessonById(d.lessons, cls.lesson);
  const scenario = lesson ? d.lessons.scenario(lesson) : null;
  setTitle(doc, `Class ${ref}${lesson ? ` — ${lesson.title}` : ''}`, origin);
  if (lesson && scenario) seed(doc, { lesson, scenario }, scenario, created, origin);
  return { doc };
}

function seed(doc: Y.Doc, lesson: { lesson: Parameters<typeof lessonRecord>[0]; scenario: Scenario } | null, scenario: Scenario, created: CellCreated, origin: string): void {
  const specs: { spec: CellSpec; created: CellCreated }[] = [];
  if (lesson) specs.push({ spec: { kind: 'lesson', lesson: lessonRecord(lesson.lesson, lesson.scenario) }, created });
  specs.push({ spec: { kind: 'explorer', scenario: explorerScenarioOf(scenario), notes: 'Which outcomes can this scenario reach, and which have we found so far?' }, created });
  insertCells(doc, specs, undefined, origin);
}
