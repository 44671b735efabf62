// Symmetry reduction for the scaling extension (REFERENCE §6): which actors are
// interchangeable, and the canonical form of a packed state under their permutations.
//
// Allocators. Every allocator runs the same program, and the semantics (machine.ts) read an
// allocator's index in two places only: its `need` (try_alloc, out_of_memory, oom_wait,
// needless_kill) and "a held M belongs to allocator 1" (try_alloc releases M only for
// allocator 1). Everything else they touch is shared (free, kills, the victim's flags) or
// is a test over all of them (success, lockup). So allocators with equal need are
// interchangeable — allocator 1 among them only in a state where M is not held. Nothing
// ever takes M, so once it is free it stays free and allocator 1 stays interchangeable from
// then on; while it is held, allocator 1 is left in place and only the others move. Then
// swapping two interchangeable allocators in a state commutes with every step, and the
// state's orbit is a bisimulation class: every outcome and every shortest length are those
// of the unreduced search (symmetry.test.ts checks it).
//
// Bystanders. W1…Wk with equal rss would be interchangeable, but the OOM killer takes them
// in config order, so in every reachable state the gone ones are a prefix and no two
// reachable states differ only by a permutation of bystanders: there is nothing to merge,
// and their fields are left as they are (symmetry.test.ts checks the prefix property).
//
// The canonical form sorts each class's (pc, satisfied) pairs in ascending order.

import { fingerprintOf, pack } from './encode.js';
import { FIRST_ALLOCATOR, actorId } from './machine.js';
import type { PackedState } from './packed.js';
import type { ActorId, Scenario, State } from './types.js';

export class Symmetry {
  /** Classes of interchangeable allocators (0-based indices, each of two or more, equal need). */
  readonly classes: readonly (readonly number[])[];
  /** The same classes without allocator 0, for states where it holds M (null: same as classes). */
  private readonly whileHeld: readonly (readonly number[])[];
  private readonly keys: Int32Array;

  constructor(classes: number[][], mHeldAtStart: boolean) {
    this.classes = classes;
    this.whileHeld = mHeldAtStart
      ? classes.map((c) => c.filter((k) => k !== 0)).filter((c) => c.length > 1)
      : classes;
    this.keys = new Int32Array(Math.max(0, ...classes.map((c) => c.length)));
  }

  /** The classes as actor ids. */
  actors(scenario: Scenario): ActorId[][] {
    return this.classes.map((c) => c.map((k) => actorId(scenario, FIRST_ALLOCATOR + k)));
  }

  /** Rewrites p in place into its orbit's canonical form. */
  canonicalise(p: PackedState): void {
    const classes = p.mHeld ? this.whileHeld : this.classes;
    const keys = this.keys;
    for (let c = 0; c < classes.length; c++) {
      const members = classes[c]!;
      const n = members.length;
      // insertion sort of the members' (pc, satisfied) as pc * 2 + satisfied
      for (let i = 0; i < n; i++) {
        const k = members[i]!;
        const key = p.allocatorPc(k) * 2 + (p.satisfied(k) ? 1 : 0);
        let j = i;
        while (j > 0 && keys[j - 1]! > key) { keys[j] = keys[j - 1]!; j--; }
        keys[j] = key;
      }
      for (let i = 0; i < n; i++) {
        const k = members[i]!;
        const key = keys[i]!;
        p.setAllocatorPc(k, key >> 1);
        p.setSatisfied(k, (key & 1) === 1);
      }
    }
  }
}

/** The scenario's symmetry, or null when no two allocators are interchangeable. */
export function symmetryOf(scenario: Scenario): Symmetry | null {
  const byNeed = new Map<number, number[]>();
  scenario.config.need.forEach((n, k) => {
    const c = byNeed.get(n);
    if (c) c.push(k); else byNeed.set(n, [k]);
  });
  const classes = [...byNeed.values()].filter((c) => c.length > 1);
  return classes.length ? new Symmetry(classes, scenario.config.mHeld) : null;
}

/** A state's fingerprint up to symmetry: that of its orbit's canonical form (the plain fingerprint when there is no symmetry). */
export function canonicalFingerprint(s: State): string {
  const p = pack(s);
  symmetryOf(s.scenario)?.canonicalise(p);
  return fingerprintOf(p);
}
