// A compact, exact set of fixed-width state vectors for the explorer. States live in
// chunked word arrays in discovery order (for breadth-first search that order is the
// queue); an open-addressing table of (hash, index) pairs finds them. No Map or Set is
// involved, so the store is not bounded by V8's 2^24-entry limit: it holds as many states
// as memory allows. Alongside each state it keeps the predecessor index and the actor that
// led to it, recorded once, on first discovery.
//
// Vectors are handled as 32-bit words (the encoding is padded to a multiple of four
// bytes): hashing and comparing a word at a time is what keeps the hot path fast, and the
// hash kept in the table rejects most mismatches without touching the state itself.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.6;

/** murmur3-style hash of `words` 32-bit words starting at word index `at`. Never 0. */
export function hashWords(v: Uint32Array, at: number, words: number): number {
  let h = 0x9747b28c;
  for (let i = at; i < at + words; i++) {
    let k = Math.imul(v[i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) || 1;
}

export class StateStore {
  /** Width of a vector in bytes (a multiple of 4). */
  readonly width: number;
  readonly words: number;
  private chunks: Uint8Array[] = [];
  private chunkWords: Uint32Array[] = [];
  private preds: Int32Array[] = [];
  private acts: Uint8Array[] = [];
  /** Pairs (hash, index + 1); hash 0 marks an empty slot. */
  private table: Uint32Array;
  private slotMask: number;
  private _size = 0;

  constructor(width: number, initialCapacity = 1 << 12) {
    if (width % 4 !== 0) throw new Error('StateStore width must be a multiple of 4');
    this.width = width;
    this.words = width / 4;
    let cap = 1 << 10;
    while (cap * MAX_LOAD < initialCapacity) cap <<= 1;
    this.table = new Uint32Array(cap * 2);
    this.slotMask = cap - 1;
  }

  get size(): number {
    return this._size;
  }

  /** Bytes held by the store's arrays (the figure behind "bytes per state"). */
  get bytes(): number {
    const perChunk = CHUNK * (this.width + 4 + 1);
    return this.chunks.length * perChunk + this.table.byteLength;
  }

  /** Bytes a state costs once chunks are full: vector, predecessor, actor, table share. */
  get bytesPerStateAsymptotic(): number {
    return this.width + 4 + 1 + this.table.byteLength / Math.max(1, this._size);
  }

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

  /** Index of the vector held in v (words 0..), or -1. */
  find(v: Uint32Array): number {
    const h = hashWords(v, 0, this.words);
    let slot = h & this.slotMask;
    for (;;) {
      const th = this.table[slot * 2]!;
      if (th === 0) return -1;
      if (th === h) {
        const i = this.table[slot * 2 + 1]! - 1;
        if (this.equals(i, v)) return i;
      }
      slot = (slot + 1) & this.slotMask;
    }
  }

  /**
   * Adds the vector held in v unless present. Returns its new index, or -1 - existing
   * index when it was already there (one probe sequence either way).
   */
  add(v: Uint32Array, pred: number, actor: number): number {
    const h = hashWords(v, 0, this.words);
    let slot = h & this.slotMask;
    for (;;) {
      const th = this.table[slot * 2]!;
      if (th === 0) break;
      if (th === h) {
        const i = this.table[slot * 2 + 1]! - 1;
        if (this.equals(i, v)) return -1 - i;
      }
      slot = (slot + 1) & this.slotMask;
    }
    const i = this._size;
    const c = i >>> CHUNK_BITS;
    if ((i & MASK) === 0) {
      const bytes = new Uint8Array(CHUNK * this.width);
      this.chunks.push(bytes);
      this.chunkWords.push(new Uint32Array(bytes.buffer));
      this.preds.push(new Int32Array(CHUNK));
      this.acts.push(new Uint8Array(CHUNK));
    }
    const words = this.chunkWords[c]!;
    const base = (i & MASK) * this.words;
    for (let k = 0; k < this.words; k++) words[base + k] = v[k]!;
    this.preds[c]![i & MASK] = pred;
    this.acts[c]![i & MASK] = actor;
    this.table[slot * 2] = h;
    this.table[slot * 2 + 1] = i + 1;
    this._size = i + 1;
    if (this._size > (this.slotMask + 1) * MAX_LOAD) this.grow();
    return i;
  }

  private equals(i: number, v: Uint32Array): boolean {
    const words = this.chunkWords[i >>> CHUNK_BITS]!;
    const base = (i & MASK) * this.words;
    for (let k = 0; k < this.words; k++) if (words[base + k] !== v[k]) return false;
    return true;
  }

  private grow(): void {
    const cap = (this.slotMask + 1) * 2;
    const old = this.table;
    const table = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let s = 0; s < old.length; s += 2) {
      const h = old[s]!;
      if (h === 0) continue;
      let slot = h & mask;
      while (table[slot * 2] !== 0) slot = (slot + 1) & mask;
      table[slot * 2] = h;
      table[slot * 2 + 1] = old[s + 1]!;
    }
    this.table = table;
    this.slotMask = mask;
  }
}
