// The class report as the server serves it (GET /api/classes/:code/report.csv and .md):
// the class's stored rooms and finished runs, through the pure builder in protocol/.
import { buildClassReport, type ClassReport } from '../protocol/class-report.js';
import type { Clock } from './clock.js';
import { reachableOutcomes, type GraphCache } from './graphs.js';
import { lessonById, type LessonCatalog } from './lessons.js';
import type { AnyStore } from './store/port.js';

export interface ClassReportDeps {
  store: Pick<AnyStore, 'getClass' | 'listClassRooms' | 'listClassTraces'>;
  lessons: LessonCatalog;
  graphs: GraphCache;
  clock: Clock;
}

/** A class's report, or null when there is no such class. */
export async function classReport(d: ClassReportDeps, code: string): Promise<ClassReport | null> {
  const rec = await d.store.getClass(code);
  if (!rec) return null;
  const lesson = await lessonById(d.lessons, rec.lesson);
  return buildClassReport({
    classCode: rec.code,
    lesson: { id: rec.lesson, title: lesson?.title ?? rec.lesson },
    rooms: await d.store.listClassRooms(rec.code),
    traces: await d.store.listClassTraces(rec.code),
    reachable: lesson ? reachableOutcomes(d.graphs.get(d.lessons.scenario(lesson))) : [],
    generatedAt: new Date(d.clock.now()).toISOString(),
  });
}
