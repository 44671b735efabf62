// Before a room or a class opens: the creator may create one (per connection and per address, see
// server/limits) and the scenario's state graph is ready — built off the event loop when the
// scenario is new, or `busy` when the server is already building others or holds as many
// graphs as its memory budget allows. A refusal here creates nothing.

import type { IncomingMessage } from 'node:http';
import type { Scenario } from '../engine/index.js';
import type { GraphCache } from './graphs.js';
import type { ScenarioChoice } from './scenarios.js';
import type { CreationKind } from './limits/index.js';
import { fail, ok, type Result } from './result.js';

export interface Admission {
  graphs: GraphCache;
  /** The scenario a room:create asks for (null when it names none: the room service answers that). */
  scenarioOf: (p: ScenarioChoice) => Scenario | null | Promise<Scenario | null>;
  /** null when the creation is allowed, else the refusal's message. */
  create?: (kind: CreationKind, connection: string, req: IncomingMessage) => string | null;
  /** Code guessing per address: ms until the address may look codes up again (0: now), and a miss to count. */
  codes?: { wait(req: IncomingMessage): number; missed(req: IncomingMessage): void };
}

/**
 * A request that looks a code up (a join, a watch): refused while the address has guessed
 * too many codes that name nothing, and counted when it misses too.
 */
export async function guardLookup<R extends { ok: boolean; error?: { code: string } }>(
  a: Admission, req: IncomingMessage, misses: readonly string[], run: () => R | Promise<R>, refuse: (message: string) => R,
): Promise<R> {
  const wait = a.codes?.wait(req) ?? 0;
  if (wait > 0) return refuse(`too many unknown codes looked up from your address; try again in ${Math.ceil(wait / 1000)} s`);
  const r = await run();
  if (!r.ok && r.error && misses.includes(r.error.code)) a.codes?.missed(req);
  return r;
}

export interface Creator {
  id: string;
  request: IncomingMessage;
}

/** Takes a creation of `kind` for the connection, or the rate_limited answer. */
export function admitCreation(a: Admission, kind: CreationKind, who: Creator): Result<Record<string, never>> {
  const refused = a.create?.(kind, who.id, who.request) ?? null;
  return refused ? fail('rate_limited', refused) : ok({});
}

/**
 * A room (or a class, whose rooms play its lesson) for `p` may be created: the creation is
 * taken, and the scenario's graph is cached once this resolves ok.
 */
export async function admitRoom(a: Admission, who: Creator, p: ScenarioChoice, kind: 'room' | 'class' = 'room'): Promise<Result<Record<string, never>>> {
  const allowed = admitCreation(a, kind, who);
  if (!allowed.ok) return allowed;
  const scenario = await a.scenarioOf(p);
  if (!scenario) return ok({});
  const ready = await a.graphs.prepare(scenario);
  if (ready.ok) return ok({});
  return fail('busy', ready.reason === 'queue'
    ? 'the server is building other new scenarios right now; try again in a few seconds'
    : 'the server holds as many scenarios as its memory allows; try again in a minute, or open a lesson');
}
