// The lessons' public surface for the server and the client. Pure: no fs (the Node-only
// loader is lessons/load.ts).

export * from './schema.js';
export {
  parseLesson, formatLessonError, lessonScenario, lessonBotGoals, lessonBots, configOverrides, variantStepNames, pathText,
  type LessonError, type ParseResult, type Position,
} from './parse.js';
export { verifyLesson, type LessonVerdict, type OutcomeCheck, type VerifyOptions } from './verify.js';
export { KNOWN_SOURCES, isKnownSource, type KnownSource } from './known-sources.js';
