import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where the simulated storage serves job files; deliberately not under any API prefix. */
export const STORAGE_PATH_PREFIX = '/storage/data-extraction/';

export type UrlCheck = 'ok' | 'badSignature' | 'expired';

/** `20240501T101500Z`: the X-Amz-Date form (second resolution). */
function amzDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * Pre-signed URLs in the shape of S3's query-string auth (X-Amz-Date, X-Amz-Expires,
 * X-Amz-Signature), signed with a key made at sandbox start. Like S3, the storage checks the
 * signature and that the request comes before date + expires; how long the download then takes
 * does not matter.
 */
export class UrlSigner {
  private readonly key = randomBytes(32);

  /** The path and query of a URL for job `jobId`'s file, valid `ttlMs` from `issuedAtMs`. */
  sign(jobId: string, issuedAtMs: number, ttlMs: number): string {
    const date = amzDate(issuedAtMs);
    const expires = String(Math.ceil(ttlMs / 1000));
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `SANDBOXKEY/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.signature(jobId, date, expires),
    });
    return `${STORAGE_PATH_PREFIX}${encodeURIComponent(jobId)}.csv?${query.toString()}`;
  }

  check(jobId: string, query: URLSearchParams, nowMs: number): UrlCheck {
    const date = query.get('X-Amz-Date') ?? '';
    const expires = query.get('X-Amz-Expires') ?? '';
    const given = Buffer.from(query.get('X-Amz-Signature') ?? '', 'utf8');
    const wanted = Buffer.from(this.signature(jobId, date, expires), 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'badSignature';
    const issuedAt = parseAmzDate(date);
    if (issuedAt === undefined || !/^\d+$/.test(expires)) return 'badSignature';
    return nowMs <= issuedAt + Number(expires) * 1000 ? 'ok' : 'expired';
  }

  private signature(jobId: string, date: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${jobId}\n${date}\n${expires}`).digest('hex');
  }
}
