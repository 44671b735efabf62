// The rules of a room, written once: which actor belongs to which seat, who holds the
// host's powers and when they pass on, who may step which actor in each mode, what a
// spectator, the scheduler, a class student or a teacher may do, when a bot plays a seat,
// and what a seat in the room makes of its holder in a notebook. Pure (no I/O, clock or
// randomness, like the engine): the server decides with it, the client draws its buttons
// from it, and notebook seats derive from it. A "no" carries a typed reason code from the
// wire contract's ERROR_CODES and a sentence for people.

import type { ActorChoice, ActorRole } from '../engine/types.js';
import { ACTOR_ROLES, type BotKind, type ClassControls, type ErrorCode, type Mode, type Role } from './events.js';
import type { NotebookKind, NotebookPolicy, NotebookSeat } from './notebook/events.js';

/** A player as the rules see them. */
export interface SeatedPlayer {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Whether a connection follows the room for them now. */
  readonly connected: boolean;
  /** When they were last connected (ms); only the server knows it. */
  readonly lastSeen?: number;
}

/** What the rules look at: a room's mode, players, bots and host. */
export interface Table {
  readonly mode: Mode;
  readonly hostId: string | null;
  readonly players: readonly SeatedPlayer[];
  readonly bots: Readonly<Record<ActorRole, BotKind | null>>;
  /** The room belongs to a class that the teacher has stopped. */
  readonly closed?: boolean;
  /** Set for a class room: what its teacher has decided for the class's rooms. */
  readonly classControls?: ClassControls | null;
}

export type { ClassControls };

export type Denied<C extends ErrorCode = ErrorCode> = { ok: false; code: C; message: string };
/** A rule's answer: yes (with what the yes needs, if anything), or no with a reason. */
export type Decision<C extends ErrorCode = ErrorCode, T extends object = object> = ({ ok: true } & T) | Denied<C>;

const yes = { ok: true } as const;
const no = <C extends ErrorCode>(code: C, message: string): Denied<C> => ({ ok: false, code, message });

// ---------------------------------------------------------------------------------------
// Seats

/** The seat an actor belongs to: 'victim', 'reaper', and every allocator ('allocator', 'allocator2', …). */
export function roleOfActor(actor: string): ActorRole {
  return actor === 'victim' ? 'victim' : actor === 'reaper' ? 'reaper' : 'allocator';
}

export function isActorRole(role: Role): role is ActorRole {
  return role === 'victim' || role === 'reaper' || role === 'allocator';
}

export function holderOf(t: Table, role: ActorRole): SeatedPlayer | null {
  return t.players.find((p) => p.role === role) ?? null;
}

/** Who plays a seat: a person, a bot (only when no person holds it), or nobody. */
export type SeatOccupant = { kind: 'player'; player: SeatedPlayer } | { kind: 'bot'; bot: BotKind } | { kind: 'open' };

export function occupantOf(t: Table, role: ActorRole): SeatOccupant {
  const player = holderOf(t, role);
  if (player) return { kind: 'player', player };
  const bot = t.bots[role];
  return bot ? { kind: 'bot', bot } : { kind: 'open' };
}

/** The actor seats nobody holds, in seat order. */
export function freeSeats(t: Table): ActorRole[] {
  return ACTOR_ROLES.filter((r) => holderOf(t, r) === null);
}

/** The seat a newcomer gets when they ask for one: theirs if nobody holds it, else they watch. */
export function seatOnJoin(t: Table, wanted: Role): Role {
  return isActorRole(wanted) && holderOf(t, wanted) !== null ? 'spectator' : wanted;
}

/** Anyone may join a room (or come back to it), except a room of a stopped class. */
export function mayJoin(t: Table): Decision<'class_closed'> {
  return t.closed ? no('class_closed', CLOSED) : yes;
}

/** A class student sits in the first free seat of the room they are sent to, or watches. */
export function classStudentSeat(t: Table): Role {
  return freeSeats(t)[0] ?? 'spectator';
}

// ---------------------------------------------------------------------------------------
// The host

/** Whether this player is the host (the capability, whatever their seat). */
export function isHost(t: Table, playerId: string): boolean {
  return t.hostId === playerId;
}

/** The host's powers (undo, jump, restart, mode, bots, seats, scheduling): the host, or a player alone in the room. */
export function hasHostPowers(t: Table, playerId: string): boolean {
  return isHost(t, playerId) || (t.players.length === 1 && t.players[0]!.id === playerId);
}

