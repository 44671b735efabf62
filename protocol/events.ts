// The reaplab wire contract, shared by the server, the browser client and the headless
// player. Types only (plus a few `as const` lists): no runtime dependencies beyond the
// engine's types.
//
// Protocol, in one paragraph: a client connects with socket.io, then creates or joins a
// room (`room:create` / `room:join`, both carrying PROTOCOL_VERSION). Every client→server
// event takes one payload object and an ack callback; the ack is always
// `{ok: true, data}` or `{ok: false, error: {code, message}}` and a rejected request
// changes nothing. Game intents (`game:act`, `game:undo`, ...) carry the game `version`
// the client last saw; the server accepts them only against the current version, applies
// them with the engine, persists them, acks, and then broadcasts to the room: after an
// accepted step (a player's or a bot's) a small `game:step` delta, which every client applies
// with the engine (protocol/game-step.ts); after anything else (undo, restart, jump) the
// whole `game:state`. A client whose view is not the delta's version − 1 asks for the whole
// view (`game:sync`). The order in which the server accepts `game:act` IS the interleaving.
// Roster changes (joins, roles, host, bots, mode) are broadcast as `room:state`.
// Host is a capability, not a role: the room's host (RoomView.hostId) may also hold an actor.
// See docs/PROTOCOL.md for every event, error code and a worked example session.

import type { ActorChoice, ActorId, ActorRole, Config, ConfigId, EndingOutcomeId, EngineEvent, OutcomeId, Scenario, State, VariantId } from '../engine/types.js';
import { REJECTIONS } from '../engine/types.js';
import type { Lesson } from '../lessons/schema.js';
import { GATE_ERROR_CODES, WIRE_VERSIONS, type Ack as WireAck, type ProtocolError as WireError } from './wire.js';

/** The game's protocol version (protocol/wire.ts says how versions work). */
export const PROTOCOL_VERSION = WIRE_VERSIONS.game;

// ---------------------------------------------------------------------------------------
// Vocabulary

/** The roles that step an actor. `allocator` steps every allocator actor (allocator, allocator1, ...). */
export const ACTOR_ROLES = ['victim', 'reaper', 'allocator'] as const satisfies readonly ActorRole[];
/**
 * Every role a player can hold. victim/reaper/allocator: at most one player each; spectator: any number.
 * Being the room's host is separate (RoomView.hostId): the host holds an actor or spectates like anyone.
 */
export const ROLES = ['victim', 'reaper', 'allocator', 'spectator'] as const;
export type Role = (typeof ROLES)[number];

/** race: every player steps their own actor when it is enabled. scheduler: the host (or the solo player) steps any actor. */
export const MODES = ['race', 'scheduler'] as const;
export type Mode = (typeof MODES)[number];

/** Bot strategies for unclaimed actor roles (engine/bots.ts). */
export const BOT_KINDS = ['lazy', 'random', 'adversary', 'guardian'] as const;
export type BotKind = (typeof BOT_KINDS)[number];

/** Class grouping: auto seats students in rooms of three; pick lets them choose a room. */
export const GROUPINGS = ['auto', 'pick'] as const;
export type Grouping = (typeof GROUPINGS)[number];

// ---------------------------------------------------------------------------------------
// Errors

