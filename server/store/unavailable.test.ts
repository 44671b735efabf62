import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { gate, type GatedSocket } from '../gate.js';
import { silentLog } from '../log.js';
import { StaleOwnerError } from './fence.js';
import { isUnavailable, UnavailableError } from './unavailable.js';

describe('unavailable: a missing service, not a bug', () => {
  it('knows connection failures, timeouts and shutdowns, also as a cause; not bugs, bad input or a stale owner', () => {
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isUnavailable(net)).toBe(true);
    expect(isUnavailable(shutdown)).toBe(true);
    expect(isUnavailable(new Error('Query read timeout'))).toBe(true);
    expect(isUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isUnavailable(new Error('store write failed', { cause: net }))).toBe(true);
    expect(isUnavailable(new UnavailableError('the owner of the room does not answer'))).toBe(true);
    expect(isUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isUnavailable(new StaleOwnerError('ROOMAA', 1, 2))).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('the gate answers a handler that failed for want of a service with `unavailable`, any other failure with `internal`', async () => {
    let middleware: (packet: unknown[], next: (err?: Error) => void) => void = () => {};
    const socket: GatedSocket = { id: 's1', use: (fn) => { middleware = fn; } };
    gate(socket, { namespace: 'game', schemas: { save: z.object({}), bug: z.object({}) }, rateLimit: { burst: 10, perSecond: 10 }, clock: systemClock, log: silentLog, versioned: [] }, {
      save: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      bug: () => { throw new TypeError('oops'); },
    });
    const ask = (event: string) => new Promise<{ ok: boolean; error?: { code: string; message: string } }>((r) => middleware([event, {}, r], () => {}));
    const a = await ask('save');
    expect(a).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(a.error!.message).toMatch(/try again/);
    expect(await ask('bug')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