/** What becomes of the host now: stays, is looked at again in `ms`, or passes to a player who is here. */
export type HostSuccession = { kind: 'stays' } | { kind: 'wait'; ms: number } | { kind: 'passes'; to: SeatedPlayer };

/**
 * An empty host seat, or a host who left or has been away for `graceMs`, passes to the
 * connected player who joined first (players are in joining order).
 */
export function hostSuccession(t: Table, now: number, graceMs: number): HostSuccession {
  const host = t.players.find((p) => p.id === t.hostId) ?? null;
  if (host?.connected) return { kind: 'stays' };
  if (host) {
    const wait = (host.lastSeen ?? now) + graceMs - now;
    if (wait > 0) return { kind: 'wait', ms: wait };
  }
  const next = t.players.find((p) => p.connected && p !== host);
  return next ? { kind: 'passes', to: next } : { kind: 'stays' };
}

// ---------------------------------------------------------------------------------------
// Stepping and the host's controls

const CLOSED = 'the teacher has stopped this class';
const PAUSED = 'the teacher paused the class; wait until it resumes';
const TEACHER_ONLY = "in this class the teacher holds the host's controls (mode, bots, undo and restart); ask your teacher";

/** A class room whose teacher keeps the host's controls: a student asking for them is told so. */
function teacherHolds(t: Table): boolean {
  return t.classControls != null && !t.classControls.studentsControl;
}

/** Whether this player may use the host's controls (mode, bots, undo, jump, restart): the host's powers, and in a class the teacher's leave. */
export function hasControls(t: Table, playerId: string): boolean {
  return hasHostPowers(t, playerId) && !teacherHolds(t);
}

/** The class is paused: nothing moves until the teacher resumes it. */
export function isPaused(t: Table): boolean {
  return t.classControls?.paused === true;
}

/**
 * Who may step an actor. Scheduler mode: the host (or a player alone) picks every step.
 * Race mode: each player steps their own seat's actors; the host may also step a seat
 * nobody plays, human or bot. Nobody steps in a stopped class.
 */
export function mayStep(t: Table, playerId: string, actor: string): Decision<'class_closed' | 'class_paused' | 'not_scheduler' | 'not_your_actor'> {
  if (t.closed) return no('class_closed', CLOSED);
  if (isPaused(t)) return no('class_paused', PAUSED);
  const me = t.players.find((p) => p.id === playerId);
  if (t.mode === 'scheduler') {
    return hasHostPowers(t, playerId) ? yes : no('not_scheduler', 'scheduler mode: only the host picks which actor moves next');
  }
  const role = roleOfActor(actor);
  if (me?.role === role) return yes;
  if (occupantOf(t, role).kind === 'open' && hasHostPowers(t, playerId)) return yes;
  const bot = t.bots[role];
  return no('not_your_actor', me && isActorRole(me.role)
    ? `you play the ${me.role}; ${actor} is not yours`
    : `spectators watch; claim a free role to play${bot ? ` (a ${bot} bot plays the ${role})` : ''}`);
}

/**
 * Undo, jump and restart: the host's (or a lone player's); in a class, only when the teacher
 * lets students; not in a stopped or paused class.
 */
export function mayRewind(t: Table, playerId: string): Decision<'not_host' | 'teacher_only' | 'class_closed' | 'class_paused'> {
  if (!hasHostPowers(t, playerId)) return no('not_host', 'only the host (or a player alone in the room) can do this');
  if (t.closed) return no('class_closed', CLOSED);
  if (teacherHolds(t)) return no('teacher_only', TEACHER_ONLY);
  if (isPaused(t)) return no('class_paused', PAUSED);
  return yes;
}

/** The mode is the host's (or a lone player's) to change, in a class only with the teacher's leave; not in a stopped or paused class. */
export function maySetMode(t: Table, playerId: string): Decision<'not_host' | 'teacher_only' | 'class_closed' | 'class_paused'> {
  if (!hasHostPowers(t, playerId)) return no('not_host', 'only the host (or a player alone in the room) can change the mode');
  if (t.closed) return no('class_closed', CLOSED);
  if (teacherHolds(t)) return no('teacher_only', TEACHER_ONLY);
  if (isPaused(t)) return no('class_paused', PAUSED);
  return yes;
}

