// A node's life from the outside: liveness (GET /api/health: the process answers) and
// readiness (GET /api/ready: send it traffic), and the drain on SIGTERM. Readiness is false
// while the node drains and while its store does not answer, so a proxy or Kubernetes
// stops routing new connections to it; it turns true again by itself once the store is back.
//
// The drain runs in a fixed order: readiness turns false first, then (after `delayMs`,
// time for the proxy to notice) each step in turn — in cluster mode handing the rooms over
// (releasing their leases so another node takes them at once), then closing the sockets
// (clients reconnect, through the proxy, to another node) and the store.

import type { Log } from './log.js';

export type Readiness =
  | { ready: true }
  | { ready: false; reason: 'draining' | 'store_unreachable'; message: string };

export interface LifecycleOptions {
  /** Resolves when the store answers; rejects (or times out) when it does not. */
  ping?: () => Promise<void>;
  /** How long a ping may take before the store counts as unreachable (ms). Default 2000. */
  pingTimeoutMs?: number;
  /** A ping still unanswered after this long is given up and a new one sent (ms). Default 15000, the pool's query timeout. */
  stalePingMs?: number;
  log: Log;
}

export interface DrainStep {
  name: string;
  run: () => Promise<void> | void;
}

export class NodeLifecycle {
  private drainingSince: number | null = null;
  /** The ping in flight and when it was sent: at most one at a time (see pingOnce). */
  private inFlight: { ping: Promise<void>; at: number } | null = null;

  constructor(private readonly o: LifecycleOptions) {}

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  async readiness(): Promise<Readiness> {
    if (this.draining) return { ready: false, reason: 'draining', message: 'this node is shutting down and handing its rooms over' };
    if (!this.o.ping) return { ready: true };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in time')), this.o.pingTimeoutMs ?? 2000);
    });
    try {
      await Promise.race([this.pingOnce(), timeout]);
      return { ready: true };
    } catch (e) {
      return { ready: false, reason: 'store_unreachable', message: `the database does not answer (${e instanceof Error ? e.message : String(e)})` };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One ping at a time. Probes come every few hundred milliseconds (a proxy's, Kubernetes'); while
   * the store is slow each would queue one more query in its pool, and once the store was back the
   * node would stay unready until that backlog drained. A probe that finds a ping in flight waits
   * for the same answer, unless that ping is so old it may never come.
   */
  private pingOnce(): Promise<void> {
    const now = Date.now();
    if (this.inFlight && now - this.inFlight.at < (this.o.stalePingMs ?? 15_000)) return this.inFlight.ping;
    const ping = this.o.ping!();
    const mine = { ping, at: now };
    this.inFlight = mine;
    const done = () => { if (this.inFlight === mine) this.inFlight = null; };
    ping.then(done, done);
    return ping;
  }

  /** Readiness false, wait `delayMs`, then each step in order (a failing step is logged and the next still runs). */
  async drain(steps: DrainStep[], delayMs = 0): Promise<void> {
    if (this.draining) return;
    this.drainingSince = Date.now();
    this.o.log.info('node: draining (readiness is now false)', { delayMs });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    for (const s of steps) {
      const t0 = Date.now();
      try {
        await s.run();
        this.o.log.info(`node: drain: ${s.name}`, { ms: Date.now() - t0 });
      } catch (e) {
        this.o.log.error(`node: drain: ${s.name} failed`, { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}
