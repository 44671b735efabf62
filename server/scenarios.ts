// The one place a request's "lesson or scenario" becomes a lesson and a scenario: a room
// created from the first screen and a room opened from a notebook resolve it the same way.

import { isScenarioError, makeScenario, type Config, type Scenario } from '../engine/index.js';
import type { Lesson } from '../lessons/schema.js';
import type { ScenarioOverrides } from '../protocol/events.js';
import { lessonById, type LessonCatalog } from './lessons.js';

export interface ScenarioChoice {
  lesson?: string | undefined;
  scenario?: { variant: Scenario['variant']; config: Scenario['config']['id']; overrides?: ScenarioOverrides | undefined } | undefined;
}

export type Resolved = { ok: true; lesson: Lesson | null; scenario: Scenario } | { ok: false; code: 'unknown_lesson' | 'bad_scenario' | 'bad_request'; message: string };

export async function resolveScenario(lessons: LessonCatalog, p: ScenarioChoice): Promise<Resolved> {
  if (p.lesson !== undefined) {
    const lesson = (await lessonById(lessons, p.lesson)) ?? null;
    if (!lesson) return { ok: false, code: 'unknown_lesson', message: `no lesson "${p.lesson}"; GET /api/lessons lists them` };
    return { ok: true, lesson, scenario: lessons.scenario(lesson) };
  }
  if (!p.scenario) return { ok: false, code: 'bad_request', message: 'give exactly one of lesson or scenario' };
  const sc = makeScenario(p.scenario.variant, p.scenario.config, (p.scenario.overrides ?? {}) as Partial<Config>);
  if (isScenarioError(sc)) return { ok: false, code: 'bad_scenario', message: sc.message };
  return { ok: true, lesson: null, scenario: sc };
}
