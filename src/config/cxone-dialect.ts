import { ACD_ENDPOINTS, type AcdEndpoint } from './acd-endpoints';
import type { CxoneDialect, InContactConfig, TokenAuthStyle } from './app-config.types';
import { ConfigError, Env, readEnum, readString, readUrl } from './env-parsers';

export const CXONE_DIALECTS = ['v2', 'incontact'] as const;
export const DEFAULT_CXONE_ISSUER = 'https://cxone.niceincontact.com';
export const DEFAULT_CXONE_API_VERSION = '30.0';

/** The variables whose presence says "talk to a real CXone", not to the embedded sandbox. */
const REAL_UPSTREAM_VARIABLES = ['CXONE_API_BASE_URL', 'CXONE_ISSUER', 'CXONE_ACCESS_KEY_ID'];

/** The dialect part of the CXone configuration. */
export interface DialectSettings {
  dialect: CxoneDialect;
  tokenAuth: TokenAuthStyle;
  incontact: InContactConfig;
}

const isSet = (env: Env, name: string): boolean => (env[name]?.trim() ?? '') !== '';

/** True when the environment points at a real CXone; false starts the embedded sandbox. */
export function hasRealUpstream(env: Env): boolean {
  return REAL_UPSTREAM_VARIABLES.some((name) => isSet(env, name));
}

/**
 * Reads CXONE_DIALECT and the `incontact` settings. With a real upstream the dialect must be
 * named: guessing wrong would send the wrong auth flow to a production tenant.
 */
export function parseDialectSettings(env: Env): DialectSettings {
  const realUpstream = hasRealUpstream(env);
  if (realUpstream && !isSet(env, 'CXONE_DIALECT')) {
    throw new ConfigError(
      'CXONE_DIALECT',
      `is required when a real CXone upstream is configured (${REAL_UPSTREAM_VARIABLES.join(', ')} set): set it to v2 or incontact.\n` +
        'incontact is the real NICE CXone API (access key, /inContactAPI/services/vNN.0); ' +
        'v2 is the /api/v2 surface of the tutorials and the sandbox.',
    );
  }
  const dialect = readEnum(env, 'CXONE_DIALECT', CXONE_DIALECTS, 'v2');
  // The real token endpoint lists client_secret_basic only; the seeds used the form body.
  const tokenAuth = readEnum(
    env,
    'CXONE_TOKEN_AUTH',
    ['body', 'basic'],
    dialect === 'incontact' ? 'basic' : 'body',
  );
  const incontact: InContactConfig = {
    issuer: readUrl(env, 'CXONE_ISSUER') ?? DEFAULT_CXONE_ISSUER,
    accessKeyId: readString(env, 'CXONE_ACCESS_KEY_ID') ?? '',
    accessKeySecret: readString(env, 'CXONE_ACCESS_KEY_SECRET') ?? '',
    apiVersion: readApiVersion(env),
    apiVersions: readApiVersions(env),
  };
  if (realUpstream) checkRealUpstream(env, dialect, incontact);
  return { dialect, tokenAuth, incontact };
}

function checkRealUpstream(env: Env, dialect: CxoneDialect, incontact: InContactConfig): void {
  if (dialect === 'v2') {
    // The seed surface has no discovery: its host must be given.
    if (!isSet(env, 'CXONE_API_BASE_URL')) {
      throw new ConfigError(
        'CXONE_API_BASE_URL',
        'is required with CXONE_DIALECT=v2 (that dialect has no discovery)',
      );
    }
    return;
  }
  const required: [string, string][] = [
    ['CXONE_CLIENT_ID', readString(env, 'CXONE_CLIENT_ID') ?? ''],
    ['CXONE_CLIENT_SECRET', readString(env, 'CXONE_CLIENT_SECRET') ?? ''],
    ['CXONE_ACCESS_KEY_ID', incontact.accessKeyId],
    ['CXONE_ACCESS_KEY_SECRET', incontact.accessKeySecret],
  ];
  for (const [name, value] of required) {
    if (!value) throw new ConfigError(name, 'is required with CXONE_DIALECT=incontact');
  }
}

/** `30.0`, `30` or `v30.0` → `30.0`: the `vNN.0` segment of inContactAPI paths. */
function readApiVersion(env: Env): string {
  const value = readString(env, 'CXONE_API_VERSION');
  if (value === undefined) return DEFAULT_CXONE_API_VERSION;
  return versionOf(value, 'CXONE_API_VERSION', `got "${value}"`);
}

function versionOf(value: string, variable: string, detail: string): string {
  const m = /^v?(\d{1,3})(?:\.(\d))?$/i.exec(value.trim());
  if (!m) {
    throw new ConfigError(
      variable,
      `must look like 30.0 (the vNN.0 of /inContactAPI/services paths), ${detail}`,
    );
  }
  return `${Number(m[1])}.${m[2] ?? '0'}`;
}

/**
 * CXONE_API_VERSIONS=`skills/activity=33,agents/states=31.0`: endpoints pinned to another
 * version (CXone versions each endpoint; one that answers 404 at the default may work at
 * another). Unknown endpoint names fail at start-up, listing the known ones.
 */
function readApiVersions(env: Env): Partial<Record<AcdEndpoint, string>> {
  const pinned: Partial<Record<AcdEndpoint, string>> = {};
  const value = readString(env, 'CXONE_API_VERSIONS');
  if (value === undefined) return pinned;
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const [name, version, ...rest] = entry.split('=').map((part) => part.trim());
    const endpoint = name.replace(/^\/+|\/+$/g, '') as AcdEndpoint;
    if (version === undefined || rest.length > 0 || !ACD_ENDPOINTS.includes(endpoint)) {
      throw new ConfigError(
        'CXONE_API_VERSIONS',
        `must be comma-separated endpoint=version pairs such as skills/activity=33; "${entry.trim()}" is not one (endpoints: ${ACD_ENDPOINTS.join(', ')})`,
      );
    }
    pinned[endpoint] = versionOf(version, 'CXONE_API_VERSIONS', `got "${entry.trim()}"`);
  }
  return pinned;
}
