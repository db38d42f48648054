import { createRedactor, REDACTED } from './redact';

describe('createRedactor', () => {
  const sut = createRedactor(['canary-client-secret-123', 'whsec-canary']);

  it('masks secret-bearing keys whatever their case', () => {
    const line = JSON.stringify({
      req: { headers: { Authorization: 'Bearer abcdefghijk', 'X-API-KEY': 'key-123456' } },
      Client_Secret: 'x',
      access_token: 'tok',
    });
    const out = sut(line);
    expect(out).not.toContain('abcdefghijk');
    expect(out).not.toContain('key-123456');
    expect(out).not.toContain('"tok"');
    expect(out.match(new RegExp(REDACTED.replace(/[[\]]/g, '\\$&'), 'g'))?.length).toBe(4);
  });

  it('masks configured secrets, bearer tokens and form bodies anywhere in the line', () => {
    const line = JSON.stringify({
      err: {
        message: 'failed with canary-client-secret-123',
        config: { data: 'grant_type=client_credentials&client_secret=s3cr3t&x=1' },
        stack: 'Error: Bearer eyJhbGciOi.abc.def',
      },
      note: 'signed with whsec-canary',
    });
    const out = sut(line);
    expect(out).not.toContain('canary-client-secret-123');
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('eyJhbGciOi');
    expect(out).not.toContain('whsec-canary');
    expect(out).toContain('grant_type=client_credentials');
  });

  it('masks the inContact access-key secret and id_token fields', () => {
    const line = JSON.stringify({ accessKeySecret: 'ak-s3cr3t', id_token: 'eyJ.x.y' });
    const out = sut(line);
    expect(out).not.toContain('ak-s3cr3t');
    expect(out).not.toContain('eyJ.x.y');
  });

  it('leaves ordinary lines untouched', () => {
    const line = JSON.stringify({ msg: 'request completed', route: '/v1/queues/stats' });
    expect(sut(line)).toBe(line);
  });
});
