// A compact, exact set of fixed-width packed states for the explorer: an open-addressing
// hash table (linear probing) whose slots hold the state's words themselves, followed by
// its discovery index + 1 (0 marks an empty slot). Looking a successor up therefore touches
// one place in memory, not a table entry and then a state elsewhere. Beside it, per index:
// the predecessor and the actor that led to the state (recorded once, on first discovery),
// and a queue of the states' words in discovery order — for breadth-first search, the
// states still to expand. The queue is read in order, so expanding a state reads memory
// sequentially; chunks already expanded are released (`release`), so it holds only the
// frontier.
//
// Everything lives in typed arrays, in segments: no Map or Set (V8 caps those at 2^24
// entries) and no single array near the engines' size limits, so the store holds as many
// states as memory allows.

const SEG_BITS = 14; // table slots per segment (small, so that a doubling table holds little of both tables at once)
const CHUNK_BITS = 16; // discovery indices per chunk
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.7;
/** Placeholder for a table segment not allocated yet, or already let go, while the table doubles. */
const NO_SEGMENT = new Int32Array(0);

/** murmur3-style hash of `words` 32-bit words starting at word index `at`, as an int32 (a small integer to V8, unlike a uint32). */
export function hashWords(v: Int32Array, at: number, words: number): number {
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
  return h;
}

/** A store's lookup table as plain typed arrays: enough to find states, and to move between threads. */
export interface StateTable {
  words: number;
  segBits: number;
  slotMask: number;
  segments: Int32Array[];
}

/** Index of the state held in v[at ..] in table t, or -1. */
export function findInTable(t: StateTable, v: Int32Array, at = 0): number {
  const W = t.words;
  const SW = W + 1;
  const segMask = (1 << t.segBits) - 1;
  let slot = hashWords(v, at, W) & t.slotMask;
  for (;;) {
    const seg = t.segments[slot >>> t.segBits]!;
    const base = (slot & segMask) * SW;
    const tag = seg[base + W]!;
    if (tag === 0) return -1;
    let k = 0;
    while (k < W && seg[base + k] === v[at + k]) k++;
    if (k === W) return tag - 1;
    slot = (slot + 1) & t.slotMask;
  }
}

export class StateStore {
  /** Words in a state. */
  readonly words: number;
  /** Words in a table slot: the state, then its index + 1. */
  private readonly slotWords: number;
  private segments: Int32Array[] = [];
  private segBits: number;
  private slotMask: number;
  private queue: (Int32Array | null)[];
  private released = 0; // queue chunks released
  private preds: Int32Array[];
  private acts: Uint8Array[];
  private _size = 0;
  private _peakBytes = 0;
  /** What prefetch read, kept so the read is not optimised away. */
  private touched = 0;

  /** initialCapacity: states the table holds before it first doubles (a search that knows its size skips the doublings). */
  constructor(words: number, initialCapacity = 1 << 12) {
    if (!Number.isInteger(words) || words < 1) throw new Error('StateStore needs states of at least one word');
    this.words = words;
    this.slotWords = words + 1;
    let cap = 1 << 10;
    while (cap * MAX_LOAD < initialCapacity) cap <<= 1;
    [this.segments, this.segBits] = this.allocate(cap);
    this.slotMask = cap - 1;
    // The first chunk is made here, so these arrays hold objects from the start. An empty
    // literal is an array of small integers to V8: its first push of a chunk, inside the
    // explorer's optimised loop, deoptimised that loop ("not a Smi", "wrong map") in every
    // search, which then ran unoptimised until V8 compiled it again.
    this.queue = [new Int32Array(CHUNK * words)];
    this.preds = [new Int32Array(CHUNK)];
    this.acts = [new Uint8Array(CHUNK)];
  }

  get size(): number {
    return this._size;
  }

  /** Bytes held by the store's arrays now. */
  get bytes(): number {
    let table = 0;
    for (const s of this.segments) table += s.byteLength;
    const queued = (this.queue.length - this.released) * CHUNK * 4 * this.words;
    return table + this.preds.length * CHUNK * (4 + 1) + queued;
  }

  /** The most bytes the store held at once (the figure behind "bytes per state"). */
  get peakBytes(): number {
    return Math.max(this._peakBytes, this.bytes);
  }

  pred(i: number): number {
    return this.preds[i >>> CHUNK_BITS]![i & MASK]!;
  }

  actor(i: number): number {
    return this.acts[i >>> CHUNK_BITS]![i & MASK]!;
  }

  /** Copies state i's words into out[at ..] (i must not have been released). */
  load(i: number, out: Int32Array, at = 0): void {
    const chunk = this.queue[i >>> CHUNK_BITS];
    if (!chunk) throw new Error(`state ${i} was released from the queue`);
    const base = (i & MASK) * this.words;
    for (let k = 0; k < this.words; k++) out[at + k] = chunk[base + k]!;
  }

  /** Frees the queue's words of every state below index i (they will not be loaded again). */
  release(i: number): void {
    while (this.released < (i >>> CHUNK_BITS)) this.queue[this.released++] = null;
  }

  /** Index of the state held in v[at ..], or -1. */
  find(v: Int32Array, at = 0): number {
    return findInTable(this.table(), v, at);
  }

