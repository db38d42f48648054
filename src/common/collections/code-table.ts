import { releaseArrayBuffer } from './release-buffer';

/** Slot position of a 128-bit code (any 32-bit value; spreading is the hash's job). */
export type CodeHash = (w0: number, w1: number, w2: number, w3: number) => number;

/** A murmur3-style mix of the four words. */
export const mixCode: CodeHash = (w0, w1, w2, w3) => {
  let h = Math.imul(w0, 0xcc9e2d51) ^ w1;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ w2;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ w3;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * What a table is made of, to rebuild it in another thread: over a SharedArrayBuffer (`share`,
 * nothing copied) or over an ArrayBuffer moved with the message's transfer list (`handOver`).
 */
export interface CodeTableState {
  words: ArrayBuffer | SharedArrayBuffer;
  capacity: number;
  size: number;
  hasZero: boolean;
}

const WORDS = 4;
const MAX_LOAD = 0.8;
const GROWTH = 1.5;
export const MIN_CAPACITY = 64;

/**
 * An open-addressing set of 128-bit codes: `capacity` slots of four 32-bit words in one buffer
 * (16 bytes a slot), linear probing from `hash(code) * capacity / 2^32`. The all-zero code marks
 * an empty slot, so the zero code itself is kept as a flag. It grows by half once 80 % of the
 * slots are used (after growing, 53 % are), so a million codes take 20–30 MB (≈ 21 MB when
 * reserved for them up front). Slots are
 * compared on all four words: two codes share a slot chain when their hashes collide, never a
 * slot.
 *
 * Memory: the buffer is a plain ArrayBuffer, and the one a growth replaces is freed at once
 * (releaseArrayBuffer) instead of waiting, promoted, for a full GC — left alone, the replaced
 * buffers of a table grown to a million codes add up to another ≈ 50 MB. `share()` moves the
 * table onto a SharedArrayBuffer (one copy) for a read-only view in another thread.
 */
export class CodeTable {
  private words: Uint32Array;
  private capacity: number;
  private count: number;
  private zero: boolean;

  constructor(
    private readonly hash: CodeHash,
    state?: CodeTableState,
    initialCapacity = MIN_CAPACITY,
  ) {
    if (state) {
      this.words = new Uint32Array(state.words);
      this.capacity = state.capacity;
      this.count = state.size;
      this.zero = state.hasZero;
    } else {
      this.capacity = Math.max(MIN_CAPACITY, Math.ceil(initialCapacity));
      this.words = allocate(this.capacity);
      this.count = 0;
      this.zero = false;
    }
  }

  get size(): number {
    return this.count + (this.zero ? 1 : 0);
  }

  get byteLength(): number {
    return this.words.byteLength;
  }

  has(code: Uint32Array): boolean {
    const w0 = code[0];
    const w1 = code[1];
    const w2 = code[2];
    const w3 = code[3];
    if ((w0 | w1 | w2 | w3) === 0) return this.zero;
    return this.find(w0, w1, w2, w3) >= 0;
  }

  /** Adds `code`; false when it was already there. */
  insert(code: Uint32Array): boolean {
    const w0 = code[0];
    const w1 = code[1];
    const w2 = code[2];
    const w3 = code[3];
    if ((w0 | w1 | w2 | w3) === 0) {
      if (this.zero) return false;
      this.zero = true;
      return true;
    }
    if ((this.count + 1) / this.capacity > MAX_LOAD) this.grow(Math.ceil(this.capacity * GROWTH));
    if (!place(this.hash, this.words, this.capacity, w0, w1, w2, w3)) return false;
    this.count += 1;
    return true;
  }

  /** Makes room for `entries` codes in all, so that many arrive without a growth (a size hint). */
  reserve(entries: number): void {
    const capacity = Math.ceil(entries / MAX_LOAD) + 1;
    if (capacity > this.capacity) this.grow(capacity);
  }

  /** Calls `fn` with the words array and the offset of every stored code (zero code included). */
  forEachCode(fn: (words: Uint32Array, offset: number) => void): void {
    if (this.zero) fn(new Uint32Array(WORDS), 0);
    const { words } = this;
    for (let slot = 0; slot < this.capacity; slot += 1) {
      const o = slot * WORDS;
      if ((words[o] | words[o + 1] | words[o + 2] | words[o + 3]) !== 0) fn(words, o);
    }
  }

  /** Every stored code as (words, offset), lazily; the zero code comes first when present. */
  *codes(): Generator<[Uint32Array, number]> {
    if (this.zero) yield [new Uint32Array(WORDS), 0];
    const { words } = this;
    for (let slot = 0; slot < this.capacity; slot += 1) {
      const o = slot * WORDS;
      if ((words[o] | words[o + 1] | words[o + 2] | words[o + 3]) !== 0) yield [words, o];
    }
  }

  /** The table on a SharedArrayBuffer (moved there with one copy the first time), not copied. */
  share(): CodeTableState {
    if (!(this.words.buffer instanceof SharedArrayBuffer)) {
      const shared = new Uint32Array(new SharedArrayBuffer(this.words.byteLength));
      shared.set(this.words);
      releaseArrayBuffer(this.words.buffer);
      this.words = shared;
    }
    return this.state();
  }

  /**
   * Hands the table to another thread: its state plus the buffer to put in the message's
   * transfer list (none when shared). This table is left empty.
   */
  handOver(): { state: CodeTableState; transfer: ArrayBuffer[] } {
    const state = this.state();
    const buffer = this.words.buffer;
    this.words = allocate(MIN_CAPACITY);
    this.capacity = MIN_CAPACITY;
    this.count = 0;
    this.zero = false;
    return { state, transfer: buffer instanceof SharedArrayBuffer ? [] : [buffer] };
  }

  private state(): CodeTableState {
    return {
      words: this.words.buffer,
      capacity: this.capacity,
      size: this.count,
      hasZero: this.zero,
    };
  }

  private find(w0: number, w1: number, w2: number, w3: number): number {
    const { words, capacity } = this;
    let slot = slotOf(this.hash, capacity, w0, w1, w2, w3);
    for (;;) {
      const o = slot * WORDS;
      const s0 = words[o];
      if (s0 === w0 && words[o + 1] === w1 && words[o + 2] === w2 && words[o + 3] === w3) {
        return slot;
      }
      if ((s0 | words[o + 1] | words[o + 2] | words[o + 3]) === 0) return -1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  private grow(capacity: number): void {
    const next = allocate(capacity);
    const old = this.words;
    for (let o = 0; o < old.length; o += WORDS) {
      const w0 = old[o];
      const w1 = old[o + 1];
      const w2 = old[o + 2];
      const w3 = old[o + 3];
      if ((w0 | w1 | w2 | w3) !== 0) place(this.hash, next, capacity, w0, w1, w2, w3);
    }
    // A shared buffer may still be read by a view elsewhere; only a private one is detached.
    if (!(old.buffer instanceof SharedArrayBuffer)) releaseArrayBuffer(old.buffer);
    this.words = next;
    this.capacity = capacity;
  }
}

function slotOf(
  hash: CodeHash,
  capacity: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): number {
  // Multiply-shift instead of a mask: the capacity need not be a power of two.
  const slot = Math.floor((hash(w0, w1, w2, w3) >>> 0) * (capacity / 4294967296));
  return slot < capacity ? slot : capacity - 1;
}

/** Puts a non-zero code into the first free slot of its chain; false when it is already there. */
function place(
  hash: CodeHash,
  words: Uint32Array,
  capacity: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): boolean {
  let slot = slotOf(hash, capacity, w0, w1, w2, w3);
  for (;;) {
    const o = slot * WORDS;
    const s0 = words[o];
    const s1 = words[o + 1];
    const s2 = words[o + 2];
    const s3 = words[o + 3];
    if ((s0 | s1 | s2 | s3) === 0) {
      words[o] = w0;
      words[o + 1] = w1;
      words[o + 2] = w2;
      words[o + 3] = w3;
      return true;
    }
    if (s0 === w0 && s1 === w1 && s2 === w2 && s3 === w3) return false;
    slot = slot + 1 === capacity ? 0 : slot + 1;
  }
}

function allocate(capacity: number): Uint32Array {
  return new Uint32Array(capacity * WORDS);
}
