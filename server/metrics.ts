// Server figures for the benchmark and for operators (GET /metrics when enabled): event
// loop utilisation, memory, connections, and how many times a game:state or game:step packet was
// serialised — the socket.io parser is wrapped to count, so "one serialisation per room
// broadcast" is measured, not assumed.

import { constants, createHistogram, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import * as parser from 'socket.io-parser';

export interface ParserCounters {
  /** Packets encoded (every emit, ack and broadcast). */
  encodes: number;
  /** game:state packets encoded: one per room broadcast when broadcasts are serialised once. */
  gameStateEncodes: number;
  /** Time spent encoding game:state packets (ms). */
  gameStateEncodeMs: number;
  gameStateBytes: number;
  /** game:step packets (the delta after one step) encoded, the time it took (ms) and their bytes. */
  gameStepEncodes: number;
  gameStepEncodeMs: number;
  gameStepBytes: number;
}

export function newParserCounters(): ParserCounters {
  return { encodes: 0, gameStateEncodes: 0, gameStateEncodeMs: 0, gameStateBytes: 0, gameStepEncodes: 0, gameStepEncodeMs: 0, gameStepBytes: 0 };
}

/** A socket.io parser identical to `base` (the default one), counting what it encodes. */
export function countingParser(c: ParserCounters, base: typeof parser = parser): typeof parser {
  class CountingEncoder extends base.Encoder {
    override encode(obj: parser.Packet): ReturnType<parser.Encoder['encode']> {
      c.encodes++;
      const event: unknown = Array.isArray(obj.data) ? obj.data[0] : null;
      if (event !== 'game:state' && event !== 'game:step') return super.encode(obj);
      const t = performance.now();
      const out = super.encode(obj);
      const ms = performance.now() - t;
      const first: unknown = out[0];
      const bytes = typeof first === 'string' ? first.length : 0;
      if (event === 'game:state') {
        c.gameStateEncodeMs += ms;
        c.gameStateEncodes++;
        c.gameStateBytes += bytes;
      } else {
        c.gameStepEncodeMs += ms;
        c.gameStepEncodes++;
        c.gameStepBytes += bytes;
      }
      return out;
    }
  }
  return { ...base, Encoder: CountingEncoder } as typeof parser;
}

/** Event-loop utilisation since the previous call (and since start). */
export class EluMeter {
  private last = performance.eventLoopUtilization();
  private readonly start = this.last;

  read(): { sinceLast: number; sinceStart: number } {
    const now = performance.eventLoopUtilization();
    const sinceLast = performance.eventLoopUtilization(now, this.last).utilization;
    const sinceStart = performance.eventLoopUtilization(now, this.start).utilization;
    this.last = now;
    return { sinceLast, sinceStart };
  }
}

/** What stalls the event loop, since the previous read: garbage-collection pauses and the loop's delay. */
export interface Pauses {
  /** Collections (scavenges and the rest) and their pause times, ms. */
  minorGcs: number;
  majorGcs: number;
  gcMs: number;
  gcMaxMs: number;
  /** How late the loop ran a 1 ms timer (ms): p99 and max. */
  loopDelayP99: number;
  loopDelayMax: number;
}

/**
 * GC pauses (a PerformanceObserver on 'gc') and event-loop delay (monitorEventLoopDelay),
 * read and reset together, so a latency tail can be laid beside what stalled the loop.
 */
export class PauseMeter {
  private minor = 0;
  private major = 0;
  private ms = 0;
  private maxMs = 0;
  private readonly delay = monitorEventLoopDelay({ resolution: 1 });
  private readonly observer: PerformanceObserver;

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.minor++;
        else this.major++;
        this.ms += e.duration;
        this.maxMs = Math.max(this.maxMs, e.duration);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    this.delay.enable();
  }

  read(): Pauses {
    const d = this.delay;
    const out = {
      minorGcs: this.minor, majorGcs: this.major, gcMs: this.ms, gcMaxMs: this.maxMs,
      loopDelayP99: d.count ? d.percentile(99) / 1e6 : 0, loopDelayMax: d.count ? d.max / 1e6 : 0,
    };
    this.minor = this.major = this.ms = this.maxMs = 0;
    d.reset();
    return out;
  }

  stop(): void {
    this.observer.disconnect();
    this.delay.disable();
  }
}

/** What the meter reads from the running server. */
export interface MeteredServer {
  connections(): number;
  rooms: { readonly loadedRooms: number; readonly stats: Readonly<Record<string, number>> };
  /** The group commit of steps, when there is one: commits and the steps they held. */
  steps?: { readonly stats: { readonly commits: number; readonly steps: number } } | null;
}

/**
 * GET /metrics: event-loop utilisation, GC pauses and loop delay, memory, connections, rooms, the room counters, the
 * parser's counters and the time to handle one game:act (parse, checks, engine, store,
 * broadcast, ack) since the previous read.
 */
export class ServerMeter {
  private readonly counters = newParserCounters();
  private readonly elu = new EluMeter();
  private readonly pauses = new PauseMeter();
  private lastCpu = process.cpuUsage();
  private readonly actTimes = createHistogram();
  private readonly actCpu = createHistogram();
  /** The socket.io parser to use, so that encodes are counted. */
  readonly parser: typeof parser;

  /** `base`: the parser whose encodes are counted (the default one unless given). */
  constructor(base: typeof parser = parser) {
    this.parser = countingParser(this.counters, base);
  }

  /** The gate's timing hook (ms): only game:act is kept. */
  timed(event: string, ms: number, cpuMs: number): void {
    if (event !== 'game:act') return;
    this.actTimes.record(Math.max(1, Math.round(ms * 1e6)));
    if (Number.isFinite(cpuMs)) this.actCpu.record(Math.max(1, Math.round(cpuMs * 1e6)));
  }

  /** The figures since the previous read, with the server's own at this moment. */
  read(server: MeteredServer) {
    const { actTimes, actCpu } = this;
    const mem = process.memoryUsage();
    const e = this.elu.read();
    const act = actTimes.count
      ? { count: actTimes.count, p50: actTimes.percentile(50) / 1000, p99: actTimes.percentile(99) / 1000, max: actTimes.max / 1000, mean: actTimes.mean / 1000 }
      : null;
    const cpu = actCpu.count ? { p50: actCpu.percentile(50) / 1000, p99: actCpu.percentile(99) / 1000, mean: actCpu.mean / 1000 } : null;
    actTimes.reset();
    actCpu.reset();
    const c = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    return {
      elu: e.sinceLast,
      eluSinceStart: e.sinceStart,
      /** GC pauses and event-loop delay since the previous read. */
      pauses: this.pauses.read(),
      /** CPU seconds the process used since the previous read (every thread: the loop, SQLite's checkpoint, GC). */
      cpuSeconds: (c.user + c.system) / 1e6,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      connections: server.connections(),
      rooms: server.rooms.loadedRooms,
      ...server.rooms.stats,
      ...(server.steps ? { stepCommits: server.steps.stats.commits, stepsCommitted: server.steps.stats.steps } : {}),
      ...this.counters,
      /** game:act handling time in µs since the previous read (then reset). */
      actHandleUs: act,
      /** CPU time of the process while handling a game:act, µs (not counting time preempted), over the sampled acts (gate.ts CPU_SAMPLE_MS). */
      actCpuUs: cpu,
    };
  }
}
