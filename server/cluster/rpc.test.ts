// Requests between nodes against the real Redis: answers come back to the sender, binary
// survives the trip, and a request that cannot be answered fails with a typed reason.
import { afterEach, describe, expect, it } from 'vitest';
import { randomPrefix, TEST_REDIS_URL } from '../../test/cluster/services.js';
import { decode, encode, NodeRpc, RpcRemoteError, RpcUnavailable, type RpcHandler } from './rpc.js';

describe('requests between nodes (Redis inboxes)', () => {
  const open: NodeRpc[] = [];
  let prefix = '';
  const node = async (id: string, handler: RpcHandler, timeoutMs?: number) => {
    const n = await NodeRpc.open({ url: TEST_REDIS_URL, prefix, node: id, ...(timeoutMs ? { timeoutMs } : {}) }, handler);
    open.push(n);
    return n;
  };

  afterEach(async () => {
    for (const n of open.splice(0)) await n.close();
  });

  it('answers a request on the sender\'s inbox, binary included', async () => {
    prefix = randomPrefix('rpc');
    const seen: string[] = [];
    await node('b', async (from, body) => {
      seen.push(from);
      const b = body as { n: number; bytes: Uint8Array };
      return { twice: b.n * 2, bytes: b.bytes.map((x) => x + 1), back: b.bytes instanceof Uint8Array };
    });
    const a = await node('a', async () => null);
    const r = (await a.request('b', { n: 21, bytes: new Uint8Array([1, 2, 250]) })) as { twice: number; bytes: Uint8Array; back: boolean };
    expect(r.twice).toBe(42);
    expect(r.back).toBe(true);
    expect([...r.bytes]).toEqual([2, 3, 251]);
    expect(seen).toEqual(['a']);
  });

  it('fails at once when nobody listens on the node\'s inbox', async () => {
    prefix = randomPrefix('rpc');
    const a = await node('a', async () => null, 10_000);
    const t0 = Date.now();
    const e = await a.request('gone', { x: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcUnavailable);
    expect((e as RpcUnavailable).reason).toBe('no_listener');
    expect((e as RpcUnavailable).code).toBe('unavailable');
    // Well before the timeout: the node's absence is known from Redis, not waited for.
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('fails with a timeout when the node does not answer in time, and ignores its late answer', async () => {
    prefix = randomPrefix('rpc');
    let release: () => void = () => {};
    const answered = new Promise<void>((r) => { release = r; });
    await node('slow', () => new Promise((r) => { void answered.then(() => r('late')); }));
    const a = await node('a', async () => null);
    const e = await a.request('slow', {}, 300).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcUnavailable);
    expect((e as RpcUnavailable).reason).toBe('timeout');
    release();
    // The next request still gets its own answer, not the late one.
    const fast = await node('fast', async () => 'fast');
    expect(fast).toBeDefined();
    expect(await a.request('fast', {})).toBe('fast');
  });

  it('fails a waiting request as gone when its node stops listening, well before the timeout', async () => {
    prefix = randomPrefix('rpc');
    const b = await NodeRpc.open({ url: TEST_REDIS_URL, prefix, node: 'b' }, () => new Promise(() => {}));
    const a = await node('a', async () => null, 20_000);
    const t0 = Date.now();
    const p = a.request('b', {}).catch((x: unknown) => x);
    setTimeout(() => void b.close(), 200);
    const e = await p;
    expect(e).toBeInstanceOf(RpcUnavailable);
    expect((e as RpcUnavailable).reason).toBe('gone');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('passes a handler\'s failure back as RpcRemoteError', async () => {
    prefix = randomPrefix('rpc');
    await node('b', async () => { throw new Error('no such home'); });
    const a = await node('a', async () => null);
    const e = await a.request('b', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcRemoteError);
    expect((e as Error).message).toContain('no such home');
  });

  it('delivers a notice to every other node, not to its sender', async () => {
    prefix = randomPrefix('rpc');
    const got: string[] = [];
    const a = await node('a', async () => null);
    const b = await node('b', async () => null);
    const c = await node('c', async () => null);
    const all = new Promise<void>((resolve) => {
      for (const [name, n] of [['a', a], ['b', b], ['c', c]] as const) {
        n.onNotice((from, body) => {
          got.push(`${name}<-${from}:${(body as { home: string }).home}`);
          if (got.length === 2) resolve();
        });
      }
    });
    await a.notifyAll({ home: 'ABCD' });
    await all;
    // One more round trip, so a copy to the sender would have arrived by now.
    expect(await b.request('c', {}).then(() => 'ok')).toBe('ok');
    expect(got.sort()).toEqual(['b<-a:ABCD', 'c<-a:ABCD']);
  });

  it('fails pending requests as closed when the node closes', async () => {
    prefix = randomPrefix('rpc');
    await node('b', () => new Promise(() => {}));
    const a = await NodeRpc.open({ url: TEST_REDIS_URL, prefix, node: 'a' }, async () => null);
    const p = a.request('b', {}).catch((x: unknown) => x);
    await a.close();
    const e = await p;
    expect(e).toBeInstanceOf(RpcUnavailable);
    expect((e as RpcUnavailable).reason).toBe('closed');
  });

  it('encodes nested binary and leaves look-alike objects alone', () => {
    const m = decode(encode({ a: [new Uint8Array([0, 255])], b: { $b64: 'x', other: 1 } })) as { a: Uint8Array[]; b: unknown };
    expect([...m.a[0]!]).toEqual([0, 255]);
    expect(m.b).toEqual({ $b64: 'x', other: 1 });
  });
});
