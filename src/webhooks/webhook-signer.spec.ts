import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signer';

describe('webhook signer', () => {
  const secret = 'whsec-test';
  const body = '{"event":"agent_status_updated","userId":"u1"}';
  const nowS = 1_768_478_400;

  it('signs t + "." + body with HMAC-SHA256 as t=<unix>,v1=<hex>', () => {
    const sut = signWebhook(secret, body, nowS);
    const expected = createHmac('sha256', secret).update(`${nowS}.${body}`).digest('hex');
    expect(sut).toBe(`t=${nowS},v1=${expected}`);
  });

  it('floors fractional timestamps', () => {
    expect(signWebhook(secret, body, nowS + 0.9)).toBe(signWebhook(secret, body, nowS));
  });

  it('verifies its own signature', () => {
    const header = signWebhook(secret, body, nowS);
    expect(verifyWebhookSignature({ secret, body, header, nowS: nowS + 10 })).toBe(true);
  });

  it.each([
    ['a different body', { body: `${body} ` }],
    ['a different secret', { secret: 'other' }],
    ['a stale timestamp', { nowS: nowS + 301 }],
    ['a missing header', { header: undefined }],
    ['a garbled header', { header: 'nonsense' }],
    ['a non-hex v1', { header: `t=${nowS},v1=zz` }],
    ['a truncated v1', { header: signWebhook(secret, body, nowS).slice(0, -2) }],
  ])('rejects %s', (_name, change) => {
    const header = signWebhook(secret, body, nowS);
    expect(verifyWebhookSignature({ secret, body, header, nowS, ...change })).toBe(false);
  });

  it('accepts any matching v1 among several (secret rotation)', () => {
    const good = signWebhook(secret, body, nowS).split(',')[1];
    const header = `t=${nowS},v1=${'0'.repeat(64)},${good}`;
    expect(verifyWebhookSignature({ secret, body, header, nowS })).toBe(true);
  });

  it('honours a custom tolerance', () => {
    const header = signWebhook(secret, body, nowS);
    expect(verifyWebhookSignature({ secret, body, header, nowS: nowS + 20, toleranceS: 10 })).toBe(
      false,
    );
  });
});
