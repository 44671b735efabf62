// The lessons the server can open rooms and classes for. The campaign is loaded once at
// start-up from lessons/ (the lesson engineer's loader validates every file); tests pass
// their own catalog. A lesson that fails to load is logged and left out, never served.

import { isScenarioError, makeScenario, type Config, type Scenario } from '../engine/index.js';
import type { Lesson } from '../lessons/schema.js';
import type { LessonListItem, LessonRef } from '../protocol/events.js';
import type { Log } from './log.js';

export type { Lesson };

export interface LessonCatalog {
  list(): readonly Lesson[];
  get(id: string): Lesson | undefined;
  /** The lesson's scenario (variant × config with overrides applied). */
  scenario(lesson: Lesson): Scenario;
}

type ScenarioOf = (lesson: Lesson) => Scenario;

/** Our own reading of a lesson's scenario, used when lessons/parse.ts offers none. */
export function defaultLessonScenario(lesson: Lesson): Scenario {
  const s = makeScenario(lesson.variant, lesson.config, (lesson.overrides ?? {}) as Partial<Config>);
  if (isScenarioError(s)) throw new Error(`lesson ${lesson.id}: ${s.message}`);
  return s;
}

export function staticCatalog(lessons: readonly Lesson[], scenarioOf: ScenarioOf = defaultLessonScenario): LessonCatalog {
  const sorted = [...lessons].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const byId = new Map(sorted.map((l) => [l.id, l]));
  const scenarios = new Map<string, Scenario>();
  return {
    list: () => sorted,
    get: (id) => byId.get(id),
    scenario(lesson) {
      let s = scenarios.get(lesson.id);
      if (!s) {
        s = scenarioOf(lesson);
        scenarios.set(lesson.id, s);
      }
      return s;
    },
  };
}

interface LoaderModule {
  loadCampaign: () => { lessons: Lesson[]; errors: unknown[] } | Promise<{ lessons: Lesson[]; errors: unknown[] }>;
}
interface ParseModule {
  lessonScenario?: (lesson: Lesson) => Scenario | { code: string; message: string };
}

/** Loads the campaign from lessons/ (load.ts, parse.ts). Missing or broken lessons leave an empty or partial catalog. */
export async function loadCampaignCatalog(log: Log): Promise<LessonCatalog> {
  // Imported by a computed path so the server also starts (and type-checks) while lessons/ is being written.
  const base = '../lessons/';
  let loader: LoaderModule;
  try {
    loader = (await import(/* @vite-ignore */ `${base}load.js`)) as LoaderModule;
  } catch (e) {
    log.warn('lessons: no campaign loader; serving no lessons', { error: String(e) });
    return staticCatalog([]);
  }
  let scenarioOf: ScenarioOf = defaultLessonScenario;
  try {
    const parse = (await import(/* @vite-ignore */ `${base}parse.js`)) as ParseModule;
    const ls = parse.lessonScenario;
    if (typeof ls === 'function') {
      scenarioOf = (lesson) => {
        const s = ls(lesson);
        if ('code' in s && !('variant' in s)) throw new Error(`lesson ${lesson.id}: ${s.message}`);
        return s as Scenario;
      };
    }
  } catch {
    // parse.ts is optional: our reading of the scenario is the same makeScenario call.
  }
  const { lessons, errors } = await loader.loadCampaign();
  for (const e of errors) log.warn('lessons: a lesson failed to load', { error: typeof e === 'string' ? e : JSON.stringify(e) });
  const usable: Lesson[] = [];
  for (const l of lessons) {
    try {
      scenarioOf(l);
      usable.push(l);
    } catch (e) {
      log.warn('lessons: bad scenario', { lesson: l.id, error: String(e) });
    }
  }
  log.info('lessons: campaign loaded', { lessons: usable.length, errors: errors.length });
  return staticCatalog(usable, scenarioOf);
}

export function lessonRef(l: Lesson): LessonRef {
  return { id: l.id, title: l.title, goal: { kind: l.goal.kind, outcome: l.goal.outcome, text: l.goal.text }, win: l.win, lose: l.lose };
}

export function lessonListItem(l: Lesson): LessonListItem {
  return { id: l.id, order: l.order, title: l.title, goal: { kind: l.goal.kind, outcome: l.goal.outcome, text: l.goal.text }, mode: l.mode };
}