/**
 * The host chooses any seat's bot and the seed; a player who holds an actor may also put a
 * bot on a seat nobody holds. In a class, bots are the teacher's unless the teacher lets
 * students choose them. Nobody changes bots in a stopped or paused class.
 */
export function maySetBot(t: Table, playerId: string, role: ActorRole, reseed: boolean): Decision<'not_host' | 'teacher_only' | 'class_closed' | 'class_paused'> {
  if (t.closed) return no('class_closed', CLOSED);
  if (teacherHolds(t)) return no('teacher_only', TEACHER_ONLY);
  if (isPaused(t)) return no('class_paused', PAUSED);
  if (hasHostPowers(t, playerId)) return yes;
  const me = t.players.find((p) => p.id === playerId);
  const free = holderOf(t, role) === null;
  if (me && isActorRole(me.role) && free && !reseed) return yes;
  return no('not_host', free
    ? 'claim an actor first: players who play an actor may put a bot on a free seat'
    : `the ${role} is played by a person; only the host chooses bots`);
}

/**
 * Taking a seat: a free one, or one whose holder has been away for `graceMs`
 * (`displaced` then watches). Giving yours up ('spectator') is always allowed.
 */
export function mayClaim(t: Table, playerId: string, role: Role, now: number, graceMs: number): Decision<'role_taken', { displaced: SeatedPlayer | null }> {
  if (!isActorRole(role)) return { ok: true, displaced: null };
  const holder = t.players.find((p) => p.role === role && p.id !== playerId) ?? null;
  if (!holder) return { ok: true, displaced: null };
  if (holder.connected) return no('role_taken', `${role} is played by ${holder.name}; pick another role or ask them to hand it over`);
  const wait = (holder.lastSeen ?? now) + graceMs - now;
  if (wait > 0) return no('role_taken', `${role} belongs to ${holder.name}, who may reconnect; try again in ${Math.ceil(wait / 1000)} s`);
  return { ok: true, displaced: holder };
}

/** Giving up a seat: your own, or (the host) anyone's. */
export function mayRelease(t: Table, playerId: string, targetId: string): Decision<'unknown_player' | 'not_host', { target: SeatedPlayer }> {
  const target = t.players.find((p) => p.id === targetId);
  if (!target) return no('unknown_player', 'no such player in this room');
  if (target.id !== playerId && !hasHostPowers(t, playerId)) return no('not_host', "only the host can release another player's role");
  return { ok: true, target };
}

/** The seats this player may hand to someone else: their own, or (the host) all three. */
export function seatsToGive(t: Table, playerId: string): ActorRole[] {
  if (hasHostPowers(t, playerId)) return [...ACTOR_ROLES];
  const me = t.players.find((p) => p.id === playerId);
  return me && isActorRole(me.role) ? [me.role] : [];
}

/**
 * Handing a seat (yours unless `role` says which) to another player. Its holder, if any,
 * keeps watching; the receiver's old seat becomes free.
 */
export function mayHandOver(t: Table, playerId: string, toId: string, role?: ActorRole): Decision<'bad_request' | 'not_host' | 'unknown_player', { give: ActorRole; holder: SeatedPlayer | null; target: SeatedPlayer }> {
  const me = t.players.find((p) => p.id === playerId);
  const give = role ?? (me && isActorRole(me.role) ? me.role : null);
  if (give === null) return no('bad_request', 'you hold no actor to hand over; claim one first');
  const holder = holderOf(t, give);
  if (holder?.id !== playerId && !hasHostPowers(t, playerId)) {
    return no('not_host', holder ? `the ${give} is ${holder.name}'s to give; ask them or the host` : `only the host assigns a free seat; claim the ${give} yourself`);
  }
  const target = t.players.find((p) => p.id === toId);
  if (!target || target === holder) return no('unknown_player', 'hand over to another player in this room');
  return { ok: true, give, holder, target };
}

/** Only the host (not a lone player: there is nobody to give it to) hands the host to another player. */
export function mayHandOverHost(t: Table, playerId: string, toId: string): Decision<'not_host' | 'unknown_player', { target: SeatedPlayer }> {
  if (!isHost(t, playerId)) return no('not_host', 'only the host can hand over the host');
  const target = t.players.find((p) => p.id === toId);
  if (!target || target.id === playerId) return no('unknown_player', 'hand the host to another player in this room');
  return { ok: true, target };
}

