import { STORAGE_PATH_PREFIX, UrlSigner } from './url-signer';

const T0 = Date.parse('2024-05-01T10:15:00.400Z');
const JOB = '3f2b9a44-6c1e-4a8e-9d7e-0c9f1e2a7b11';

function query(pathAndQuery: string): URLSearchParams {
  return new URL(pathAndQuery, 'http://storage').searchParams;
}

describe('UrlSigner', () => {
  const sut = new UrlSigner();

  it('makes an S3-shaped pre-signed path for the job file', () => {
    const url = sut.sign(JOB, T0, 30_000);
    expect(url.startsWith(`${STORAGE_PATH_PREFIX}${JOB}.csv?`)).toBe(true);
    const q = query(url);
    expect(q.get('X-Amz-Date')).toBe('20240501T101500Z');
    expect(q.get('X-Amz-Expires')).toBe('30');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the URL until date + expires, then reports it expired', () => {
    const q = query(sut.sign(JOB, T0, 30_000));
    const issued = Date.parse('2024-05-01T10:15:00Z');
    expect(sut.check(JOB, q, issued + 30_000)).toBe('ok');
    expect(sut.check(JOB, q, issued + 30_001)).toBe('expired');
  });

  it('refuses a URL for another job, a changed expiry or another sandbox key', () => {
    const q = query(sut.sign(JOB, T0, 30_000));
    expect(sut.check('another-job', q, T0)).toBe('badSignature');
    const longer = new URLSearchParams(q);
    longer.set('X-Amz-Expires', '3600');
    expect(sut.check(JOB, longer, T0)).toBe('badSignature');
    expect(new UrlSigner().check(JOB, q, T0)).toBe('badSignature');
    expect(sut.check(JOB, new URLSearchParams(), T0)).toBe('badSignature');
  });
});
