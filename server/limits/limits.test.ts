import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { addressKey, addressResolver, parseTrustProxy } from './address.js';
import { KeyedBuckets } from './buckets.js';
import { limitsFromEnv } from './config.js';
import { CreationLimits } from './creations.js';

const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;

function clockAt(t = 0): Clock & { t: number } {
  const c = { t, now: () => c.t } as unknown as Clock & { t: number };
  return c;
}

describe('client addresses', () => {
  it('ignore X-Forwarded-For unless the proxy is trusted, and then take the hop it names', () => {
    expect(addressResolver(false)(req('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(addressResolver('loopback')(req('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(addressResolver('loopback')(req('198.51.100.1', '203.0.113.9'))).toBe('198.51.100.1');
    // One hop trusted: a client's own forged entry further left is not believed.
    expect(addressResolver(1)(req('10.0.0.2', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
  });

  it('count IPv6 by its /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('read the trust setting like express', () => {
    expect([undefined, '', 'false', 'true', '2', 'loopback, 10.0.0.0/8'].map(parseTrustProxy)).toEqual([false, false, false, true, 2, ['loopback', '10.0.0.0/8']]);
  });
});

describe('limits from the environment', () => {
  it('reads what it is given and refuses what it cannot read', () => {
    expect(limitsFromEnv({ REAPLAB_LIMIT_CONNECTIONS: '5', REAPLAB_LIMIT_CREATES: '3,2', REAPLAB_ORIGINS: 'https://a.example, http://b.example:8080', REAPLAB_TRUST_PROXY: '1' })).toEqual({
      connectionsPerAddress: 5, createsPerAddress: { burst: 3, perMinute: 2 }, origins: ['https://a.example', 'http://b.example:8080'], trustProxy: 1,
    });
    expect(() => limitsFromEnv({ REAPLAB_LIMIT_CONNECTIONS: 'many' })).toThrow(/REAPLAB_LIMIT_CONNECTIONS/);
    expect(() => limitsFromEnv({ REAPLAB_LIMIT_CODE_LOOKUPS: '20' })).toThrow(/burst,perMinute/);
    expect(() => limitsFromEnv({ REAPLAB_ORIGINS: 'https://a.example/path' })).toThrow(/not an origin/);
  });
});

describe('buckets', () => {
  it('refill at their rate, and a refusal takes nothing from the other bucket', () => {
    const clock = clockAt();
    const b = new KeyedBuckets({ burst: 2, perMinute: 1 }, clock);
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('b')]).toEqual([true, true, false, true]);
    expect(b.waitMs('a')).toBe(60_000);
    clock.t += 60_000;
    expect(b.take('a')).toBe(true);
    const c = new CreationLimits({ perConnection: { burst: 1, perMinute: 1 }, perAddress: { burst: 2, perMinute: 1 }, clock });
    expect(c.take('room', { connection: 'x', address: 'A' })).toBeNull();
    expect(c.take('room', { connection: 'x', address: 'A' })).toMatch(/this connection/);
    expect(c.take('room', { connection: 'y', address: 'A' })).toBeNull(); // the refusal above took nothing from A
    expect(c.take('room', { connection: 'z', address: 'A' })).toMatch(/your address/);
    expect(c.take('class', { connection: 'z', address: 'A' })).toBeNull();
  });
});