/** Who is credited with a won lesson: the players of an actor seat, and the host (the solo scheduler). */
export function creditedWithWin(t: Table, playerId: string): boolean {
  const p = t.players.find((q) => q.id === playerId);
  return p !== undefined && (isActorRole(p.role) || isHost(t, playerId));
}

/**
 * Rotating roles between runs (a teacher's class control): everyone who holds an actor
 * seat moves to the next seat in seat order (victim → reaper → allocator → victim),
 * skipping none, so over three runs each student plays each actor; spectators keep watching.
 */
export function rotatedSeats(t: Table): { id: string; role: Role }[] {
  const seated = t.players.filter((p) => isActorRole(p.role));
  return seated.map((p) => {
    const i = ACTOR_ROLES.indexOf(p.role as ActorRole);
    return { id: p.id, role: ACTOR_ROLES[(i + 1) % ACTOR_ROLES.length]! };
  });
}

// ---------------------------------------------------------------------------------------
// Opening a room

/**
 * The seat of a room's creator: the lesson's solo seat when it is an actor, else none
 * (a spectator: in scheduler mode the host steps every actor). The creator is the host either way.
 */
export function creatorSeat(soloSeat: ActorRole | 'scheduler' | null): Role {
  return soloSeat !== null && soloSeat !== 'scheduler' ? soloSeat : 'spectator';
}

/**
 * The mode a room opens in when none is asked for: race when the creator holds an actor
 * (bots play the others); scheduler when the creator schedules (a solo learner picks every
 * step); with no creator (a class room), the lesson's suggestion.
 */
export function openingMode(creator: Role | null, lessonMode: Mode | null): Mode {
  if (creator !== null) return isActorRole(creator) ? 'race' : 'scheduler';
  return lessonMode ?? 'scheduler';
}

/** Class rooms wait for their students (bots would start as soon as the first sits down); other rooms get the lesson's bots. */
export function openingBots(classRoom: boolean, lessonBots: Readonly<Record<ActorRole, BotKind | null>> | null): Record<ActorRole, BotKind | null> {
  if (classRoom) return { victim: null, reaper: null, allocator: null };
  return lessonBots ? { ...lessonBots } : { victim: 'lazy', reaper: 'lazy', allocator: 'lazy' };
}

// ---------------------------------------------------------------------------------------
// Bots

/**
 * Bots play in race mode while the run is on and someone is connected to watch or play
 * (an empty room stands still), never in a stopped or paused class, and only when a seat has one.
 */
export function botsMayPlay(t: Table, runOver: boolean): boolean {
  return t.mode === 'race' && !runOver && !t.closed && !isPaused(t) && t.players.some((p) => p.connected) && ACTOR_ROLES.some((r) => t.bots[r] !== null);
}

/** Actor → bot kind for every actor (of `choices`) whose seat has a bot and no player. */
export function botActors(t: Table, choices: readonly Pick<ActorChoice, 'actor' | 'role'>[]): Partial<Record<string, BotKind>> {
  const out: Partial<Record<string, BotKind>> = {};
  for (const c of choices) {
    const o = occupantOf(t, c.role);
    if (o.kind === 'bot') out[c.actor] = o.bot;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Notebooks

/**
 * The seat a room player holds in a notebook of their room (or of their room's class): a
 * room notebook's host is the room's host (or a lone player); spectators stay spectators;
 * everyone else is a player. A class notebook's host is the teacher, never a student.
 */
export function notebookSeatOfPlayer(t: Table, playerId: string, notebook: Exclude<NotebookKind, 'free'>): NotebookSeat | null {
  const p = t.players.find((q) => q.id === playerId);
  if (!p) return null;
  if (notebook === 'room' && hasHostPowers(t, playerId)) return 'host';
  return p.role === 'spectator' ? 'spectator' : 'player';
}

/** Who may edit a notebook: nobody while it is locked; players and the host; spectators when the policy lets them. */
export function notebookMayEdit(seat: NotebookSeat, policy: NotebookPolicy): boolean {
  if (policy.locked) return false;
  return seat !== 'spectator' || policy.spectators === 'edit';
}

/** Only the notebook's host removes recorded cells (lesson and trace cells) and changes the policy. */
export function notebookMayManage(seat: NotebookSeat): boolean {
  return seat === 'host';
}
