import { AppError } from '../common/errors/app-error';
import { assertAllowedWebhookUrl, webhookUrlProblem } from './webhook-target';

describe('webhook target allow-list', () => {
  const allowed = ['hooks.example.com', 'wfm.example.com:8443', '127.0.0.1:9000', '[::1]:9000'];

  it.each([
    'https://hooks.example.com/cxone',
    'http://hooks.example.com/x?y=1',
    'https://HOOKS.Example.COM/x',
    'https://hooks.example.com:443/x',
    'https://wfm.example.com:8443/sync',
    'http://127.0.0.1:9000/',
    'http://[::1]:9000/hook',
  ])('allows %s', (url) => {
    expect(webhookUrlProblem(url, allowed)).toBeUndefined();
  });

  it.each([
    ['an unlisted host', 'https://evil.example.com/', /not on WEBHOOK_ALLOWED_HOSTS/],
    ['a suffix trick', 'https://hooks.example.com.evil.io/', /not on WEBHOOK_ALLOWED_HOSTS/],
    ['a non-default port for a bare entry', 'https://hooks.example.com:8080/', /not on/],
    ['another port than listed', 'https://wfm.example.com/sync', /not on/],
    ['a bare-host entry given :80 on https', 'https://hooks.example.com:80/', /not on/],
    ['credentials', 'https://user:pw@hooks.example.com/', /credentials/],
    ['a username only', 'https://user@hooks.example.com/', /credentials/],
    ['ftp', 'ftp://hooks.example.com/', /http or https/],
    ['javascript:', 'javascript:alert(1)', /absolute/],
    ['a relative URL', '/hooks', /absolute/],
    ['a scheme without //', 'http:hooks.example.com/x', /absolute/],
    ['not a string', 42, /URL string/],
    ['an empty string', '', /URL string/],
    ['a huge URL', `https://hooks.example.com/${'a'.repeat(3000)}`, /at most/],
    ['a decimal IP', 'http://2130706433:9000/', /canonical/],
    ['a hex IP', 'http://0x7f000001:9000/', /canonical/],
    ['an octal IP', 'http://0177.0.0.1:9000/', /canonical/],
    ['a shortened IP', 'http://127.1:9000/', /canonical/],
    ['a percent-encoded host', 'https://hooks.ex%61mple.com/', /canonical/],
  ])('refuses %s', (_name, url, why) => {
    expect(webhookUrlProblem(url, allowed)).toMatch(why);
  });

  it('allows a numeric spelling only when that spelling is listed', () => {
    expect(webhookUrlProblem('http://2130706433:9000/', ['2130706433:9000'])).toBeUndefined();
  });

  it('an entry host:443 matches the https default port', () => {
    expect(webhookUrlProblem('https://a.example/', ['a.example:443'])).toBeUndefined();
  });

  it('refuses everything when the allow-list is empty', () => {
    expect(webhookUrlProblem('https://hooks.example.com/', [])).toMatch(/empty/);
  });

  it('assertAllowedWebhookUrl throws a 400 naming the field', () => {
    let error: unknown;
    try {
      assertAllowedWebhookUrl('https://evil.example.com/', allowed, 'webhookUrl');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).errors?.[0].field).toBe('webhookUrl');
  });

  it('assertAllowedWebhookUrl returns the parsed URL', () => {
    const sut = assertAllowedWebhookUrl('https://hooks.example.com/a', allowed, 'webhookUrl');
    expect(sut.pathname).toBe('/a');
  });
});
