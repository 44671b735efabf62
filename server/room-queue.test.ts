import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './room-queue.js';

const later = <T>(v: T, ms = 5) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe('KeyedQueue', () => {
  it('runs the operations of one key one after another, in the order asked, even when each awaits', async () => {
    const q = new KeyedQueue();
    const seen: string[] = [];
    const op = (name: string, ms: number) => q.run('room', async () => {
      seen.push(`${name} start`);
      await later(null, ms);
      seen.push(`${name} end`);
      return name;
    });
    const got = await Promise.all([op('a', 20), op('b', 1), op('c', 5)]);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('runs different keys in parallel', async () => {
    const q = new KeyedQueue();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = q.run('A', async () => { seen.push('A start'); await gate; seen.push('A end'); });
    const fast = q.run('B', () => { seen.push('B'); });
    await fast;
    expect(seen).toEqual(['A start', 'B']);
    expect(q.busy('A')).toBe(true);
    release();
    await slow;
    expect(seen).toEqual(['A start', 'B', 'A end']);
  });

  it('a failing operation rejects its own caller only; the next one still runs', async () => {
    const q = new KeyedQueue();
    const first = q.run('k', () => { throw new Error('boom'); });
    const second = q.run('k', async () => { await later(1); return 'ran'; });
    const third = q.run('k', () => Promise.reject(new Error('late boom')));
    const fourth = q.run('k', () => 4);
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ran');
    await expect(third).rejects.toThrow('late boom');
    await expect(fourth).resolves.toBe(4);
  });

  it('forgets a key once its last operation settled', async () => {
    const q = new KeyedQueue();
    const p = q.run('k', () => later('x'));
    expect(q.busy('k')).toBe(true);
    expect(q.size).toBe(1);
    await p;
    expect(q.busy('k')).toBe(false);
    expect(q.size).toBe(0);
  });

  it('an operation queued from inside another of a different key does not wait for the first', async () => {
    const q = new KeyedQueue();
    const got = await q.run('class', () => q.run('room', () => 'inner'));
    expect(got).toBe('inner');
  });
});
