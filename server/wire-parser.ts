// The socket.io parser the game server uses: the default one, except that the room-wide
// broadcasts (game:state, game:step, room:state, class:state) are encoded as plain JSON without first
// walking the whole payload for binary attachments. Their payloads are views built from
// JSON values (protocol/events.ts), never buffers; the walk was a measurable part of every
// step's broadcast (bench:server). Everything else is encoded exactly as before.

import { createRequire } from 'node:module';
import type * as parserModule from 'socket.io-parser';
import type { ServerToClientEvents } from '../protocol/events.js';

// The CommonJS build, the one socket.io loads itself (the ESM entry for Node is the debug build).
const parser = createRequire(import.meta.url)('socket.io-parser') as typeof parserModule;

/** The events whose payloads are JSON-only views (named from the wire contract, so a rename cannot leave them behind). */
export const JSON_BROADCASTS: ReadonlySet<string> = new Set<keyof ServerToClientEvents>(['game:state', 'game:step', 'room:state', 'class:state']);

type StringEncoder = { encodeAsString(obj: parserModule.Packet): string };

/** A parser like `base` whose encoder skips the binary walk for the JSON-only broadcasts. */
export function jsonBroadcastParser(base: typeof parserModule = parser): typeof parserModule {
  class JsonBroadcastEncoder extends base.Encoder {
    override encode(obj: parserModule.Packet): ReturnType<parserModule.Encoder['encode']> {
      const d: unknown = obj.data;
      if (obj.type === base.PacketType.EVENT && Array.isArray(d) && typeof d[0] === 'string' && JSON_BROADCASTS.has(d[0])) {
        return [(this as unknown as StringEncoder).encodeAsString(obj)];
      }
      return super.encode(obj);
    }
  }
  return { ...base, Encoder: JsonBroadcastEncoder } as typeof parserModule;
}
