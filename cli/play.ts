// The headless player: joins a room over the public protocol, claims one actor role and
// plays it with an engine bot. It builds the scenario's state graph itself (from the
// room's scenario) and decides with the same nextBotMove the server's bots use; it follows
// the game from the whole views (join, game:state) and the game:step deltas, applied with
// protocol/game-step.ts as the browser does (a gap: game:sync), sends game:act with the
// version of the view it holds, and simply waits for the next one when the server says the
// game moved on.
//
//   npm run play -- --url http://localhost:3000 --room K7QX2M --role reaper --strategy adversary
//   options: --name NAME  --seed N  --delay MS (default 300)  --once (exit after one run)  --token T

import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { buildGraph, nextRandom, nextBotMove, type BotGoals, type BotKind, type StateGraph } from '../engine/index.js';
import type { ClientToServerEvents, GameView, RoomView, ServerToClientEvents } from '../protocol/events.js';
import { ACTOR_ROLES, BOT_KINDS, PROTOCOL_VERSION } from '../protocol/events.js';
import { GameFollower } from '../protocol/game-step.js';

export interface PlayerOptions {
  url: string;
  room: string;
  role: (typeof ACTOR_ROLES)[number];
  strategy: BotKind;
  name?: string;
  token?: string;
  seed?: number;
  /** Think time before each step (ms). */
  delayMs?: number;
  /** Resolve after the first run that ends (otherwise play on after restarts until stopped). */
  once?: boolean;
  log?: (line: string) => void;
}

export interface PlayerResult {
  steps: number;
  outcome: string | null;
  verdict: string | null;
  token: string;
}

export interface Player {
  done: Promise<PlayerResult>;
  stop(): void;
}

function goalsOf(room: RoomView): BotGoals {
  // The same goals as lessons/parse.ts lessonBotGoals: toward the lesson outcome, guardians away from it.
  const g = room.lesson?.goal;
  return g ? { target: g.outcome, avoid: [g.outcome] } : { target: 'oops', avoid: ['oops', 'lockup', 'panic', 'needless_kill'] };
}

export function runPlayer(o: PlayerOptions): Player {
  const log = o.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(o.url, { transports: ['websocket'] });
  const name = o.name ?? `bot-${o.strategy}`;
  let graph: StateGraph | null = null;
  let room: RoomView | null = null;
  const follower = new GameFollower({
    sync: (code) => new Promise<GameView | null>((res) => socket.emit('game:sync', { code }, (r) => res(r.ok ? r.data : null))),
    changed: () => schedule(),
  });
  let token = o.token;
  let steps = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let settle!: (r: PlayerResult) => void;
  let fail!: (e: Error) => void;
  const done = new Promise<PlayerResult>((res, rej) => {
    settle = res;
    fail = rej;
  });
  const finish = (r: PlayerResult | Error) => {
    if (timer) clearTimeout(timer);
    socket.disconnect();
    if (r instanceof Error) fail(r);
    else settle(r);
  };

  const decide = () => {
    timer = null;
    const game = follower.view;
    if (!game || !room || !graph) return;
    if (game.result) {
      log(`run ${game.run} ended: ${game.result.outcome} (${game.result.verdict})`);
      if (o.once) finish({ steps, outcome: game.result.outcome, verdict: game.result.verdict, token: token ?? '' });
      return;
    }
    if (room.mode !== 'race') return;
    const bots: Record<string, BotKind> = {};
    for (const c of game.choices) if (c.role === o.role) bots[c.actor] = o.strategy;
    const seed = ((o.seed ?? 1) ^ Math.imul(game.version + 1, 0x9e3779b1)) >>> 0;
    const turn = nextBotMove(graph, game.state, bots, goalsOf(room), nextRandom(seed).seed);
    if (!turn.action) return;
    const version = game.version;
    socket.emit('game:act', { actor: turn.action.actor, step: turn.action.step, version }, (r) => {
      if (r.ok) {
        steps++;
        log(`v${version}: ${turn.action!.actor} ${turn.action!.step}`);
      } else if (r.error.code !== 'stale_version') log(`rejected: ${r.error.code}: ${r.error.message}`);
    });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(decide, o.delayMs ?? 300);
  };

  socket.on('room:state', (r) => {
    room = r;
    schedule();
  });
  socket.on('game:state', (g) => follower.full(g));
  socket.on('game:step', (d) => follower.step(d));
  socket.on('room:left', (d) => finish(new Error(`left room ${d.code}: ${d.reason}`)));
  socket.on('connect', () => {
    socket.emit('room:join', { protocol: PROTOCOL_VERSION, code: o.room, name, ...(token ? { token } : {}) }, (r) => {
      if (!r.ok) return finish(new Error(`join: ${r.error.code}: ${r.error.message}`));
      token = r.data.token;
      room = r.data.room;
      follower.full(r.data.game);
      graph ??= buildGraph(room.scenario);
      const claim = () =>
        socket.emit('role:claim', { role: o.role }, (c) => {
          if (!c.ok) return finish(new Error(`claim ${o.role}: ${c.error.code}: ${c.error.message}`));
          log(`${name} plays the ${o.role} in room ${room!.code} (${o.strategy}; graph of ${graph!.size} states)`);
          if (room!.mode !== 'race') log('the room is in scheduler mode: only its host steps; waiting for race mode');
          schedule();
        });
      if (r.data.role === o.role) schedule();
      else claim();
    });
  });
  socket.on('connect_error', (e) => log(`connect error: ${e.message} (retrying)`));

  return {
    done,
    stop: () => finish({ steps, outcome: follower.view?.result?.outcome ?? null, verdict: follower.view?.result?.verdict ?? null, token: token ?? '' }),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      room: { type: 'string' },
      role: { type: 'string' },
      strategy: { type: 'string', default: 'adversary' },
      name: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      delay: { type: 'string' },
      once: { type: 'boolean', default: false },
    },
  });
  const role = values.role as PlayerOptions['role'];
  const strategy = values.strategy as BotKind;
  if (!values.room || !(ACTOR_ROLES as readonly string[]).includes(role) || !(BOT_KINDS as readonly string[]).includes(strategy)) {
    process.stderr.write(`usage: npm run play -- --url URL --room CODE --role ${ACTOR_ROLES.join('|')} --strategy ${BOT_KINDS.join('|')} [--name N] [--seed N] [--delay MS] [--once]\n`);
    process.exit(2);
  }
  const p = runPlayer({
    url: values.url!,
    room: values.room,
    role,
    strategy,
    ...(values.name ? { name: values.name } : {}),
    ...(values.token ? { token: values.token } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.delay ? { delayMs: Number(values.delay) } : {}),
    once: values.once,
  });
  process.on('SIGINT', () => p.stop());
  p.done.then(
    (r) => {
      process.stdout.write(`done: ${r.steps} steps, outcome ${r.outcome ?? 'none'}\n`);
      process.exit(0);
    },
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}

if (process.argv[1] && /cli[\\/]play\.ts$/.test(process.argv[1])) main();
