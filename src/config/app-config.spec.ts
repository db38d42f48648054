import { parseConfig, withSandboxUpstream } from './app-config';
import { sha256Hex } from './api-keys';
import { ConfigError } from './env-parsers';

const KEYS = JSON.stringify([
  { name: 'powerbi', sha256: sha256Hex('k'), scopes: ['reporting:read'] },
]);
const CXONE = {
  CXONE_DIALECT: 'v2',
  CXONE_API_BASE_URL: 'https://api-us-01.nice-incontact.com/',
  CXONE_CLIENT_ID: 'id',
  CXONE_CLIENT_SECRET: 'secret-value',
  API_KEYS: KEYS,
};

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('defaults to sandbox mode with the demo key holding every scope', () => {
    const sut = parseConfig({});
    expect(sut.mode).toBe('sandbox');
    expect(sut.demoKeyActive).toBe(true);
    expect(sut.apiKeys).toHaveLength(1);
    expect(sut.apiKeys[0].sha256).toBe(sha256Hex('sandbox-demo-key'));
    expect(sut.apiKeys[0].scopes).toHaveLength(6);
    expect(sut.port).toBe(3000);
    expect(sut.reporting.queueStatsTtlS).toBe(5);
    expect(sut.analytics.cacheTtlS).toBe(3600);
    expect(sut.export).toMatchObject({ windowDays: 30, maxActiveJobs: 3 });
    expect(sut.status.validPauseReasons).toContain('Manager Meeting');
  });

  it('uses the configured CXone tenant, trims the trailing slash and derives the token URL', () => {
    const sut = parseConfig(CXONE);
    expect(sut.mode).toBe('cxone');
    expect(sut.cxone.baseUrl).toBe('https://api-us-01.nice-incontact.com');
    expect(sut.cxone.tokenUrl).toBe('https://api-us-01.nice-incontact.com/oauth/token');
    expect(sut.demoKeyActive).toBe(false);
    expect(sut.secrets).toContain('secret-value');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ CXONE_DIALECT: 'v2', CXONE_API_BASE_URL: 'not a url' }, 'CXONE_API_BASE_URL'],
    [{ CXONE_DIALECT: 'v2', CXONE_API_BASE_URL: 'https://x.example' }, 'CXONE_CLIENT_ID'],
    [{ ...CXONE, CXONE_CLIENT_SECRET: '' }, 'CXONE_CLIENT_SECRET'],
    [{ ...CXONE, API_KEYS: '' }, 'API_KEYS'],
    [{ API_KEYS: '{not json' }, 'API_KEYS'],
    [{ API_KEYS: '[{"name":"a","sha256":"abc","scopes":[]}]' }, 'API_KEYS'],
    [{ API_KEYS: `[{"name":"a","sha256":"${'a'.repeat(64)}","scopes":["admin"]}]` }, 'API_KEYS'],
    [{ CXONE_TOKEN_AUTH: 'header' }, 'CXONE_TOKEN_AUTH'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ QUEUE_STATS_TTL_S: '-1' }, 'QUEUE_STATS_TTL_S'],
    [{ EXPORT_MAX_ACTIVE_JOBS: '4' }, 'EXPORT_MAX_ACTIVE_JOBS'],
    [{ REDIS_URL: 'ftp://x' }, 'REDIS_URL'],
    [{ ANALYTICS_ALLOWED_METRICS: ' , ' }, 'ANALYTICS_ALLOWED_METRICS'],
  ])('fails naming the bad variable for %j', (env, variable) => {
    const err = errorOf(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
  });

  it('never echoes a secret in a configuration error', () => {
    const err = errorOf({ ...CXONE, API_KEYS: '[{"name":"a b","sha256":"x","scopes":[]}]' });
    expect(err.message).not.toContain('secret-value');
  });

  it('lets CACHE_REDIS_URL and QUEUE_REDIS_URL split REDIS_URL', () => {
    const sut = parseConfig({ REDIS_URL: 'redis://r:6379', QUEUE_REDIS_URL: 'redis://q:6379' });
    expect(sut.redis).toEqual({ cacheUrl: 'redis://r:6379', queueUrl: 'redis://q:6379' });
  });

  it('collects the SANDBOX_* variables as raw strings, unparsed, leaving out empty ones', () => {
    const sut = parseConfig({ SANDBOX_PORT: 'not-a-port', SANDBOX_SEED: ' ', PORT: '0' });
    expect(sut.sandboxEnv).toEqual({ SANDBOX_PORT: 'not-a-port' });
  });

  it('fills in the embedded sandbox address without mutating the parsed tree', () => {
    const parsed = parseConfig({});
    const sut = withSandboxUpstream(parsed, {
      url: 'http://127.0.0.1:4999',
      clientId: 'c',
      clientSecret: 'sandbox-secret',
    });
    expect(sut.cxone.tokenUrl).toBe('http://127.0.0.1:4999/oauth/token');
    expect(sut.secrets).toContain('sandbox-secret');
    expect(parsed.cxone.baseUrl).toBe('');
  });
});
