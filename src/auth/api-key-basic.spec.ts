import { AUTH_CHALLENGE, extractApiKey } from './api-key.registry';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('extractApiKey with HTTP Basic (the key as the password)', () => {
  it('reads the password and ignores the user name', () => {
    expect(extractApiKey({ authorization: basic('power-bi:the-key') })).toBe('the-key');
    expect(extractApiKey({ authorization: basic(':the-key') })).toBe('the-key');
    expect(extractApiKey({ authorization: basic('anyone:pa:ss') })).toBe('pa:ss');
  });

  it('finds no key without a colon or without a password', () => {
    expect(extractApiKey({ authorization: basic('the-key') })).toBeUndefined();
    expect(extractApiKey({ authorization: basic('user:') })).toBeUndefined();
    expect(extractApiKey({ authorization: 'Basic !!!' })).toBeUndefined();
  });

  it('still prefers X-API-Key, and Bearer keeps working', () => {
    expect(extractApiKey({ 'x-api-key': 'a', authorization: basic('u:b') })).toBe('a');
    expect(extractApiKey({ authorization: 'Bearer b' })).toBe('b');
  });

  it('challenges with Basic, which the Excel and Power BI dialogs answer', () => {
    expect(AUTH_CHALLENGE).toMatch(/^Basic realm="[^"]+"/);
  });
});
