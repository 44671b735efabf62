// Rooms: the authority. Each room runs one scenario; players hold roles. Every request
// takes one path: load the room (replaying its stored actions) → ask the rules
// (protocol/rules.ts) → the engine's step() → the store → memory → ack and broadcast.
// The order in which act() accepts steps is the run's interleaving. Bots (server/bots.ts),
// host succession (server/host.ts) and class summaries (server/room-summary.ts) live in
// modules of their own; what leaves this file is a read-only view (RoomView, GameView,
// Table), never the live room. Nothing here knows about sockets: the transport calls
// these methods with a Session and relays the Broadcaster's messages; other services
// hear of changes on AppEvents.
//
// After an accepted step the room hears a game:step delta; after undo, jump or restart the
// whole game:state (game:sync gives the whole view to a client that missed a delta).
//
// Invariants:
//  - a rejected request changes nothing (no memory, no store, no broadcast);
//  - the store is written before memory changes and before the caller acks (a write the
//    store refuses, e.g. `unavailable`, leaves memory as it was); with a group commit
//    (server/step-commit.ts) a step waits for the commit that holds it;
//  - every request, bot step and host timer of a room runs in the room's queue, one after
//    another, so the store's awaits never let two of them interleave;
//  - game.version grows by one per accepted act / undo / restart / jump;
//  - a room's state is always replay(scenario, actions) — undo, jump and a server restart
//    recompute it from the action list.
//
// Host is a capability, not a role: rec.hostId names the player with the host's powers, who
// may hold an actor like anyone.

import {
  enabledActions, isScenarioError, makeScenario, replay, step, type Action, type ActorRole, type Config, type Scenario,
} from '../engine/index.js';
import type {
  BotKind, BotSetPayload, GameActPayload, GameJumpPayload, GameView, JoinedData, Mode, Role, RoomCreatePayload, StepBy, TraceStep,
} from '../protocol/events.js';
import {
  creatorSeat, isActorRole, mayClaim, mayHandOver, mayHandOverHost, mayJoin, mayRelease, mayRewind,
  maySetBot, maySetMode, mayStep, seatOnJoin,
} from '../protocol/rules.js';
import { hashToken, newId, newToken, seedFrom } from './ids.js';
import { lessonById, type Lesson } from './lessons.js';
import { gameViewOf, stripLive, tableOf, type LivePlayer, type LiveRoom } from './live-room.js';
import { fail, ok, type Result } from './result.js';
import { RoomRegistry, type Attached, type Session } from './room-registry.js';
import { finishRun } from './runs.js';
import type { RunFinish, StepWrite } from './store/port.js';
import { isUnavailable, UNAVAILABLE_MESSAGE } from './store/unavailable.js';

export type { RoomSummary } from './room-summary.js';
export type { Broadcaster, Holder, OpenArgs, RoomServiceOptions, Session } from './room-registry.js';

export class RoomService extends RoomRegistry {
  protected async botStep(room: LiveRoom, action: Action, bot: BotKind): Promise<void> {
    const r = await this.applyStep(room, action, { kind: 'bot', bot }, room.rec.version);
    if (r.ok) return;
    this.o.log.error('bot: step rejected', { room: room.rec.code, code: r.error.code, message: r.error.message });
    // The store was away: the bot tries again after its delay, once the store answers.
    if (r.error.code === 'unavailable') this.bots.schedule(room);
  }

