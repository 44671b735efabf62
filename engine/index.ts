// The engine's public surface: a pure, deterministic model of the OOM reaper / exit_mmap
// handover. Everything here runs unchanged on the server, in the browser and in the bots.

export * from './types.js';
export { CONFIGS, CONFIG_DEFAULTS, validateConfig, scaledConfig, scaledActors, isConfigId, LIMITS } from './configs.js';
export { VARIANTS, variantPrograms, isVariantId, type VariantSource, type CompiledVariant } from './variants/index.js';
export type { Program, CompiledStep } from './program.js';
export { initialState, cloneState, held, totalPages } from './state.js';
export { enabledActions, step, checkAction, legalActions, actorIds } from './step.js';
export { encode, decode, fingerprint, encodedWidth } from './encode.js';
export { canonicalFingerprint } from './symmetry.js';
export { explore, type ExploreResult, type FinalState, type OutcomeReach, type ExploreOptions, type ExploreProgress } from './explorer.js';
export { replay, stateAt, type ReplayResult, type ReplayFrame } from './replay.js';
export { makeScenario, isScenarioError, referenceScenarios, type ScenarioError } from './scenario.js';
export { buildGraph, buildGraphParts, graphArrays, graphFromParts, refereeView, successor, type GraphParts, type StateGraph, type RefereeView } from './graph.js';
export { nextBotMove, decideBotMove, botMoveChoices, BOT_KINDS, type BotKind, type BotGoals, type BotTurn, type BotChoices } from './bots.js';
export { exploreSoloGame, soloMoves, matchesStep, type StepRef, type SoloGoal, type SoloGameOptions, type SoloGameResult, type SoloRun } from './solo-game.js';
export { nextRandom, randomStream } from './prng.js';
export { count } from './words.js';
