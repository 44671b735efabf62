// The lessons the server can open rooms and classes for. The campaign is loaded once at
// start-up from lessons/campaign (lessons/load.ts validates every file); tests pass their
// own catalog. A lesson that fails to load is logged and left out, never served.

import type { BotGoals, Scenario } from '../engine/index.js';
import { loadCampaign } from '../lessons/load.js';
import { formatLessonError, lessonBotGoals, lessonScenario } from '../lessons/parse.js';
import { presentLesson } from '../lessons/present.js';
import type { Lesson } from '../lessons/schema.js';
import type { LessonListItem, LessonRef } from '../protocol/events.js';
import type { Log } from './log.js';

export type { Lesson };

export interface LessonCatalog {
  list(): readonly Lesson[];
  /** A lesson in memory (a stored one once `load` has read it). */
  get(id: string): Lesson | undefined;
  /** Reads a lesson kept in the store (written in the browser) as it is now, and keeps it for `get`. */
  load?(id: string): Promise<Lesson | undefined>;
  /** The lesson's scenario (variant × config with overrides applied). */
  scenario(lesson: Lesson): Scenario;
}

/** The lesson as it is now: read from the store when the catalog keeps lessons there. */
export function lessonById(lessons: LessonCatalog, id: string): Promise<Lesson | undefined> | Lesson | undefined {
  return lessons.load ? lessons.load(id) : lessons.get(id);
}

/** A catalog over a fixed list of lessons (tests build their own), as players read them (step references in words). */
export function staticCatalog(lessons: readonly Lesson[]): LessonCatalog {
  const sorted = lessons.map(presentLesson).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const byId = new Map(sorted.map((l) => [l.id, l]));
  const scenarios = new Map<string, Scenario>();
  return {
    list: () => sorted,
    get: (id) => byId.get(id),
    scenario(lesson) {
      let s = scenarios.get(lesson.id);
      if (!s) {
        s = lessonScenario(lesson);
        scenarios.set(lesson.id, s);
      }
      return s;
    },
  };
}

/** Loads the campaign from lessons/campaign. A lesson that fails to load is logged and left out. */
export function loadCampaignCatalog(log: Log, dir?: string): LessonCatalog {
  const { lessons, errors } = loadCampaign(dir);
  for (const e of errors) log.warn('lessons: a lesson failed to load', { error: formatLessonError(e) });
  const usable: Lesson[] = [];
  for (const l of lessons) {
    try {
      lessonScenario(l);
      usable.push(l);
    } catch (e) {
      log.warn('lessons: bad scenario', { lesson: l.id, error: String(e) });
    }
  }
  log.info('lessons: campaign loaded', { lessons: usable.length, errors: errors.length });
  return staticCatalog(usable);
}

/** What the bots of a room play for: the lesson's goals, or "find an oops, avoid everything bad" outside lessons. */
export function botGoals(lesson: Lesson | null): BotGoals {
  return lesson ? lessonBotGoals(lesson) : { target: 'oops', avoid: ['oops', 'lockup', 'panic', 'needless_kill'] };
}

export function lessonRef(l: Lesson): LessonRef {
  return { id: l.id, title: l.title, goal: { kind: l.goal.kind, outcome: l.goal.outcome, text: l.goal.text }, win: l.win, lose: l.lose };
}

export function lessonListItem(l: Lesson): LessonListItem {
  return { id: l.id, order: l.order, title: l.title, goal: { kind: l.goal.kind, outcome: l.goal.outcome, text: l.goal.text }, mode: lessonMode(l), solo: l.roles.solo };
}

/**
 * The mode a solo learner's room starts in: race when the solo seat is an actor (the
 * learner steps it, the lesson's bots step the others), else scheduler (the learner picks every step).
 */
export function lessonMode(l: Lesson): LessonListItem['mode'] {
  return l.roles.solo === 'scheduler' ? 'scheduler' : 'race';
}
