// Requests between the nodes of a cluster: each node listens on its own inbox, a Redis
// pub/sub channel `<prefix>inbox:<node>`, and on one channel every node hears
// (`<prefix>all`). A request names the node it is for and waits for that node's answer on
// the sender's inbox; a request nobody answers in time, or that nobody is listening for
// (the node is gone: Redis counts the subscribers a message reached), fails at once with
// RpcUnavailable, which the edge answers as the wire's `unavailable`.
//
// While requests wait, the inboxes they went to are checked every WATCH_MS: a node that
// stops listening meanwhile (it died with the request) fails its requests as `gone` at once
// instead of at the timeout.
//
// Pub/sub keeps nothing: a message to a node that is gone is lost, never delivered late.
// That is what a forwarded intent wants (a late step would surprise everyone); whether it
// was applied before the owner died is decided by the owner's fenced write, and the
// client's retry carries the version it saw, so a step is never applied twice.
//
// Payloads are JSON; binary parts (notebook updates) travel as base64.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { UnavailableError } from '../store/unavailable.js';

/** A request that could not reach its node, or got no answer in time. Nothing is known of its effect. */
export class RpcUnavailable extends UnavailableError {
  constructor(
    readonly to: string,
    readonly reason: 'timeout' | 'no_listener' | 'gone' | 'closed' | 'redis',
    detail = '',
  ) {
    super(`node ${to}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'RpcUnavailable';
  }
}

/** The node answered with an error (its handler threw). */
export class RpcRemoteError extends Error {
  constructor(readonly to: string, message: string) {
    super(`node ${to}: ${message}`);
    this.name = 'RpcRemoteError';
  }
}

export interface RpcOptions {
  /** redis://host:port */
  url: string;
  /** The site's key prefix (e.g. "reaplab:"). */
  prefix: string;
  /** This node's id: unique per process. */
  node: string;
  /** How long a request waits for its answer (ms). Default 5000. */
  timeoutMs?: number;
}

/** What a node does with a request addressed to it; the value (JSON and binary) is the answer. */
export type RpcHandler = (from: string, body: unknown) => Promise<unknown>;
/** What a node does with a notice sent to every node. */
export type NoticeHandler = (from: string, body: unknown) => void;

type Message =
  | { t: 'req'; id: string; from: string; body: unknown }
  | { t: 'res'; id: string; from: string; ok: true; value: unknown }
  | { t: 'res'; id: string; from: string; ok: false; error: string }
  | { t: 'all'; from: string; body: unknown };

/** How often the inboxes of waiting requests are checked for a listener (ms). */
const WATCH_MS = 250;

interface Pending {
  to: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function encode(m: unknown): string {
  return JSON.stringify(m, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { $b64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') } : value;
  });
}

export function decode(s: string): unknown {
  return JSON.parse(s, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string' && Object.keys(value).length === 1) {
      return new Uint8Array(Buffer.from((value as { $b64: string }).$b64, 'base64'));
    }
    return value;
  });
}

export class NodeRpc {
  private readonly pending = new Map<string, Pending>();
  private readonly notices = new Set<NoticeHandler>();
  private seq = 0;
  private closed = false;
  private watcher: ReturnType<typeof setTimeout> | null = null;
  private readonly idBase = randomBytes(4).toString('hex');

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly o: RpcOptions,
    private handler: RpcHandler | null,
  ) {}

  /** Connects, subscribes to this node's inbox and to the all-nodes channel, and serves `handler` (or the one given to serve() later). */
  static async open(o: RpcOptions, handler: RpcHandler | null = null): Promise<NodeRpc> {
    const pub = new Redis(o.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const sub = new Redis(o.url, { lazyConnect: true });
    // Both reconnect by themselves; a request made meanwhile fails as `redis`.
    pub.on('error', () => {});
    sub.on('error', () => {});
    await Promise.all([pub.connect(), sub.connect()]);
    const rpc = new NodeRpc(pub, sub, o, handler);
    sub.on('message', (_channel: string, text: string) => rpc.received(text));
    await sub.subscribe(rpc.inbox(o.node), `${o.prefix}all`);
    return rpc;
  }

  get node(): string {
    return this.o.node;
  }

  /** What this node does with the requests addressed to it (until then they are answered with an error). */
  serve(handler: RpcHandler): void {
    this.handler = handler;
  }

  private inbox(node: string): string {
    return `${this.o.prefix}inbox:${node}`;
  }

  /** Sends `body` to `to` and resolves with its answer; rejects with RpcUnavailable or RpcRemoteError. */
  request(to: string, body: unknown, timeoutMs = this.o.timeoutMs ?? 5000): Promise<unknown> {
    if (this.closed) return Promise.reject(new RpcUnavailable(to, 'closed'));
    const id = `${this.idBase}-${++this.seq}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcUnavailable(to, 'timeout', `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { to, resolve, reject, timer });
      this.watch();
      const fail = (e: RpcUnavailable) => {
        const p = this.pending.get(id);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(id);
        reject(e);
      };
      this.pub.publish(this.inbox(to), encode({ t: 'req', id, from: this.o.node, body } satisfies Message)).then(
        (listeners) => { if (listeners === 0) fail(new RpcUnavailable(to, 'no_listener', 'nobody listens on its inbox')); },
        (e: unknown) => fail(new RpcUnavailable(to, 'redis', e instanceof Error ? e.message : String(e))),
      );
    });
  }

  /** While requests wait: fails those whose node stopped listening on its inbox. */
  private watch(): void {
    if (this.watcher || this.closed) return;
    this.watcher = setTimeout(() => {
      void (async () => {
        const targets = [...new Set([...this.pending.values()].map((p) => p.to))];
        for (const to of targets) {
          const r = (await this.pub.pubsub('NUMSUB', this.inbox(to)).catch(() => null)) as [string, number] | null;
          if (!r || Number(r[1]) > 0) continue;
          for (const [id, p] of this.pending) {
            if (p.to !== to) continue;
            clearTimeout(p.timer);
            this.pending.delete(id);
            p.reject(new RpcUnavailable(to, 'gone', 'the node stopped listening while the request waited'));
          }
        }
      })().finally(() => {
        this.watcher = null;
        if (this.pending.size > 0) this.watch();
      });
    }, WATCH_MS);
    this.watcher.unref?.();
  }

  /** A notice to every other node (fire and forget). */
  async notifyAll(body: unknown): Promise<void> {
    if (this.closed) return;
    await this.pub.publish(`${this.o.prefix}all`, encode({ t: 'all', from: this.o.node, body } satisfies Message));
  }

  /** Listens to the notices other nodes send to all. */
  onNotice(fn: NoticeHandler): () => void {
    this.notices.add(fn);
    return () => this.notices.delete(fn);
  }

  private received(text: string): void {
    let m: Message;
    try {
      m = decode(text) as Message;
    } catch {
      return;
    }
    if (m.t === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return; // answered too late: its request already failed as a timeout
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new RpcRemoteError(m.from, m.error));
    } else if (m.t === 'req') {
      void this.answer(m);
    } else if (m.t === 'all' && m.from !== this.o.node) {
      for (const fn of this.notices) {
        try {
          fn(m.from, m.body);
        } catch {
          // one listener's failure is not the others'
        }
      }
    }
  }

  private async answer(m: Extract<Message, { t: 'req' }>): Promise<void> {
    let answer: Message;
    try {
      if (!this.handler) throw new Error('this node is not serving requests yet');
      answer = { t: 'res', id: m.id, from: this.o.node, ok: true, value: await this.handler(m.from, m.body) };
    } catch (e) {
      answer = { t: 'res', id: m.id, from: this.o.node, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (this.closed) return;
    await this.pub.publish(this.inbox(m.from), encode(answer)).catch(() => {});
  }

  /** Stops listening; pending requests fail as `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watcher) clearTimeout(this.watcher);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RpcUnavailable(p.to, 'closed'));
      this.pending.delete(id);
    }
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
