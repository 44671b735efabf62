// A compact, exact set of fixed-width state vectors for the explorer. States live in
// chunked byte arrays in discovery order (for breadth-first search that order is the
// queue); an open-addressing table of 32-bit indices finds them by hash. No Map or Set
// is involved, so the store is not bounded by V8's 2^24-entry limit: it holds as many
// states as memory allows. Alongside each state it keeps the predecessor index and the
// actor that led to it, recorded once, on first discovery.

import { hashBytes } from './encode.js';

const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.6;

export class StateStore {
  readonly width: number;
  private chunks: Uint8Array[] = [];
  private preds: Int32Array[] = [];
  private acts: Uint8Array[] = [];
  private table: Int32Array;
  private tableMask: number;
  private _size = 0;

  constructor(width: number, initialCapacity = 1 << 16) {
    this.width = width;
    let cap = 1 << 10;
    while (cap * MAX_LOAD < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap);
    this.tableMask = cap - 1;
  }

  get size(): number {
    return this._size;
  }

  /** Bytes held by the store's arrays (the figure behind "bytes per state"). */
  get bytes(): number {
    const perChunk = CHUNK * this.width + CHUNK * 4 + CHUNK;
    return this.chunks.length * perChunk + this.table.byteLength;
  }

  /** The chunk holding state i, and i's byte offset in it. */
  chunkOf(i: number): Uint8Array {
    return this.chunks[i >>> CHUNK_BITS]!;
  }

  offsetOf(i: number): number {
    return (i & MASK) * this.width;
  }

  pred(i: number): number {
    return this.preds[i >>> CHUNK_BITS]![i & MASK]!;
  }

  actor(i: number): number {
    return this.acts[i >>> CHUNK_BITS]![i & MASK]!;
  }

  /** Index of the vector in buf[at..], or -1. */
  find(buf: Uint8Array, at: number): number {
    const w = this.width;
    let slot = hashBytes(buf, at, w) & this.tableMask;
    for (;;) {
      const e = this.table[slot]!;
      if (e === 0) return -1;
      if (this.equals(e - 1, buf, at)) return e - 1;
      slot = (slot + 1) & this.tableMask;
    }
  }

  /**
   * Adds the vector in buf[at..] unless present. Returns its new index, or -1 - existing
   * index when it was already there (so callers can tell the two apart with one call).
   */
  add(buf: Uint8Array, at: number, pred: number, actor: number): number {
    const w = this.width;
    const h = hashBytes(buf, at, w);
    let slot = h & this.tableMask;
    for (;;) {
      const e = this.table[slot]!;
      if (e === 0) break;
      if (this.equals(e - 1, buf, at)) return -e;
      slot = (slot + 1) & this.tableMask;
    }
    const i = this._size;
    if ((i & MASK) === 0) {
      this.chunks.push(new Uint8Array(CHUNK * w));
      this.preds.push(new Int32Array(CHUNK));
      this.acts.push(new Uint8Array(CHUNK));
    }
    this.chunkOf(i).set(buf.subarray(at, at + w), this.offsetOf(i));
    this.preds[i >>> CHUNK_BITS]![i & MASK] = pred;
    this.acts[i >>> CHUNK_BITS]![i & MASK] = actor;
    this.table[slot] = i + 1;
    this._size = i + 1;
    if (this._size > (this.tableMask + 1) * MAX_LOAD) this.grow();
    return i;
  }

  private equals(i: number, buf: Uint8Array, at: number): boolean {
    const c = this.chunkOf(i);
    const off = this.offsetOf(i);
    for (let k = 0; k < this.width; k++) if (c[off + k] !== buf[at + k]) return false;
    return true;
  }

  private grow(): void {
    const cap = (this.tableMask + 1) * 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < this._size; i++) {
      let slot = hashBytes(this.chunkOf(i), this.offsetOf(i), this.width) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.table = table;
    this.tableMask = mask;
  }
}
