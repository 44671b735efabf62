// The group commit of steps: what one turn queues is one transaction; each step is answered
// only after that commit has returned, and a commit that fails refuses every step in it.

import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { StepCommitter } from './step-commit.js';
import { roomRecord } from './store/contract.js';
import type { StepWrite } from './store/port.js';
import { SqliteStore } from './store/sqlite.js';

/** A clock whose deferred work runs only when the test says. */
function manualClock(): Clock & { runDeferred(): void } {
  const deferred: (() => void)[] = [];
  return {
    now: () => 0,
    setTimeout: () => ({ cancel() {} }),
    defer: (fn) => { deferred.push(fn); },
    runDeferred: () => { for (const fn of deferred.splice(0)) fn(); },
  };
}

const by = { kind: 'bot' as const, bot: 'lazy' as const };
const write = (code: string, index: number): StepWrite => ({ code, index, step: { actor: 'victim', step: `V${index}`, by }, patch: { version: index + 1 }, finish: null });
const settled = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(() => { state = 'stored'; }, () => { state = 'refused'; });
  // Let every callback already due run.
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
};

describe('StepCommitter', () => {
  it('answers a step only after the commit that holds it; the steps of one turn share one commit', async () => {
    const store = new SqliteStore(':memory:');
    store.createRoom(roomRecord('ROOMAA'), null);
    store.createRoom(roomRecord('ROOMBB'), null);
    const batches: number[] = [];
    const real = store.appendActions.bind(store);
    store.appendActions = (steps) => { batches.push(steps.length); real(steps); };
    const clock = manualClock();
    const c = new StepCommitter(store, clock);
    const a = c.append(write('ROOMAA', 0));
    const b = c.append(write('ROOMBB', 0));
    expect(await settled(a)).toBe('pending');
    expect(store.loadRoom('ROOMAA')!.actions).toEqual([]);
    clock.runDeferred();
    expect(await settled(a)).toBe('stored');
    expect(await settled(b)).toBe('stored');
    expect(batches).toEqual([2]);
    expect(store.loadRoom('ROOMAA')!.room.version).toBe(1);
    expect(store.loadRoom('ROOMBB')!.room.version).toBe(1);
    // The next turn is the next commit.
    const next = c.append(write('ROOMAA', 1));
    clock.runDeferred();
    await next;
    expect(batches).toEqual([2, 1]);
    expect(c.stats).toEqual({ commits: 2, steps: 3 });
    store.close();
  });

  it('a commit that fails refuses every step in it with the store\'s error and stores none of them', async () => {
    const store = new SqliteStore(':memory:');
    store.createRoom(roomRecord('ROOMAA'), null);
    store.createRoom(roomRecord('ROOMBB'), null);
    store.appendAction('ROOMBB', 0, write('ROOMBB', 0).step, { version: 1 }, null);
    const clock = manualClock();
    const c = new StepCommitter(store, clock);
    // ROOMBB's index 0 is taken: the commit fails, and ROOMAA's step, in the same commit, is refused too.
    const a = c.append(write('ROOMAA', 0)).then(() => null, (e: unknown) => e);
    const b = c.append(write('ROOMBB', 0)).then(() => null, (e: unknown) => e);
    clock.runDeferred();
    expect(String(await a)).toMatch(/UNIQUE|constraint/i);
    expect(await b).toBe(await a);
    expect(store.loadRoom('ROOMAA')!.actions).toEqual([]);
    expect(store.loadRoom('ROOMAA')!.room.version).toBe(0);
    expect(store.loadRoom('ROOMBB')!.room.version).toBe(1);
    expect(c.stats).toEqual({ commits: 0, steps: 0 });
    // The committer goes on: the next turn's step is stored.
    const again = c.append(write('ROOMAA', 0));
    clock.runDeferred();
    await again;
    expect(store.loadRoom('ROOMAA')!.room.version).toBe(1);
    store.close();
  });
});
