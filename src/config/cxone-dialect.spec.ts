import { parseConfig, withSandboxUpstream } from './app-config';
import { sha256Hex } from './api-keys';
import { ConfigError } from './env-parsers';

const DEFAULT_ISSUER = 'https://cxone.niceincontact.com';
const KEYS = JSON.stringify([{ name: 'bi', sha256: sha256Hex('k'), scopes: ['reporting:read'] }]);
const INCONTACT = {
  CXONE_DIALECT: 'incontact',
  CXONE_CLIENT_ID: 'app-client-id',
  CXONE_CLIENT_SECRET: 'app-client-secret',
  CXONE_ACCESS_KEY_ID: 'AKID-employee',
  CXONE_ACCESS_KEY_SECRET: 'access-key-secret-value',
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

describe('CXone dialect configuration', () => {
  it('defaults to v2 in sandbox mode, with the inContact defaults filled in', () => {
    const sut = parseConfig({});
    expect(sut.mode).toBe('sandbox');
    expect(sut.cxone.dialect).toBe('v2');
    expect(sut.cxone.tokenAuth).toBe('body');
    expect(sut.cxone.incontact).toEqual({
      issuer: 'https://cxone.niceincontact.com',
      accessKeyId: '',
      accessKeySecret: '',
      apiVersion: '30.0',
      apiVersions: {},
    });
  });

  it('runs the sandbox in the incontact dialect when asked, with Basic client auth', () => {
    const sut = parseConfig({ CXONE_DIALECT: 'incontact' });
    expect(sut.mode).toBe('sandbox');
    expect(sut.cxone.dialect).toBe('incontact');
    expect(sut.cxone.tokenAuth).toBe('basic');
  });

  it.each([
    ['CXONE_API_BASE_URL', 'https://api-na1.niceincontact.com'],
    ['CXONE_ISSUER', 'https://cxone.niceincontact.com'],
    ['CXONE_ACCESS_KEY_ID', 'AKID'],
  ])('requires CXONE_DIALECT once %s points at a real upstream', (name, value) => {
    const err = errorOf({ [name]: value, API_KEYS: KEYS });
    expect(err.variable).toBe('CXONE_DIALECT');
    expect(err.message).toContain(name);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^incontact is the real NICE CXone API/);
  });

  it('reads a real incontact tenant: default issuer, no base URL (discovered), secrets collected', () => {
    const sut = parseConfig(INCONTACT);
    expect(sut.mode).toBe('cxone');
    expect(sut.cxone).toMatchObject({
      dialect: 'incontact',
      baseUrl: '',
      clientId: 'app-client-id',
      tokenAuth: 'basic',
      incontact: {
        issuer: 'https://cxone.niceincontact.com',
        accessKeyId: 'AKID-employee',
        accessKeySecret: 'access-key-secret-value',
        apiVersion: '30.0',
        apiVersions: {},
      },
    });
    expect(sut.secrets).toEqual(
      expect.arrayContaining(['app-client-secret', 'access-key-secret-value']),
    );
  });

  it('takes the FedRAMP issuer, a pinned API host, client_secret_post and another version', () => {
    const sut = parseConfig({
      ...INCONTACT,
      CXONE_ISSUER: 'https://cxone-gov.niceincontact.com/',
      CXONE_API_BASE_URL: 'https://api-na1.niceincontact.com/',
      CXONE_TOKEN_AUTH: 'body',
      CXONE_API_VERSION: 'v27',
    });
    expect(sut.cxone.incontact.issuer).toBe('https://cxone-gov.niceincontact.com');
    expect(sut.cxone.baseUrl).toBe('https://api-na1.niceincontact.com');
    expect(sut.cxone.tokenAuth).toBe('body');
    expect(sut.cxone.incontact.apiVersion).toBe('27.0');
  });

  it('pins single endpoints to other versions with CXONE_API_VERSIONS', () => {
    const sut = parseConfig({
      ...INCONTACT,
      CXONE_API_VERSIONS: ' skills/activity=33, /agents/states/=v31.0 ,',
    });
    expect(sut.cxone.incontact.apiVersions).toEqual({
      'skills/activity': '33.0',
      'agents/states': '31.0',
    });
    expect(sut.cxone.incontact.apiVersion).toBe('30.0');
  });

  it.each(['skills/activty=33', 'skills/activity', 'skills/activity=33=1', 'skills/activity=new'])(
    'fails naming CXONE_API_VERSIONS and the entry for %j',
    (entry) => {
      const err = errorOf({ ...INCONTACT, CXONE_API_VERSIONS: `agents/states=31,${entry}` });
      expect(err.variable).toBe('CXONE_API_VERSIONS');
      expect(err.message).toContain(`"${entry}"`);
    },
  );

  it.each([
    [{ ...INCONTACT, CXONE_DIALECT: 'real' }, 'CXONE_DIALECT'],
    [{ ...INCONTACT, CXONE_CLIENT_ID: '' }, 'CXONE_CLIENT_ID'],
    [{ ...INCONTACT, CXONE_CLIENT_SECRET: ' ' }, 'CXONE_CLIENT_SECRET'],
    [
      { ...INCONTACT, CXONE_ISSUER: DEFAULT_ISSUER, CXONE_ACCESS_KEY_ID: '' },
      'CXONE_ACCESS_KEY_ID',
    ],
    [{ ...INCONTACT, CXONE_ACCESS_KEY_SECRET: '' }, 'CXONE_ACCESS_KEY_SECRET'],
    [{ ...INCONTACT, CXONE_ISSUER: 'cxone.niceincontact.com' }, 'CXONE_ISSUER'],
    [{ ...INCONTACT, CXONE_API_VERSION: '30.0.1' }, 'CXONE_API_VERSION'],
    [{ ...INCONTACT, CXONE_API_VERSION: 'latest' }, 'CXONE_API_VERSION'],
    [{ ...INCONTACT, CXONE_TOKEN_AUTH: 'jwt' }, 'CXONE_TOKEN_AUTH'],
    [{ ...INCONTACT, API_KEYS: '' }, 'API_KEYS'],
    [
      { CXONE_DIALECT: 'v2', CXONE_ISSUER: 'https://cxone.niceincontact.com' },
      'CXONE_API_BASE_URL',
    ],
  ])('fails naming the bad variable for %j', (env, variable) => {
    const err = errorOf(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
  });

  it('never echoes the access-key secret in a configuration error', () => {
    const err = errorOf({ ...INCONTACT, CXONE_API_VERSION: 'x' });
    expect(err.message).not.toContain('access-key-secret-value');
  });

  it('points the incontact dialect at the embedded sandbox as its issuer', () => {
    const parsed = parseConfig({ CXONE_DIALECT: 'incontact' });
    const sut = withSandboxUpstream(parsed, {
      url: 'http://127.0.0.1:4999',
      clientId: 'c',
      clientSecret: 'sandbox-secret',
      accessKey: { id: 'AK', secret: 'sandbox-access-secret' },
    });
    expect(sut.cxone.baseUrl).toBe('');
    expect(sut.cxone.incontact).toMatchObject({
      issuer: 'http://127.0.0.1:4999',
      accessKeyId: 'AK',
      accessKeySecret: 'sandbox-access-secret',
    });
    expect(sut.secrets).toEqual(
      expect.arrayContaining(['sandbox-secret', 'sandbox-access-secret']),
    );
  });
});
