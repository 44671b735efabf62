// The load generator's socket.io parser for room members that only need to know a
// broadcast's version (spectators, and players whose step the host decides): a room
// broadcast is recognised by its header and decoded to `{ code, version }` without
// parsing the rest. On a 2-core machine the load generator shares the CPU with the server
// under test; decoding ten copies of every 3 KB view (before the game:step deltas) made the generator, not the server,
// the limit of bench:server's burst. The rooms' hosts decode every broadcast whole (they
// pick the next step from it), and both servers' rooms are driven alike.

import { createRequire } from 'node:module';
import type * as parserModule from 'socket.io-parser';

const parser = createRequire(import.meta.url)('socket.io-parser') as typeof parserModule;

/** `42["<event>",{"code":"<code>","version":<n>` — the start of every game:state and game:step (and of the echo's state). */
const HEADER = /^2\["(game:state|game:step|state)",\{"code":"([^"]*)","version":(\d+)[,}]/;

type Emitting = { emitReserved(event: 'decoded', packet: parserModule.Packet): void };

class VersionOnlyDecoder extends parser.Decoder {
  override add(obj: unknown): void {
    if (typeof obj === 'string') {
      const m = HEADER.exec(obj);
      if (m) {
        const packet: parserModule.Packet = { type: parser.PacketType.EVENT, nsp: '/', data: [m[1], { code: m[2], version: Number(m[3]) }] };
        (this as unknown as Emitting).emitReserved('decoded', packet);
        return;
      }
    }
    super.add(obj as never);
  }
}

/** socket.io-client's `parser` option for members that read only versions. */
export const versionOnlyParser = { ...parser, Decoder: VersionOnlyDecoder } as typeof parserModule;

/** What the decoder makes of one encoded packet (exported for its test). */
export function decodeOne(p: typeof parserModule, encoded: string): parserModule.Packet {
  const d = new p.Decoder();
  let got: parserModule.Packet | null = null;
  d.on('decoded', (x: parserModule.Packet) => { got = x; });
  d.add(encoded);
  if (!got) throw new Error('nothing decoded');
  return got;
}