export const ERROR_CODES = [
  /** bad_request, payload_too_large, rate_limited, protocol_mismatch, internal (protocol/wire.ts). */
  ...GATE_ERROR_CODES,
  /** The engine's rejections of a step (engine/types.ts REJECTIONS): malformed, unknown_actor, wrong_step, not_enabled, run_over. */
  ...REJECTIONS,
  /** No room with this code. */
  'unknown_room',
  /** No lesson with this id. */
  'unknown_lesson',
  /** The scenario (variant/config/overrides) is not valid. */
  'bad_scenario',
  /** This connection has not joined a room (room:join first). */
  'not_in_room',
  /** The reconnect token does not belong to this room. */
  'bad_token',
  /** The role is held by another connected player. */
  'role_taken',
  /** The target player of a handover / release is not in the room (or already has what you give). */
  'unknown_player',
  /** Only the host (or the only player in the room) may do this. */
  'not_host',
  /** Race mode: that actor belongs to another role. */
  'not_your_actor',
  /** Scheduler mode: only the host (or the only player) picks the next actor. */
  'not_scheduler',
  /** The intent was made against an older game version; error.version is the current one. */
  'stale_version',
  /** game:undo with no step to undo; game:jump outside 0..steps. */
  'nothing_to_undo',
  'bad_step_index',
  /** No class with this code, or a wrong teacher token. */
  'unknown_class',
  'not_teacher',
  /** The class was stopped by its teacher: no joins, no steps. */
  'class_closed',
  /** The teacher paused the class: no steps until it resumes. */
  'class_paused',
  /** In a class the teacher holds the host's controls (mode, bots, undo, restart) unless they let students. */
  'teacher_only',
  /** Lessons written in the browser: the YAML does not parse as a lesson (error.errors: line:col of each problem). */
  'bad_lesson',
  /** The teacher keeps as many lessons (or bytes of them) as the server allows. */
  'quota_exceeded',
  /** The lesson was written with another lesson key. */
  'not_lesson_owner',
  /** A class runs the lesson: it cannot be changed or removed until the class is deleted. */
  'lesson_in_use',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ProtocolError = WireError<ErrorCode>;
export type Ack<T> = WireAck<T, ErrorCode>;
export type AckFn<T> = (result: Ack<T>) => void;

// ---------------------------------------------------------------------------------------
// Client → server payloads (validated by protocol/schemas.ts)

/** Scalar config values a custom room may override. */
export interface ScenarioOverrides {
  free?: number;
  pgtables?: number;
  maxAttempts?: number;
  keepAbove?: number;
  stallLimit?: number;
  deadline?: number;
  mHeld?: boolean;
}

/** A custom scenario (instead of a lesson): a variant × a reference config. */
export interface ScenarioRequest {
  variant: VariantId;
  config: ConfigId;
  overrides?: ScenarioOverrides;
}

export interface RoomCreatePayload {
  protocol: number;
  /** Display name of the creator, who becomes the host (and takes the lesson's solo seat when it is an actor). 1..40 chars, no control characters. */
  name: string;
  /** Exactly one of lesson / scenario. */
  lesson?: string;
  scenario?: ScenarioRequest;
  /** Default: race when the lesson's solo seat is an actor (the learner plays it against the lesson's bots), else the lesson's mode, else scheduler. */
  mode?: Mode;
  /** Seed of the random bots (uint32). Default: derived from the room code. */
  seed?: number;
}

export interface RoomJoinPayload {
  protocol: number;
  code: string;
  name: string;
  /** The token from an earlier create/join of this room: you get your player (and role) back. */
  token?: string;
}

export type EmptyPayload = Record<string, never>;

export interface RoleClaimPayload {
  role: Role;
}

export interface RoleReleasePayload {
  /** Host only: release another player's role (they become a spectator). Default: yourself. */
  playerId?: string;
}

export interface RoleHandoverPayload {
  /** The player who gets the role. Their old actor role, if any, becomes free. */
  to: string;
  /** The actor role to give. Default: your own. Only the host may give a role they do not hold (taking it from its holder, or assigning a free seat). */
  role?: ActorRole;
}

export interface HostHandoverPayload {
  /** The player who becomes the host; you keep your role but lose the host's powers. */
  to: string;
}

export interface GameActPayload {
  actor: ActorId;
  /** The actor's current step name (ActorChoice.step). */
  step: string;
  /** GameView.version the client saw. */
  version: number;
}

export interface GameVersionPayload {
  version: number;
}

/** game:sync: the whole game view of the room this connection follows (after a gap in the game:step deltas). */
export interface GameSyncPayload {
  /** The room the client follows; it must be this connection's room. */
  code: string;
}

export interface GameJumpPayload {
  version: number;
  /** Keep the first `to` steps of the current run (0 = the initial state). */
  to: number;
}

export interface GameModePayload {
  mode: Mode;
}

export interface BotSetPayload {
  role: ActorRole;
  /** null: no bot (the actor waits for a human, or the host in race mode). */
  kind: BotKind | null;
  /** Optionally reseed the random bots (uint32). */
  seed?: number;
}

export interface ProgressGetPayload {
  name: string;
}

export interface ClassCreatePayload {
  protocol: number;
  /** The teacher's display name. */
  name: string;
  lesson: string;
  grouping: Grouping;
  /** Default race. */
  mode?: Mode;
}

export interface ClassJoinPayload {
  protocol: number;
  code: string;
  name: string;
  /** pick grouping only: a room code of this class, or "new" for a fresh room. */
  room?: string;
}

export interface ClassTeacherPayload {
  code: string;
  teacherToken: string;
}

/** What a class's teacher decides for every room of the class. */
export interface ClassControls {
  /** The teacher paused the class: nobody steps, bots wait, nothing is undone. */
  paused: boolean;
  /** The teacher lets students use the host's controls (mode, bots, undo, jump, restart). */
  studentsControl: boolean;
}

/** class:controls: pause or resume the class, let students use the host's controls or take them back. Fields left out stay. */
export interface ClassControlsPayload extends ClassTeacherPayload, Partial<ClassControls> {}

/** class:restart, class:rotate: one room of the class, or every room when `room` is left out. */
export interface ClassRoomsPayload extends ClassTeacherPayload {
  room?: string;
}

/**
 * class:move: a student (`player`, in room `from`) goes to room `to` of the same class (or
 * stays in `from` and changes seat) and sits in `role`: a free actor seat, or 'spectator'.
 * Within a room, an actor seat that someone holds is swapped with them.
 */
export interface ClassMovePayload extends ClassTeacherPayload {
  from: string;
  player: string;
  to: string;
  role: Role;
}

// ---------------------------------------------------------------------------------------
// Views sent by the server

export interface PlayerView {
  id: string;
  name: string;
  role: Role;
  connected: boolean;
}

/** GET /api/codes/:code: whether a typed code is a room's, a class's or nobody's. */
export interface CodeKind {
  code: string;
  kind: 'room' | 'class' | 'none';
}

/** What anyone may know about a class before joining it (GET /api/classes/:code). */
export interface ClassInfo {
  code: string;
  link: string;
  lesson: LessonRef;
  grouping: Grouping;
  mode: Mode;
  closed: boolean;
}

export interface LessonGoal {
  kind: 'hunt' | 'avoid';
  outcome: OutcomeId;
  text: string;
}

/** Enough of a lesson to run a room; the full lesson is at GET /api/lessons/:id. */
export interface LessonRef {
  id: string;
  title: string;
  goal: LessonGoal;
  win: string;
  lose: string;
}

export interface RoomView {
  code: string;
  /** Path of the join link, e.g. "/r/K7QX2M" (relative to the server). */
  link: string;
  lesson: LessonRef | null;
  scenario: Scenario;
  mode: Mode;
  players: PlayerView[];
  /**
   * The player with the host's powers (undo, restart, jump, mode, bots, release and hand over
   * roles), whatever their role; null until someone sits in a class room. A player alone in
   * the room has the same powers.
   */
  hostId: string | null;
  /** Bot per actor role; a bot only plays while no player holds the role, and only in race mode. */
  bots: Record<ActorRole, BotKind | null>;
  seed: number;
  classCode: string | null;
  /** Set when the room's class has been stopped: nobody steps any more (the controls are inert). */
  classClosed?: boolean;
  /** Set for a class room: whether the teacher paused the class and whether students may use the host's controls. */
  classControls?: ClassControls;
}

export type StepBy = { kind: 'human'; playerId: string; name: string } | { kind: 'bot'; bot: BotKind };

export interface TraceStep {
  actor: ActorId;
  step: string;
  by: StepBy;
}

export interface RefereeInfo {
  /** False when the state is beyond the cached state graph (reachability unknown). */
  known: boolean;
  /** Per outcome: steps to the nearest state showing it, or null when unreachable from here. */
  reachable: Record<OutcomeId, number | null>;
  /** The closest reachable outcome (not counting one already shown), or null. */
  nearest: { outcome: OutcomeId; steps: number } | null;
}

export type Verdict = 'win' | 'lose' | 'none';

export interface RunResult {
  outcome: EndingOutcomeId;
  detail?: string;
  /** A needless kill happened during the run (recorded; the run went on). */
  needlessKill: boolean;
  /** Against the lesson goal; 'none' outside lessons. */
  verdict: Verdict;
  /** The lesson's win or lose text (or the outcome detail). */
  text: string;
  /** GET /api/traces/:traceId. */
  traceId: string;
}

export interface GameView {
  code: string;
  /** Increases by one on every accepted act / undo / restart / jump. Intents carry it. */
  version: number;
  /** Run number in this room, from 1; restart starts the next. */
  run: number;
  state: State;
  /** engine enabledActions(state): every actor's next step, with the reason when blocked. */
  choices: ActorChoice[];
  /** The accepted steps of this run, in order: the interleaving. */
  actions: TraceStep[];
  /** Engine events of the last accepted step (empty after undo/restart/jump). */
  events: EngineEvent[];
  referee: RefereeInfo;
  /** Set when the run has ended. */
  result: RunResult | null;
}

/**
 * game:step: one accepted step, as a delta of the GameView at `version - 1` of the same run.
 * Only what the client cannot compute itself: the client applies the step with the engine
 * (engine step() gives the state, enabledActions() the choices) and appends it to the
 * actions: protocol/game-step.ts applyGameStep, the one rule every client uses. `code` and
 * `version` come first (the load generator reads a broadcast's header only).
 */
export interface GameStep {
  code: string;
  /** The new GameView.version: the view this applies to has version − 1. */
  version: number;
  /** The run the step belongs to: a view of another run does not take it. */
  run: number;
  /** The accepted step: appended to GameView.actions. */
  step: TraceStep;
  /** Engine events of the step (GameView.events). */
  events: EngineEvent[];
  /** From the server's cached state graph. */
  referee: RefereeInfo;
  /** Set when this step ended the run. */
  result: RunResult | null;
}

export interface JoinedData {
  playerId: string;
  /** Keep it (e.g. sessionStorage) and send it with room:join to get your player back. */
  token: string;
  role: Role;
  room: RoomView;
  game: GameView;
}

/** A student as their teacher sees them. */
export interface ClassStudentView {
  id: string;
  name: string;
  role: Role;
  connected: boolean;
  host: boolean;
  /** How long ago (ms, when the view was made) they last stepped, joined or came back: the dashboard calls them idle after a while. */
  quietMs: number;
}

export interface ClassRoomSummary {
  code: string;
  players: ClassStudentView[];
  /** Actor roles nobody holds yet. */
  free: ActorRole[];
  /** Bots playing free seats (race mode). */
  bots: Record<ActorRole, BotKind | null>;
  /** The current run (from 1), how many steps it has taken so far, and its outcome once it has ended. */
  run: number;
  steps: number;
  ended: EndingOutcomeId | null;
  /** Finished runs. */
  runs: number;
  /** Outcomes shown by finished runs in this room (needless_kill included). */
  found: OutcomeId[];
  lastOutcome: OutcomeId | null;
}

export interface ClassView {
  code: string;
  link: string;
  lesson: LessonRef;
  grouping: Grouping;
  mode: Mode;
  closed: boolean;
  controls: ClassControls;
  rooms: ClassRoomSummary[];
  /** Outcomes the explorer says are reachable in the lesson's scenario. */
  reachable: OutcomeId[];
  /** Union of found over the rooms. */
  found: OutcomeId[];
}

export interface ClassCreatedData {
  code: string;
  link: string;
  /** Secret: lets the teacher watch and stop the class. */
  teacherToken: string;
  class: ClassView;
}

/** A room a student of a pick class may choose: how many sit there and which actors are free (no names). */
export interface ClassRoomChoice {
  code: string;
  seated: number;
  free: ActorRole[];
}

export interface ClassJoinedData {
  classCode: string;
  /** Set when the student was seated in a room (auto grouping, or pick with `room`): their own room, nobody else's. */
  joined: JoinedData | null;
  /** Pick grouping, not seated yet: the rooms to choose from. Empty once seated. */
  rooms: ClassRoomChoice[];
}

export interface ProgressView {
  name: string;
  /** Lesson ids won by this name, in the order first won. */
  won: string[];
}

export interface HelloData {
  protocol: typeof PROTOCOL_VERSION;
  /** The notebook protocol this server speaks. */
  notebook: typeof WIRE_VERSIONS.notebook;
}

/** GET /api/lessons/:id: the lesson with its scenario built (variant and config resolved). */
export type LessonDetail = Lesson & { scenario: Scenario };

export type LeftReason = 'left' | 'replaced' | 'closed';

// ---------------------------------------------------------------------------------------
// The events

export interface ClientToServerEvents {
  'room:create': (p: RoomCreatePayload, ack: AckFn<JoinedData>) => void;
  'room:join': (p: RoomJoinPayload, ack: AckFn<JoinedData>) => void;
  'room:leave': (p: EmptyPayload, ack: AckFn<Record<string, never>>) => void;
  /** Stops following the room on this connection (another screen opened); the seat is kept, as when the connection drops. */
  'room:away': (p: EmptyPayload, ack: AckFn<Record<string, never>>) => void;
  'role:claim': (p: RoleClaimPayload, ack: AckFn<{ role: Role }>) => void;
  'role:release': (p: RoleReleasePayload, ack: AckFn<{ role: Role }>) => void;
  'role:handover': (p: RoleHandoverPayload, ack: AckFn<{ role: Role }>) => void;
  'host:handover': (p: HostHandoverPayload, ack: AckFn<{ hostId: string }>) => void;
  'game:act': (p: GameActPayload, ack: AckFn<{ version: number }>) => void;
  'game:undo': (p: GameVersionPayload, ack: AckFn<{ version: number }>) => void;
  'game:restart': (p: GameVersionPayload, ack: AckFn<{ version: number }>) => void;
  'game:jump': (p: GameJumpPayload, ack: AckFn<{ version: number }>) => void;
  /** The whole game view of this connection's room, for a client that missed a game:step (or has no view). Changes nothing. */
  'game:sync': (p: GameSyncPayload, ack: AckFn<GameView>) => void;
  'game:mode': (p: GameModePayload, ack: AckFn<{ mode: Mode }>) => void;
  'bot:set': (p: BotSetPayload, ack: AckFn<{ bots: Record<ActorRole, BotKind | null>; seed: number }>) => void;
  'progress:get': (p: ProgressGetPayload, ack: AckFn<ProgressView>) => void;
  'class:create': (p: ClassCreatePayload, ack: AckFn<ClassCreatedData>) => void;
  'class:join': (p: ClassJoinPayload, ack: AckFn<ClassJoinedData>) => void;
  'class:watch': (p: ClassTeacherPayload, ack: AckFn<ClassView>) => void;
  'class:stop': (p: ClassTeacherPayload, ack: AckFn<ClassView>) => void;
  /** Revokes the teacher link: a new teacher token replaces the old one, whose dashboards are told (class:revoked). */
  'class:rekey': (p: ClassTeacherPayload, ack: AckFn<{ teacherToken: string }>) => void;
  /** Deletes the class with its rooms, runs and notebooks; its students are told the rooms closed. */
  'class:delete': (p: ClassTeacherPayload, ack: AckFn<{ rooms: number }>) => void;
  /** Pauses or resumes the class; lets students use the host's controls or takes them back. Every room is told at once. */
  'class:controls': (p: ClassControlsPayload, ack: AckFn<ClassView>) => void;
  /** Starts a new run in one room or every room (the teacher's, whatever the students may do). */
  'class:restart': (p: ClassRoomsPayload, ack: AckFn<ClassView>) => void;
  /** Rotates the seated students of one room or every room to the next seat, and starts a new run there. */
  'class:rotate': (p: ClassRoomsPayload, ack: AckFn<ClassView>) => void;
  /** Moves a student to another room of the class or another seat; their page follows (room:moved). */
  'class:move': (p: ClassMovePayload, ack: AckFn<ClassView>) => void;
}

export interface ServerToClientEvents {
  /** Sent once on connect. */
  'server:hello': (d: HelloData) => void;
  /** The roster, roles, bots and mode changed (also sent to everyone after a join). */
  'room:state': (room: RoomView) => void;
  /** The game changed other than by one step: once per accepted undo / restart / jump (and to a connection whose seat moved node), to the whole room. */
  'game:state': (game: GameView) => void;
  /** One accepted step (a player's game:act or a bot's), to the whole room: apply it with protocol/game-step.ts, or game:sync when it does not follow your view. */
  'game:step': (delta: GameStep) => void;
  /** This connection is no longer in the room (another tab took the player, or it left). */
  'room:left': (d: { code: string; reason: LeftReason }) => void;
  /** To teachers watching a class: after a join, a roster change, a finished run or stop; steps at most every half second. */
  'class:state': (c: ClassView) => void;
  /** To dashboards opened with a teacher link that has just been revoked: they stop receiving the class. */
  'class:revoked': (d: { code: string }) => void;
  /** To a student the teacher moved to another room: their seat there (keep the token as for a join). */
  'room:moved': (d: { from: string; joined: JoinedData }) => void;
}

/** Per-socket data the server keeps (not sent). */
/** What the server keeps with a game connection (never sent): its room and player, where the room's requests go, and its seat's token. */
export interface SocketData {
  room: string | null;
  playerId: string | null;
  /** The room's home: its own code, or its class's. */
  home: string | null;
  /** The seat to take again, with its token, when the room moves to another node. */
  seat: { code: string; name: string; token: string } | null;
}

export type InterServerEvents = Record<string, never>;

/** The config fields a scenario override may touch (for docs and schemas). */
export type OverridableConfig = Pick<Config, 'free' | 'pgtables' | 'maxAttempts' | 'keepAbove' | 'stallLimit' | 'deadline' | 'mHeld'>;

// ---------------------------------------------------------------------------------------
// REST shapes (GET /api/traces/:id, GET /api/rooms/:code/traces, GET /api/progress/:name)

/** A finished run: what the notebook stores as a trace cell and what a share link replays. */
export interface RunTrace {
  id: string;
  room: string;
  classCode: string | null;
  lesson: string | null;
  run: number;
  scenario: Scenario;
  actions: TraceStep[];
  outcome: EndingOutcomeId;
  detail?: string;
  needlessKill: boolean;
  verdict: Verdict;
  /** Who stepped each actor: player names, or "bot:<kind>". */
  players: Record<string, string[]>;
  /** Seed of the random bots at the start of the run. */
  seed: number;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
}

/** GET /api/lessons: the campaign in order. */
export interface LessonListItem {
  id: string;
  order: number;
  title: string;
  goal: LessonGoal;
  mode: Mode;
  /** What a solo learner plays: every actor as the scheduler, or one actor against the lesson's bots. */
  solo: 'scheduler' | ActorRole;
}

// ---------------------------------------------------------------------------------------
// Helpers for typed clients

/** The payload type of a client→server event. */
export type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
/** The `data` of a successful ack of a client→server event. */
export type ReplyOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;
