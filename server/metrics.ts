// Server figures for the benchmark and for operators (GET /metrics when enabled): event
// loop utilisation, memory, connections, and how many times a game:state packet was
// serialised — the socket.io parser is wrapped to count, so "one serialisation per room
// broadcast" is measured, not assumed.

import { performance } from 'node:perf_hooks';
import * as parser from 'socket.io-parser';

export interface ParserCounters {
  /** Packets encoded (every emit, ack and broadcast). */
  encodes: number;
  /** game:state packets encoded: one per room broadcast when broadcasts are serialised once. */
  gameStateEncodes: number;
  /** Time spent encoding game:state packets (ms). */
  gameStateEncodeMs: number;
  gameStateBytes: number;
}

export function newParserCounters(): ParserCounters {
  return { encodes: 0, gameStateEncodes: 0, gameStateEncodeMs: 0, gameStateBytes: 0 };
}

/** A socket.io parser identical to the default one, counting what it encodes. */
export function countingParser(c: ParserCounters): typeof parser {
  class CountingEncoder extends parser.Encoder {
    override encode(obj: parser.Packet): ReturnType<parser.Encoder['encode']> {
      c.encodes++;
      const isGame = Array.isArray(obj.data) && obj.data[0] === 'game:state';
      if (!isGame) return super.encode(obj);
      const t = performance.now();
      const out = super.encode(obj);
      c.gameStateEncodeMs += performance.now() - t;
      c.gameStateEncodes++;
      const first: unknown = out[0];
      if (typeof first === 'string') c.gameStateBytes += first.length;
      return out;
    }
  }
  return { ...parser, Encoder: CountingEncoder } as typeof parser;
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
