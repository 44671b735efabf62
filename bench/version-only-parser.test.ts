import { createRequire } from 'node:module';
import type * as parserModule from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { decodeOne, versionOnlyParser } from './version-only-parser.js';

const parser = createRequire(import.meta.url)('socket.io-parser') as typeof parserModule;
const encode = (data: unknown[]): string => new parser.Encoder().encode({ type: parser.PacketType.EVENT, nsp: '/', data })[0] as string;

describe('the version-only decoder of the load generator', () => {
  it('reads a game:state as its code and version only', () => {
    const view = { code: 'ABCD', version: 41, run: 2, state: { deep: [1, 2, { version: 7 }] }, choices: [] };
    expect(decodeOne(versionOnlyParser, encode(['game:state', view])).data).toEqual(['game:state', { code: 'ABCD', version: 41 }]);
  });

  it('reads a game:step delta as its code and version only', () => {
    const delta = { code: 'ABCD', version: 42, run: 2, step: { actor: 'reaper', step: 'R1', by: { kind: 'bot', bot: 'lazy' } }, events: [], referee: { known: true }, result: null };
    expect(decodeOne(versionOnlyParser, encode(['game:step', delta])).data).toEqual(['game:step', { code: 'ABCD', version: 42 }]);
  });

  it("reads the echo server's state the same way", () => {
    expect(decodeOne(versionOnlyParser, encode(['state', { code: 'echo3', version: 9, blob: 'xx' }])).data).toEqual(['state', { code: 'echo3', version: 9 }]);
  });

  it('decodes every other packet as the default parser does', () => {
    for (const data of [['room:state', { code: 'ABCD', version: 3 }], ['game:state', { version: 1, code: 'X' }], ['state', 'text']]) {
      const s = encode(data);
      expect(decodeOne(versionOnlyParser, s)).toEqual(decodeOne(parser, s));
    }
    const ack = new parser.Encoder().encode({ type: parser.PacketType.ACK, nsp: '/', id: 5, data: [{ ok: true }] })[0] as string;
    expect(decodeOne(versionOnlyParser, ack)).toEqual(decodeOne(parser, ack));
  });
});
