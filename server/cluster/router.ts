// The router: a request for a home runs where the home's authority is. Here when this node
// holds the home's lease (or takes it, free or expired); otherwise it is sent to the owner's
// inbox (./rpc.ts), which runs it exactly as a local request and answers. The owner checks
// that it still holds the home; if not, it says so and the sender looks again.
//
// A forward whose owner is gone (nobody listens on its inbox) waits for the owner's lease to
// run out and takes the home here, replaying it from the database. A forward that got no
// answer in time is not retried — it may have been applied — and fails as `unavailable`;
// the client's retry carries the version it saw, so it cannot be applied twice.

import type { Clock } from '../clock.js';
import { isUnavailable, UnavailableError } from '../store/unavailable.js';
import type { Ownership } from './homes.js';
import { RpcUnavailable, type NodeRpc } from './rpc.js';

/** Runs a request of a home on this node (the home's lease is held here). */
export type Serve = (home: string, call: unknown) => Promise<unknown>;

type Forwarded = { home: string; call: unknown };
type Answer = { moved: true } | { moved: false; value: unknown };

export interface RouterOptions {
  ownership: Ownership;
  rpc: NodeRpc;
  clock: Clock;
  serve: Serve;
  /** How long a request may wait for a home to find an owner (a dead owner's lease to run out), ms. */
  patienceMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Router {
  constructor(private readonly o: RouterOptions) {}

  /** What this node's inbox does with a forwarded request. */
  readonly handle = async (_from: string, body: unknown): Promise<Answer> => {
    const { home, call } = body as Forwarded;
    if (!this.o.ownership.holds(home)) return { moved: true };
    return { moved: false, value: await this.o.serve(home, call) };
  };

  /** Runs `call` at the home's owner and resolves with its answer; rejects as `unavailable` when no owner can be reached in time. */
  async run(home: string, call: unknown): Promise<unknown> {
    const deadline = this.o.clock.now() + this.o.patienceMs;
    let why = 'no owner';
    for (;;) {
      if (this.o.clock.now() > deadline) throw new UnavailableError(`home ${home}: ${why}`);
      let where;
      try {
        where = await this.o.ownership.locate(home);
      } catch (e) {
        if (!isUnavailable(e)) throw e;
        why = e instanceof Error ? e.message : String(e);
        await sleep(100);
        continue;
      }
      if (where.here) return this.o.serve(home, call);
      let answer: Answer;
      try {
        answer = (await this.o.rpc.request(where.node, { home, call } satisfies Forwarded)) as Answer;
      } catch (e) {
        if (!(e instanceof RpcUnavailable)) throw e;
        this.o.ownership.forgetOwner(home);
        if (e.reason !== 'no_listener' && e.reason !== 'redis') throw e;
        // The owner is gone: once its lease runs out, the next locate() takes the home here.
        why = e.message;
        const left = await this.o.ownership.remainingOf(home).catch(() => 100);
        await sleep(Math.min(Math.max(20, left + 20), Math.max(20, deadline - this.o.clock.now())));
        continue;
      }
      if (!answer.moved) return answer.value;
      this.o.ownership.forgetOwner(home);
      why = `home ${home} moved`;
      await sleep(20);
    }
  }
}