  /** The lookup table alone (what find() reads), shared, not copied: a graph keeps only this. */
  table(): StateTable {
    return { words: this.words, segBits: this.segBits, slotMask: this.slotMask, segments: this.segments };
  }

  /** The hash of the state held in v[at ..], for add(). */
  hashOf(v: Int32Array, at: number): number {
    return hashWords(v, at, this.words);
  }

  /**
   * Reads the table where each of the first n hashes would go, so that the add()s that
   * follow find their slots in cache: a tight loop of independent loads overlaps their
   * cache misses (a prefetch; hashing between them would leave too few in flight).
   */
  prefetch(hashes: Int32Array, n: number): void {
    const segBits = this.segBits;
    const segMask = (1 << segBits) - 1;
    const mask = this.slotMask;
    const SW = this.slotWords;
    const segs = this.segments;
    let x = 0;
    for (let j = 0; j < n; j++) {
      const slot = hashes[j]! & mask;
      x ^= segs[slot >>> segBits]![(slot & segMask) * SW]!;
    }
    this.touched ^= x;
  }

  /**
   * Adds the state held in v[at ..] (whose hashOf is h) unless present. Returns its new
   * index, or -1 - existing index when it was already there (one probe sequence either way).
   */
  add(v: Int32Array, at: number, h: number, pred: number, actor: number): number {
    const W = this.words;
    const SW = this.slotWords;
    const segBits = this.segBits;
    const segMask = (1 << segBits) - 1;
    let slot = h & this.slotMask;
    for (;;) {
      const seg = this.segments[slot >>> segBits]!;
      const base = (slot & segMask) * SW;
      const tag = seg[base + W]!;
      if (tag === 0) {
        const i = this._size;
        for (let k = 0; k < W; k++) seg[base + k] = v[at + k]!;
        seg[base + W] = i + 1;
        this.record(i, v, at, pred, actor);
        this._size = i + 1;
        if (this._size > (this.slotMask + 1) * MAX_LOAD) this.grow();
        return i;
      }
      let k = 0;
      while (k < W && seg[base + k] === v[at + k]) k++;
      if (k === W) return -tag; // -1 - (tag - 1)
      slot = (slot + 1) & this.slotMask;
    }
  }

  private record(i: number, v: Int32Array, at: number, pred: number, actor: number): void {
    const c = i >>> CHUNK_BITS;
    if (c === this.preds.length) {
      this._peakBytes = Math.max(this._peakBytes, this.bytes);
      this.queue.push(new Int32Array(CHUNK * this.words));
      this.preds.push(new Int32Array(CHUNK));
      this.acts.push(new Uint8Array(CHUNK));
    }
    const q = this.queue[c]!;
    const base = (i & MASK) * this.words;
    for (let k = 0; k < this.words; k++) q[base + k] = v[at + k]!;
    this.preds[c]![i & MASK] = pred;
    this.acts[c]![i & MASK] = actor;
  }

  /** Table segments for cap slots (cap a power of two). */
  private allocate(cap: number): [Int32Array[], number] {
    const bits = Math.min(SEG_BITS, 31 - Math.clz32(cap));
    const segs: Int32Array[] = [];
    for (let n = 0; n < cap >>> bits; n++) segs.push(new Int32Array((1 << bits) * this.slotWords));
    return [segs, bits];
  }

  private grow(): void {
    const W = this.words;
    const SW = this.slotWords;
    const old = this.segments;
    let held = 0;
    for (const seg of old) held += seg.byteLength;
    const rest = this.bytes - held; // the queue, predecessors and actors
    const cap = (this.slotMask + 1) * 2;
    const bits = Math.min(SEG_BITS, 31 - Math.clz32(cap));
    const segBytes = (1 << bits) * SW * 4;
    // A new segment is allocated when first written and an old one let go once its states
    // have moved, so the store never holds both tables whole: little more than the new one.
    const segs: Int32Array[] = Array.from({ length: cap >>> bits }, () => NO_SEGMENT);
    const segment = (n: number): Int32Array => {
      let to = segs[n]!;
      if (to === NO_SEGMENT) {
        to = segs[n] = new Int32Array(segBytes / 4);
        held += segBytes;
        this._peakBytes = Math.max(this._peakBytes, rest + held);
      }
      return to;
    };
    const mask = cap - 1;
    const segMask = (1 << bits) - 1;
    for (let n = 0; n < old.length; n++) {
      const seg = old[n]!;
      for (let base = 0; base < seg.length; base += SW) {
        const tag = seg[base + W]!;
        if (tag === 0) continue;
        let slot = hashWords(seg, base, W) & mask;
        for (;;) {
          const to = segment(slot >>> bits);
          const tb = (slot & segMask) * SW;
          if (to[tb + W] === 0) {
            for (let k = 0; k <= W; k++) to[tb + k] = seg[base + k]!;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
      held -= seg.byteLength;
      old[n] = NO_SEGMENT;
    }
    for (let n = 0; n < segs.length; n++) segment(n);
    this.segments = segs;
    this.segBits = bits;
    this.slotMask = mask;
  }
}
