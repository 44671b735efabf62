// How a room, its players and its steps look as table rows, and back: the same columns in
// SQLite and PostgreSQL (./migrations.ts), so both implementations map them here, once.

import type { ActorRole, Scenario } from '../../engine/types.js';
import type { BotKind, Mode, Role, RunResult, TraceStep } from '../../protocol/events.js';
import type { PlayerRecord, RoomPatch, RoomRecord } from './port.js';

export interface RoomRow {
  code: string;
  lesson: string | null;
  scenario: string;
  mode: string;
  bots: string;
  seed: number;
  run_seed: number;
  version: number;
  run: number;
  run_started_at: number;
  result: string | null;
  class_code: string | null;
  created_at: number;
  host_id: string | null;
}

export interface PlayerRow { id: string; token_hash: string; name: string; role: string; joined_at: number }
export interface ActionRow { actor: string; step: string; by: string }

/** The column each patchable field of a room is stored in. */
export const PATCH_COLUMNS: Record<keyof RoomPatch, string> = {
  mode: 'mode',
  bots: 'bots',
  seed: 'seed',
  runSeed: 'run_seed',
  version: 'version',
  run: 'run',
  runStartedAt: 'run_started_at',
  result: 'result',
  hostId: 'host_id',
};

/** A patched field's value as its column holds it (objects as JSON text). */
export function patchValue(key: keyof RoomPatch, value: unknown): unknown {
  if (key === 'bots') return JSON.stringify(value);
  if (key === 'result') return value === null ? null : JSON.stringify(value);
  return value;
}

export function roomFromRow(r: RoomRow): RoomRecord {
  return {
    code: r.code,
    lesson: r.lesson,
    scenario: JSON.parse(r.scenario) as Scenario,
    mode: r.mode as Mode,
    bots: JSON.parse(r.bots) as Record<ActorRole, BotKind | null>,
    seed: r.seed,
    runSeed: r.run_seed,
    version: r.version,
    run: r.run,
    runStartedAt: r.run_started_at,
    result: r.result ? (JSON.parse(r.result) as RunResult) : null,
    classCode: r.class_code,
    hostId: r.host_id,
    createdAt: r.created_at,
  };
}

export function playerFromRow(p: PlayerRow): PlayerRecord {
  return { id: p.id, tokenHash: p.token_hash, name: p.name, role: p.role as Role, joinedAt: p.joined_at };
}

export function actionFromRow(a: ActionRow): TraceStep {
  return { actor: a.actor as TraceStep['actor'], step: a.step, by: JSON.parse(a.by) as TraceStep['by'] };
}
