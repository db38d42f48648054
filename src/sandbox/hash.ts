/**
 * Small, fast, deterministic hashing. Every generated value in the sandbox is a pure function of
 * (seed, coordinates), so any window of data can be produced in O(1) per item without state.
 */

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finalizer on int32 values (kept signed so V8 never boxes them). */
function mixInt(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** murmur3's 32-bit finalizer: a cheap, well-mixing bijection on uint32. */
export function mix32(value: number): number {
  return mixInt(value) >>> 0;
}

/** murmur3's block step: mixes one 32-bit word into the running state. */
function step(h: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

/** Folds one integer in; values outside int32 (slot indices, epoch ms) add their high word. */
function fold(h: number, value: number): number {
  const low = step(h, value);
  if (value >= -0x80000000 && value <= 0x7fffffff) return low;
  return step(low, Math.floor(value / TWO_POW_32));
}

/** Hash (uint32) of up to five integers: murmur3 over their words, fixed arity, no allocation. */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return mix32(fold(fold(fold(fold(fold(0x2f1b3c5d, a), b), c), d), e));
}

/** FNV-1a of a string, for keying hashes on ids and names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Maps a uint32 hash to [0, 1). */
export function unit(h: number): number {
  return h / TWO_POW_32;
}

const HEX1 = '0123456789abcdef'.split('');
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(v: number): string {
  return HEX2[(v >>> 24) & 255] + HEX2[(v >>> 16) & 255] + HEX2[(v >>> 8) & 255] + HEX2[v & 255];
}

/**
 * A version-4-shaped UUID built from a hash, so ids are stable for the same coordinates.
 * Table-driven because export downloads format two per record.
 */
export function uuidFromHash(h: number): string {
  const b = mixInt(h ^ 0x68e31da4);
  const c = mixInt(h ^ 0xb5297a4d);
  const d = mixInt(h ^ 0x1b56c4e9);
  const g2 = HEX2[(b >>> 24) & 255] + HEX2[(b >>> 16) & 255];
  const g3 = `4${HEX1[(b >>> 8) & 15]}${HEX2[b & 255]}`;
  const g4 = HEX1[8 | ((c >>> 28) & 3)] + HEX1[(c >>> 24) & 15] + HEX2[(c >>> 16) & 255];
  return `${hex8(h)}-${g2}-${g3}-${g4}-${HEX2[(c >>> 8) & 255]}${HEX2[c & 255]}${hex8(d)}`;
}

/** mulberry32: a seeded PRNG for decisions that depend on call order (fault probability). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}
