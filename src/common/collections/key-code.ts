/**
 * Lossless 128-bit codes for the string keys a de-duplication set sees most: canonical
 * lower-case UUIDs (their 128 bits) and short strings (up to 15 UTF-8 bytes, packed behind a
 * length byte). Two keys of the same kind have equal codes exactly when they are equal strings,
 * so a set of codes needs no collision rule at all. Any other key has no code (`NO_CODE`).
 *
 * A code is four 32-bit words written into a caller-owned `Uint32Array(4)`, so encoding a
 * million keys allocates nothing.
 */
export const KeyKind = { none: 0, uuid: 1, short: 2 } as const;
export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

/** Longest short key in UTF-8 bytes: 15 bytes and a length byte fill the four words. */
export const MAX_SHORT_KEY_BYTES = 15;

const DASH = 0x2d;

/** Nibble value of each lower-case hex digit by char code; -1 (all bits set) for anything else. */
const HEX = new Int8Array(0x10000).fill(-1);
for (let i = 0; i < 16; i += 1) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * Four hex digits of `key` from `i` as a 16-bit value, or a negative number when one is not a
 * lower-case hex digit (the -1 of that digit leaves every bit set).
 */
function hex4(key: string, i: number): number {
  const a = HEX[key.charCodeAt(i)];
  const b = HEX[key.charCodeAt(i + 1)];
  const c = HEX[key.charCodeAt(i + 2)];
  const d = HEX[key.charCodeAt(i + 3)];
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

/**
 * `8-4-4-4-12` lower-case hex with dashes at 8, 13, 18 and 23. The words are digits 0–7, 8–15,
 * 16–23 and 24–31 (dashes skipped), so decoding gives the same string back.
 */
function encodeUuid(key: string, out: Uint32Array): boolean {
  if (
    key.charCodeAt(8) !== DASH ||
    key.charCodeAt(13) !== DASH ||
    key.charCodeAt(18) !== DASH ||
    key.charCodeAt(23) !== DASH
  ) {
    return false;
  }
  const g0 = hex4(key, 0);
  const g1 = hex4(key, 4);
  const g2 = hex4(key, 9);
  const g3 = hex4(key, 14);
  const g4 = hex4(key, 19);
  const g5 = hex4(key, 24);
  const g6 = hex4(key, 28);
  const g7 = hex4(key, 32);
  if ((g0 | g1 | g2 | g3 | g4 | g5 | g6 | g7) < 0) return false;
  out[0] = (g0 << 16) | g1;
  out[1] = (g2 << 16) | g3;
  out[2] = (g4 << 16) | g5;
  out[3] = (g6 << 16) | g7;
  return true;
}

/** Byte 0 is the length, bytes 1..15 the UTF-8 bytes, little-endian within each word. */
function encodeShort(key: string, out: Uint32Array): boolean {
  if (key.length > MAX_SHORT_KEY_BYTES) return false;
  out.fill(0);
  let ascii = true;
  for (let i = 0; i < key.length; i += 1) if (key.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) {
    putByte(out, 0, key.length);
    for (let i = 0; i < key.length; i += 1) putByte(out, i + 1, key.charCodeAt(i));
    return true;
  }
  const bytes = Buffer.from(key, 'utf8');
  // A lone surrogate becomes U+FFFD in UTF-8: two different strings, one byte sequence.
  if (bytes.length > MAX_SHORT_KEY_BYTES || bytes.toString('utf8') !== key) return false;
  putByte(out, 0, bytes.length);
  for (let i = 0; i < bytes.length; i += 1) putByte(out, i + 1, bytes[i]);
  return true;
}

function putByte(out: Uint32Array, index: number, byte: number): void {
  out[index >> 2] |= byte << ((index & 3) * 8);
}

function getByte(words: ArrayLike<number>, index: number): number {
  return (words[index >> 2] >>> ((index & 3) * 8)) & 0xff;
}

/** Writes the code of `key` into `out` and returns its kind (`none`: no lossless code). */
export function encodeKey(key: string, out: Uint32Array): KeyKind {
  if (key.length === 36 && encodeUuid(key, out)) return KeyKind.uuid;
  if (encodeShort(key, out)) return KeyKind.short;
  return KeyKind.none;
}

/** The key a code of `kind` stands for (`words` holds the four words from `offset`). */
export function decodeKey(kind: KeyKind, words: ArrayLike<number>, offset = 0): string {
  const w = [words[offset], words[offset + 1], words[offset + 2], words[offset + 3]];
  if (kind === KeyKind.uuid) {
    const hex = w.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  if (kind === KeyKind.short) {
    const length = getByte(w, 0);
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) bytes[i] = getByte(w, i + 1);
    return bytes.toString('utf8');
  }
  throw new Error('a key without a code cannot be decoded');
}
