import { parseApiKeys, sha256Hex } from './api-keys';
import { ConfigError } from './env-parsers';

const entry = (extra: Record<string, unknown> = {}) => ({
  name: 'powerbi',
  sha256: sha256Hex('k'),
  scopes: ['reporting:read'],
  ...extra,
});
const parse = (...entries: object[]) => parseApiKeys(JSON.stringify(entries));

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseApiKeys', () => {
  it('reads name, digest (lower-cased) and scopes; no rateLimit when none is given', () => {
    const [key] = parse(entry({ sha256: sha256Hex('k').toUpperCase() }));
    expect(key).toEqual({ name: 'powerbi', sha256: sha256Hex('k'), scopes: ['reporting:read'] });
  });

  it('keeps a per-key rateLimit, any subset of its fields', () => {
    const [a, b] = parse(
      entry({ rateLimit: { rps: 5, burst: 8, bypassRps: 0.5, bypassBurst: 2 } }),
      entry({ name: 'ops', sha256: sha256Hex('o'), rateLimit: { bypassRps: 0 } }),
    );
    expect(a.rateLimit).toEqual({ rps: 5, burst: 8, bypassRps: 0.5, bypassBurst: 2 });
    expect(b.rateLimit).toEqual({ bypassRps: 0 });
  });

  it.each([
    [{ rateLimit: 5 }, 'entry 0 (powerbi): rateLimit must be an object'],
    [{ rateLimit: [] }, 'entry 0 (powerbi): rateLimit must be an object'],
    [{ rateLimit: { rsp: 5 } }, 'rateLimit has unknown field rsp'],
    [{ rateLimit: { rps: -1 } }, 'rateLimit.rps must be a number ≥ 0'],
    [{ rateLimit: { rps: '5' } }, 'rateLimit.rps must be a number ≥ 0'],
    [{ rateLimit: { burst: 0 } }, 'rateLimit.burst must be an integer ≥ 1'],
    [{ rateLimit: { bypassBurst: 1.5 } }, 'rateLimit.bypassBurst must be an integer ≥ 1'],
  ])('refuses rateLimit %j naming the entry and field', (extra, message) => {
    const text = messageOf(() => parse(entry(extra)));
    expect(text).toContain('API_KEYS');
    expect(text).toContain(message);
  });

  it('still refuses bad names, digests and scopes, naming the entry', () => {
    expect(messageOf(() => parse(entry({ name: 'a b' })))).toContain('entry 0: name');
    expect(messageOf(() => parse(entry({ sha256: 'abc' })))).toContain('sha256 must be 64 hex');
    expect(messageOf(() => parse(entry({ scopes: ['nope'] })))).toContain('scopes must be');
    expect(messageOf(() => parse(entry(), entry()))).toContain('entry 1: duplicate name powerbi');
  });
});