  /** Runs a request of the session's room in that room's queue (a session in no room is refused by attached()). */
  private inSessionRoom<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    return s.room ? this.queue.run(s.room, fn) : fn();
  }

  // ---------------------------------------------------------------- rooms and players

  /** Opens a room for a lesson or a custom scenario; the creator joins it (see creatorRole). */
  async create(s: Session, p: RoomCreatePayload): Promise<Result<JoinedData & { code: string }>> {
    let lesson: Lesson | null = null;
    let scenario: Scenario;
    if (p.lesson !== undefined) {
      lesson = (await lessonById(this.o.lessons, p.lesson)) ?? null;
      if (!lesson) return fail('unknown_lesson', `no lesson "${p.lesson}"; GET /api/lessons lists them`);
      scenario = this.o.lessons.scenario(lesson);
    } else if (p.scenario) {
      const sc = makeScenario(p.scenario.variant, p.scenario.config, (p.scenario.overrides ?? {}) as Partial<Config>);
      if (isScenarioError(sc)) return fail('bad_scenario', sc.message);
      scenario = sc;
    } else return fail('bad_request', 'give exactly one of lesson or scenario');
    const { room, player, token } = await this.openLive({ lesson, scenario, mode: p.mode, seed: p.seed, classCode: null, creator: { name: p.name, role: creatorRole(lesson) } });
    if (!player) throw new Error('open() with a creator returns a player');
    return this.queue.run(room.rec.code, async () => {
      await this.attach(room, player, s.socketId);
      return ok({ code: room.rec.code, ...this.joined(room, player, token) });
    });
  }

  /** Joins (or, with a token, rejoins) a room. A rejoin takes the player over from any older connection. */
  join(s: Session, code: string, name: string, token?: string, role: Role = 'spectator'): Promise<Result<JoinedData>> {
    return this.queue.run(code, () => this.joinNow(s, code, name, token, role));
  }

  private async joinNow(s: Session, code: string, name: string, token: string | undefined, role: Role): Promise<Result<JoinedData>> {
    const room = await this.room(code);
    if (!room) return fail('unknown_room', `no room with code ${code}; check the code or ask for a new link`);
    const entry = mayJoin(tableOf(room));
    if (!entry.ok) return fail(entry.code, entry.message);
    // One connection is one player per room: the player this connection already has here is
    // taken over (joined again without a token) or let go like a dropped connection (a token for another seat).
    const current = s.room === code ? (room.players.find((p) => p.id === s.playerId && p.socketId === s.socketId) ?? null) : null;
    if (token !== undefined) {
      const hash = hashToken(token);
      const player = room.players.find((p) => p.tokenHash === hash);
      if (!player) return fail('bad_token', 'this saved seat is not in the room any more; join again without a token');
      await this.rename(room, player, name);
      if (current && current !== player) this.letGo(s);
      await this.attach(room, player, s.socketId);
      return ok(this.joined(room, player, token));
    }
    if (current) {
      // A fresh token for the same player: the old one stops working, as a new seat's would.
      const fresh = newToken();
      const tokenHash = hashToken(fresh);
      await this.o.store.upsertPlayer(code, { ...stripLive(current), tokenHash, name });
      current.tokenHash = tokenHash;
      current.name = name;
      await this.attach(room, current, s.socketId);
      return ok(this.joined(room, current, fresh));
    }
    const now = this.o.clock.now();
    const newToken_ = newToken();
    const player: LivePlayer = { id: newId(), tokenHash: hashToken(newToken_), name, role: 'spectator', joinedAt: now, socketId: null, lastSeen: now };
    player.role = seatOnJoin(tableOf(room), role);
    await this.o.store.upsertPlayer(code, stripLive(player));
    room.players.push(player);
    await this.attach(room, player, s.socketId);
    return ok(this.joined(room, player, newToken_));
  }

  private async rename(room: LiveRoom, player: LivePlayer, name: string): Promise<void> {
    if (player.name === name) return;
    await this.o.store.upsertPlayer(room.rec.code, { ...stripLive(player), name });
    player.name = name;
  }

  private async attach(room: LiveRoom, player: LivePlayer, socketId: string): Promise<void> {
    const old = player.socketId;
    player.socketId = socketId;
    player.lastSeen = this.o.clock.now();
    if (old !== null && old !== socketId) this.o.broadcaster.left(old, room.rec.code, 'replaced');
    if (player.id === room.rec.hostId) this.host.cancel(room);
    try {
      await this.passHostIfGone(room);
    } finally {
      // The player is here whether or not the host could be passed on.
      this.roomChanged(room);
      this.bots.schedule(room);
    }
  }

  /** The connection dropped: the player keeps the role (for roleGraceMs at least) and can rejoin with the token. */
  disconnect(s: Session): Promise<void> {
    if (!s.room || !s.playerId) return Promise.resolve();
    return this.queue.run(s.room, () => this.letGo(s));
  }

  /** disconnect(), in the room's queue already. */
  private letGo(s: Session): void {
    if (!s.room || !s.playerId) return;
    const room = this.rooms.get(s.room);
    const player = room?.players.find((p) => p.id === s.playerId);
    if (!room || !player || player.socketId !== s.socketId) return;
    player.socketId = null;
    player.lastSeen = this.o.clock.now();
    // If the host stays away, the host's powers pass to someone who is here.
    if (player.id === room.rec.hostId) this.host.watch(room);
    this.roomChanged(room);
    if (!room.players.some((p) => p.socketId !== null)) this.bots.cancel(room);
  }

  /** Leaves for good: the player and the role are gone; a leaving host's powers pass to the next player here. */
  leave(s: Session): Promise<Result<Record<string, never>>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      await this.o.store.removePlayer(room.rec.code, player.id);
      room.players = room.players.filter((p) => p !== player);
      player.socketId = null;
      try {
        if (room.rec.hostId === player.id) {
          await this.setHost(room, null);
          await this.passHostIfGone(room);
        }
      } finally {
        this.roomChanged(room);
        this.bots.schedule(room);
      }
      return ok({});
    });
  }

  /** Writes the players whose seats change, then seats them: nothing moves in memory unless the store took it. */
  private async setSeats(room: LiveRoom, seats: { player: LivePlayer; role: Role }[]): Promise<void> {
    await this.o.store.upsertPlayers(room.rec.code, seats.map(({ player, role }) => ({ ...stripLive(player), role })));
    for (const { player, role } of seats) player.role = role;
    this.roomChanged(room);
    this.bots.schedule(room);
  }

  /** Takes an actor role (a disconnected holder's after roleGraceMs), or 'spectator' to give yours up. */
  claim(s: Session, role: Role): Promise<Result<{ role: Role }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      if (player.role === role) return ok({ role });
      const d = mayClaim(tableOf(room), player.id, role, this.o.clock.now(), this.o.roleGraceMs);
      if (!d.ok) return fail(d.code, d.message);
      const seats: { player: LivePlayer; role: Role }[] = [{ player, role }];
      if (d.displaced) seats.push({ player: this.player(room, d.displaced.id), role: 'spectator' });
      await this.setSeats(room, seats);
      return ok({ role });
    });
  }

  /** Gives up your actor role, or (the host) another player's; they keep watching. */
  release(s: Session, playerId?: string): Promise<Result<{ role: Role }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      const d = mayRelease(tableOf(room), player.id, playerId ?? player.id);
      if (!d.ok) return fail(d.code, d.message);
      const target = this.player(room, d.target.id);
      if (isActorRole(target.role)) await this.setSeats(room, [{ player: target, role: 'spectator' }]);
      return ok({ role: player.role });
    });
  }

  /**
   * Gives an actor role to another player: your own, or (the host) any. Its holder, if any,
   * keeps watching; the receiver's old actor role becomes free.
   */
  handover(s: Session, to: string, role?: ActorRole): Promise<Result<{ role: Role }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      const d = mayHandOver(tableOf(room), player.id, to, role);
      if (!d.ok) return fail(d.code, d.message);
      const seats: { player: LivePlayer; role: Role }[] = [{ player: this.player(room, d.target.id), role: d.give }];
      if (d.holder) seats.push({ player: this.player(room, d.holder.id), role: 'spectator' });
      await this.setSeats(room, seats);
      return ok({ role: player.role });
    });
  }

  /** The host gives the host's powers to another player; both keep their roles. */
  handoverHost(s: Session, to: string): Promise<Result<{ hostId: string }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      const d = mayHandOverHost(tableOf(room), player.id, to);
      if (!d.ok) return fail(d.code, d.message);
      const target = this.player(room, d.target.id);
      await this.setHost(room, target);
      this.roomChanged(room);
      return ok({ hostId: target.id });
    });
  }

  // ---------------------------------------------------------------- the game

  act(s: Session, p: GameActPayload): Promise<Result<{ version: number }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return this.rejected(a);
      const { room, player } = a.data;
      const d = mayStep(tableOf(room), player.id, p.actor);
      if (!d.ok) return this.rejected(fail(d.code, d.message));
      const r = await this.applyStep(room, { actor: p.actor, step: p.step }, { kind: 'human', playerId: player.id, name: player.name }, p.version);
      if (r.ok) player.lastActive = this.o.clock.now();
      return r;
    });
  }

  private rejected<T>(r: Result<T>): Result<T> {
    this.stats.rejected++;
    return r;
  }

  /** The one path every step takes, human or bot: version, engine, store, memory, broadcast. */
  private async applyStep(room: LiveRoom, action: Action, by: StepBy, version: number): Promise<Result<{ version: number }>> {
    const rec = room.rec;
    if (version !== rec.version && !(by.kind === 'human' && this.stillIntended(room, action, version))) {
      return this.rejected(fail('stale_version', `the game moved on (version ${rec.version}, you saw ${version}); look again and retry`, { version: rec.version }));
    }
    const r = step(room.state, action);
    if (!r.ok) return this.rejected(fail(r.error.code, r.error.message));
    const traceStep: TraceStep = { actor: action.actor, step: action.step, by };
    const actions = [...room.actions, traceStep];
    const nextVersion = rec.version + 1;
    let finish: RunFinish | null = null;
    if (r.state.outcome) finish = finishRun({ rec: room.rec, lesson: room.lesson, table: tableOf(room) }, r.state, actions, this.o.clock.now(), newId() + newId());
    try {
      const write: StepWrite = { code: rec.code, index: room.actions.length, step: traceStep, patch: { version: nextVersion, ...(finish ? { result: finish.result } : {}) }, finish };
      await (this.o.steps ? this.o.steps.append(write) : this.o.store.appendAction(write.code, write.index, write.step, write.patch, write.finish));
    } catch (e) {
      this.o.log.error('store: appendAction failed', { room: rec.code, error: String(e) });
      return this.rejected(isUnavailable(e) ? fail('unavailable', UNAVAILABLE_MESSAGE) : fail('internal', 'the server could not save this step; nothing changed, try again'));
    }
    rec.version = nextVersion;
    if (finish) rec.result = finish.result;
    room.actions = actions;
    room.state = r.state;
    room.lastEvents = r.events;
    this.stats.acts++;
    if (by.kind === 'bot') this.stats.botSteps++;
    this.stepped(room);
    if (finish) {
      // After the ack: listeners (notebook trace cells, class views) never delay the step.
      const trace = finish.trace;
      this.o.clock.defer(() => {
        try {
          this.o.events.emit('run:finished', trace);
        } catch (e) {
          this.o.log.error('run:finished listener threw', { room: rec.code, error: String(e) });
        }
      });
    }
    this.bots.schedule(room);
    return ok({ version: nextVersion });
  }

  /**
   * A race click that arrived just after other actors' steps (same run, steps only since
   * the version it saw) whose actor still offers the same step goes in next, in arrival
   * order; a click whose intended step changed (or whose actor has moved since) is stale.
   */
  private stillIntended(room: LiveRoom, action: Action, version: number): boolean {
    const rec = room.rec;
    if (rec.mode !== 'race' || version > rec.version || version < room.rewoundAt) return false;
    const since = room.actions.slice(room.actions.length - (rec.version - version));
    if (since.some((a) => a.actor === action.actor)) return false;
    return enabledActions(room.state).some((c) => c.actor === action.actor && c.step === action.step && c.enabled);
  }

  private async hostCheck(s: Session, version: number): Promise<Result<Attached>> {
    const a = await this.attached(s);
    if (!a.ok) return this.rejected(a);
    const { room, player } = a.data;
    const d = mayRewind(tableOf(room), player.id);
    if (!d.ok) return this.rejected(fail(d.code, d.message));
    if (version !== room.rec.version) {
      return this.rejected(fail('stale_version', `the game moved on (version ${room.rec.version}, you saw ${version}); look again and retry`, { version: room.rec.version }));
    }
    return a;
  }

  /** Keeps the first `keep` steps (undo, jump) or starts a new run (restart), recomputing the state by replay. */
  protected async rewind(room: LiveRoom, keep: number, restart: boolean): Promise<Result<{ version: number }>> {
    const rec = room.rec;
    const kept = room.actions.slice(0, keep);
    const r = replay(rec.scenario, kept);
    if (!r.ok) throw new Error(`room ${rec.code}: a stored prefix no longer replays at ${r.index}: ${r.error.message}`);
    const version = rec.version + 1;
    const now = this.o.clock.now();
    // The result follows the state: only the whole of a finished run (a jump to its end) keeps it.
    const keepsResult = !restart && keep === room.actions.length && r.final.outcome !== null;
    const patch = restart
      ? { version, run: rec.run + 1, runStartedAt: now, runSeed: seedFrom(rec.seed, rec.run + 1), result: null }
      : { version, result: keepsResult ? rec.result : null };
    try {
      await this.o.store.truncateActions(rec.code, keep, patch);
    } catch (e) {
      this.o.log.error('store: truncateActions failed', { room: rec.code, error: String(e) });
      return this.rejected(isUnavailable(e) ? fail('unavailable', UNAVAILABLE_MESSAGE) : fail('internal', 'the server could not save this change; nothing changed, try again'));
    }
    Object.assign(rec, patch);
    room.rewoundAt = version;
    room.actions = kept;
    room.state = r.final;
    room.lastEvents = [];
    this.gameChanged(room);
    this.bots.schedule(room);
    return ok({ version });
  }

  undo(s: Session, version: number): Promise<Result<{ version: number }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.hostCheck(s, version);
      if (!a.ok) return a;
      const { room } = a.data;
      if (room.actions.length === 0) return this.rejected(fail('nothing_to_undo', 'no step to undo in this run'));
      return this.rewind(room, room.actions.length - 1, false);
    });
  }

  jump(s: Session, p: GameJumpPayload): Promise<Result<{ version: number }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.hostCheck(s, p.version);
      if (!a.ok) return a;
      const { room } = a.data;
      if (p.to > room.actions.length) return this.rejected(fail('bad_step_index', `this run has ${room.actions.length} steps; jump to 0..${room.actions.length}`));
      return this.rewind(room, p.to, false);
    });
  }

  restart(s: Session, version: number): Promise<Result<{ version: number }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.hostCheck(s, version);
      if (!a.ok) return a;
      return this.rewind(a.data.room, 0, true);
    });
  }

  /** The whole game view of the session's room (a client that missed a delta). Changes nothing. */
  sync(s: Session, code: string): Promise<Result<GameView>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room } = a.data;
      if (room.rec.code !== code.toUpperCase()) return fail('not_in_room', `this connection follows room ${room.rec.code}, not ${code}; join that room first`);
      return ok(gameViewOf(room, this.o.graphs));
    });
  }

  setMode(s: Session, mode: Mode): Promise<Result<{ mode: Mode }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      const d = maySetMode(tableOf(room), player.id);
      if (!d.ok) return fail(d.code, d.message);
      if (room.rec.mode !== mode) {
        await this.o.store.updateRoom(room.rec.code, { mode });
        room.rec.mode = mode;
        this.roomChanged(room);
        this.bots.schedule(room);
      }
      return ok({ mode });
    });
  }

  /** The host chooses bots; a player who holds an actor may also choose the bot of a seat nobody plays. */
  setBot(s: Session, p: BotSetPayload): Promise<Result<{ bots: Record<ActorRole, BotKind | null>; seed: number }>> {
    return this.inSessionRoom(s, async () => {
      const a = await this.attached(s);
      if (!a.ok) return a;
      const { room, player } = a.data;
      const d = maySetBot(tableOf(room), player.id, p.role, p.seed !== undefined);
      if (!d.ok) return fail(d.code, d.message);
      const bots = { ...room.rec.bots, [p.role]: p.kind };
      const seed = p.seed ?? room.rec.seed;
      const patch = p.seed === undefined ? { bots } : { bots, seed, runSeed: seedFrom(seed, room.rec.run) };
      await this.o.store.updateRoom(room.rec.code, patch);
      Object.assign(room.rec, patch);
      this.roomChanged(room);
      this.bots.schedule(room);
      return ok({ bots: { ...bots }, seed });
    });
  }
}

/**
 * The role the creator of a room gets: the lesson's solo seat when it is an actor, else
 * none (a spectator: in scheduler mode the host steps every actor). The creator is the host either way.
 */
export function creatorRole(lesson: Lesson | null): Role {
  return creatorSeat(lesson?.roles.solo ?? null);
}
