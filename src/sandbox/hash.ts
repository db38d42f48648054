/**
 * Small, fast, deterministic hashing. Every generated value in the sandbox is a pure function of
 * (seed, coordinates), so any window of data can be produced in O(1) per item without state.
 */

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finalizer: a cheap, well-mixing bijection on uint32. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one integer (any safe integer, negative or above 2^32) into a running hash. */
function fold(h: number, value: number): number {
  const lo = value >>> 0;
  const hi = Math.floor(value / TWO_POW_32) >>> 0;
  return mix32(Math.imul(h ^ lo, 0x9e3779b1) ^ mix32(hi + 0x7f4a7c15));
}

/** Hash of up to five integers; fixed arity keeps the hot paths allocation-free. */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return fold(fold(fold(fold(fold(0x811c9dc5, a), b), c), d), e);
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

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** A version-4-shaped UUID built from a hash, so ids are stable for the same coordinates. */
export function uuidFromHash(h: number): string {
  const a = hex8(h);
  const b = hex8(mix32(h ^ 0x68e31da4));
  const c = hex8(mix32(h ^ 0xb5297a4d));
  const d = hex8(mix32(h ^ 0x1b56c4e9));
  const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
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
