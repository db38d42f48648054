import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Accepts a caller's X-Request-Id when it is a short, plain token (so it cannot inject into logs
 * or headers), otherwise makes a fresh UUID.
 */
export function genRequestId(req: IncomingMessage): string {
  const supplied = req.headers['x-request-id'];
  if (typeof supplied === 'string' && SANE_REQUEST_ID.test(supplied)) return supplied;
  return randomRequestUuid();
}

/** Random bytes for this many UUIDs are drawn at once (as `crypto.randomUUID` caches them). */
const UUIDS_PER_DRAW = 128;
const entropy = Buffer.alloc(16 * UUIDS_PER_DRAW);
let used = entropy.length;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
/** The UUID being written, dashes at 8, 13, 18 and 23. */
const text = Buffer.alloc(36);

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes it from the same CSPRNG, written as
 * bytes and read out as one string. Every request without an id of its own gets one, cache hits
 * included, and `randomUUID` builds its text from twenty string concatenations (≈ 5 % of the
 * bytes a cache hit allocates).
 */
export function randomRequestUuid(): string {
  if (used === entropy.length) {
    randomFillSync(entropy);
    used = 0;
  }
  entropy[used + 6] = (entropy[used + 6] & 0x0f) | 0x40; // version 4
  entropy[used + 8] = (entropy[used + 8] & 0x3f) | 0x80; // variant 10
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = DASH;
    const byte = entropy[used + i];
    text[at++] = HEX_DIGITS[byte >> 4];
    text[at++] = HEX_DIGITS[byte & 0x0f];
  }
  used += 16;
  return text.toString('latin1');
}
