import { describe, expect, it } from 'vitest';
import { activityCounts, activityOf, activityWords, IDLE_AFTER_MS } from './class-activity.js';

describe('class activity', () => {
  it('away without a connection, idle after a quiet minute (counting the time since the view came), else playing', () => {
    expect(activityOf({ connected: false, quietMs: 0 }, 0)).toEqual({ kind: 'away' });
    expect(activityOf({ connected: true, quietMs: IDLE_AFTER_MS - 1 }, 0)).toEqual({ kind: 'playing' });
    expect(activityOf({ connected: true, quietMs: IDLE_AFTER_MS - 1000 }, 1000)).toEqual({ kind: 'idle', minutes: 1 });
    expect(activityOf({ connected: true, quietMs: 150_000 }, 0)).toEqual({ kind: 'idle', minutes: 2 });
    expect(activityOf({ connected: true, quietMs: 10 }, -5000)).toEqual({ kind: 'playing' });
    expect(activityWords({ kind: 'idle', minutes: 3 })).toBe('idle 3 min');
  });

  it('counts the students of every room', () => {
    const p = (connected: boolean, quietMs: number) => ({ id: 'x', name: 'n', role: 'victim' as const, connected, host: false, quietMs });
    const room = (players: ReturnType<typeof p>[]) => ({ code: 'R', players, free: [], bots: { victim: null, reaper: null, allocator: null }, run: 1, steps: 0, ended: null, runs: 0, found: [], lastOutcome: null });
    expect(activityCounts([room([p(true, 0), p(false, 0)]), room([p(true, 90_000)])], 0)).toEqual({ playing: 1, idle: 1, away: 1 });
  });
});
