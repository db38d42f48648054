import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header that carries the signature of an outgoing webhook. */
export const SIGNATURE_HEADER = 'X-Signature';
/** Header that carries the delivery's unique id (the same on every retry, for receiver dedupe). */
export const WEBHOOK_ID_HEADER = 'X-Webhook-Id';
/** How far a signature's timestamp may be from the verifier's clock by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_S = 300;

function hmacHex(secret: string, timestampS: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${body}`, 'utf8').digest('hex');
}

/**
 * The `X-Signature` value for `body` (the exact bytes sent) at `nowS` (unix seconds):
 * `t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. Signing the timestamp with the body
 * lets receivers reject replays of an old delivery.
 */
export function signWebhook(secret: string, body: string, nowS: number): string {
  const t = Math.floor(nowS);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export interface VerifyWebhookSignatureOptions {
  secret: string;
  /** The raw request body exactly as received. */
  body: string;
  /** The X-Signature header value. */
  header: string | undefined;
  /** The verifier's clock, unix seconds. */
  nowS: number;
  /** Maximum |nowS - t|; default 300 s. */
  toleranceS?: number;
}

/**
 * Checks an `X-Signature` header the way receivers should: parse `t` and every `v1`, reject a
 * timestamp outside the tolerance, compare the HMAC in constant time. Never throws.
 */
export function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): boolean {
  const { secret, body, header, nowS } = options;
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim());
  const t = Number(parts.find((p) => p.startsWith('t='))?.slice(2));
  const candidates = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
  if (!Number.isInteger(t) || candidates.length === 0) return false;
  if (Math.abs(nowS - t) > (options.toleranceS ?? DEFAULT_SIGNATURE_TOLERANCE_S)) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return candidates.some((hex) => {
    if (!/^[0-9a-f]+$/i.test(hex)) return false;
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
