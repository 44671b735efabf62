// Time as an injectable interface: the server never reads the wall clock, sets timers or
// defers work directly, so tests can control all three.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  /** Runs `fn` once the current turn is done (after the replies already being sent). */
  defer(fn: () => void): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  defer(fn) {
    setImmediate(fn);
  },
};
