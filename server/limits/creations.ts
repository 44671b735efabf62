// How many rooms, classes and notebooks a connection and an address may create: one bucket
// per kind for each connection and each address. A refusal takes no token from either.

import type { Clock } from '../clock.js';
import { KeyedBuckets, type Allowance } from './buckets.js';

export type CreationKind = 'room' | 'class' | 'notebook';

export interface Creator {
  connection: string;
  address: string;
}

export class CreationLimits {
  private readonly perAddress: KeyedBuckets;
  private readonly perConnection: KeyedBuckets;
  readonly stats = { refused: 0 };

  constructor(a: { perAddress: Allowance; perConnection: Allowance; clock: Clock }) {
    this.perAddress = new KeyedBuckets(a.perAddress, a.clock);
    this.perConnection = new KeyedBuckets(a.perConnection, a.clock);
  }

  /** Takes a creation of `kind` for the creator; the refusal's message, or null when allowed. */
  take(kind: CreationKind, who: Creator): string | null {
    const conn = `${kind}:${who.connection}`;
    const addr = `${kind}:${who.address}`;
    const connWait = this.perConnection.waitMs(conn);
    const addrWait = this.perAddress.waitMs(addr);
    if (connWait > 0 || addrWait > 0) {
      this.stats.refused++;
      const s = Math.ceil(Math.max(connWait, addrWait) / 1000);
      return connWait >= addrWait
        ? `this connection created ${kind === 'class' ? 'classes' : `${kind}s`} too fast; try again in ${s} s`
        : `too many ${kind === 'class' ? 'classes' : `${kind}s`} created from your address; try again in ${s} s`;
    }
    this.perConnection.take(conn);
    this.perAddress.take(addr);
    return null;
  }
}
