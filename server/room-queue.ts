// A serial queue per key: what runs for one key (a room, a class, a notebook) runs one
// after another, in the order it was asked for, while different keys run in parallel.
// With a store that answers later (PostgreSQL), an operation awaits between its checks and
// its write; the queue keeps a second operation on the same room from coming between
// them, so "checked, stored, then applied" stays one step per room. An operation that
// throws or rejects does not stop the ones behind it.

interface Line {
  /** Settles when the last operation queued so far has; never rejects. */
  tail: Promise<void>;
  /** Operations running or waiting. */
  count: number;
}

const nothing = () => undefined;

export class KeyedQueue {
  private readonly lines = new Map<string, Line>();

  /** Runs `fn` after every operation already queued for `key`; resolves (or rejects) with its result. */
  run<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
    let line = this.lines.get(key);
    if (!line) {
      line = { tail: Promise.resolve(), count: 0 };
      this.lines.set(key, line);
    }
    const mine = line;
    mine.count++;
    // The count drops before the caller hears back, so busy() is already false when it does.
    const result = mine.tail.then(fn).finally(() => {
      if (--mine.count === 0 && this.lines.get(key) === mine) this.lines.delete(key);
    });
    mine.tail = result.then(nothing, nothing);
    return result;
  }

  /** Whether an operation of `key` is running or waiting. */
  busy(key: string): boolean {
    return this.lines.has(key);
  }

  /** How many keys have operations running or waiting. */
  get size(): number {
    return this.lines.size;
  }
}
