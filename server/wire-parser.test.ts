import { describe, expect, it } from 'vitest';
import * as parser from 'socket.io-parser';
import { jsonBroadcastParser } from './wire-parser.js';

const encoded = (p: typeof parser, data: unknown[]) => new p.Encoder().encode({ type: parser.PacketType.EVENT, nsp: '/', data });

describe('jsonBroadcastParser', () => {
  const wire = jsonBroadcastParser();
  const view = { code: 'ABCDEF', version: 3, state: { pages: [1, 2, 3], outcome: null }, actions: [{ actor: 'victim', step: 'V1' }] };

  it('encodes a room broadcast to the same string as the default parser', () => {
    for (const event of ['game:state', 'game:step', 'room:state', 'class:state']) {
      expect(encoded(wire, [event, view])).toEqual(encoded(parser, [event, view]));
    }
  });

  it('does not walk a room broadcast for binary attachments (its views hold none)', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(encoded(parser, ['game:state', { bytes }])).toHaveLength(2);
    expect(encoded(wire, ['game:state', { bytes }])).toHaveLength(1);
  });

  it('leaves every other packet to the default encoder, binary attachments included', () => {
    const bytes = Buffer.from([1, 2, 3]);
    const other = encoded(wire, ['notebook:update', { data: bytes }]);
    expect(other).toEqual(encoded(parser, ['notebook:update', { data: bytes }]));
    expect(other).toHaveLength(2);
    expect(other[1]).toEqual(bytes);
    const ack = new wire.Encoder().encode({ type: parser.PacketType.ACK, nsp: '/', id: 7, data: [{ ok: true }] });
    expect(ack).toEqual(new parser.Encoder().encode({ type: parser.PacketType.ACK, nsp: '/', id: 7, data: [{ ok: true }] }));
  });

  it('decodes as the default parser does', () => {
    const d = new wire.Decoder();
    const got: unknown[] = [];
    d.on('decoded', (p: parser.Packet) => { got.push(p.data); });
    d.add(encoded(parser, ['game:state', view])[0] as string);
    expect(got).toEqual([['game:state', view]]);
  });
});
