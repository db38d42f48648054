import type { BooleanStyle, ValueStyle } from './values';

/**
 * The switchable behaviours of the inContact surface. Each one is either a quirk real tenants
 * show, or a point the public evidence leaves open, so the gateway can be tested against every
 * reading. docs/sandbox.md lists them with their SANDBOX_* variables.
 */
export interface IncontactQuirks {
  /** `auto`: v21.0 and older answer with every value a string, newer versions typed. */
  valueStyle: 'auto' | ValueStyle;
  /** `auto`: "True"/"False" when values are strings, JSON booleans when typed. */
  booleans: 'auto' | BooleanStyle;
  /** What an empty window or an empty delta gets: 204 No Content, or 200 with an empty array. */
  emptyAs: '204' | 'empty-array';
  /** Wraps the payload in `resultSet` (or the lower-case `resultset` of some endpoints). */
  wrapper: 'none' | 'resultSet' | 'resultset';
  /** `pascal`: every key PascalCase; `pascal-sla`: only on sla-summary (the spec's casing). */
  keyCase: 'camel' | 'pascal' | 'pascal-sla';
  /** State-history (and performance) durations: ISO-8601, or seconds as a number. */
  durations: 'iso' | 'seconds';
  /** Skill-summary durations: integer seconds as strings (v21 captures) or ISO-8601. */
  summaryDurations: 'seconds' | 'iso';
  /** Which requests get `No known way to render data`: no Accept at all, or none naming JSON. */
  noAccept: 'missing' | 'not-json' | 'off';
  noAcceptBody: 'bare' | 'quoted';
  /** Status of that answer; 0 = the endpoint's usual success status. */
  noAcceptStatus: number;
  /** `header-only`: 4xx/5xx carry their message only in `icStatusDescription`, empty body. */
  errors: 'body' | 'header-only';
  /** Whether an injected 429 carries Retry-After (real tenants send none reliably). */
  retryAfterOn429: boolean;
  /** Paging signals: both, `_links.next` only, top/skip with totalRecords, or top/skip alone. */
  paging: 'both' | 'links' | 'offset' | 'offset-no-total';
  /** How the last page says there is no next one. */
  lastPageNext: 'null' | 'absent' | 'empty';
  /**
   * `never`: no page has a `next` link, not even while `totalRecords` says rows remain (which
   * signal ends a list is not documented); the links look like the last page's everywhere.
   */
  nextLinks: 'while-more' | 'never';
  /** Most rows one page holds, whatever `top` asked for. */
  pageCap: number;
  /** `spec`: the published state vocabulary (ACW as an Unavailable code); `extended`: ACW, Working. */
  stateNames: 'spec' | 'extended';
  /**
   * A state that began before `startDate`: left out, included as the first row, or included cut
   * off at `startDate` (its start moved there, its duration shortened).
   */
  historyStraddle: 'exclude' | 'include' | 'clip';
  /** Whether discovery's `api_endpoint` ends with a slash (clients must strip it). */
  apiEndpointTrailingSlash: boolean;
  /** Which client authentication the token endpoint accepts. */
  tokenAuth: 'either' | 'basic' | 'body';
  /** JWT signature of issued tokens. */
  jwtAlg: 'RS256' | 'none';
  /** Formula-like, quoted, comma-, newline- and backslash-bearing text in every text field. */
  hostileText: boolean;
  /** Unavailable-code field names: the spec's, or the alternates clients hedge for. */
  codeFieldNames: 'spec' | 'alternate';
  /** Status of an accepted `POST /agents/{id}/state` (200 observed at v12; 202/204 plausible). */
  stateChangeStatus: number;
  /** A state change for a logged-out agent: applied, or refused with 409. */
  stateChangeLoggedOut: 'apply' | 'reject';
  /**
   * Most rows the unpaged summaries (skills/summary, agents/performance, teams/performance-total)
   * answer; a capped answer says so in `totalRecords` (0: no cap, no `totalRecords`).
   */
  summaryCap: number;
  /**
   * v2 surface: the undocumented `metadata.totalRows` of analytics summary pages — a count,
   * left out, or sent as a numeric string (clients may only trust it when it is a count).
   */
  analyticsTotalRows: 'count' | 'absent' | 'string';
}

export const DEFAULT_INCONTACT_QUIRKS: IncontactQuirks = {
  valueStyle: 'auto',
  booleans: 'auto',
  emptyAs: '204',
  wrapper: 'none',
  keyCase: 'camel',
  durations: 'iso',
  summaryDurations: 'seconds',
  noAccept: 'missing',
  noAcceptBody: 'bare',
  noAcceptStatus: 0,
  errors: 'body',
  retryAfterOn429: false,
  paging: 'both',
  lastPageNext: 'null',
  nextLinks: 'while-more',
  pageCap: 1000,
  stateNames: 'spec',
  historyStraddle: 'exclude',
  apiEndpointTrailingSlash: false,
  tokenAuth: 'either',
  jwtAlg: 'RS256',
  hostileText: false,
  codeFieldNames: 'spec',
  stateChangeStatus: 200,
  stateChangeLoggedOut: 'apply',
  summaryCap: 0,
  analyticsTotalRows: 'count',
};

type QuirkSpec =
  | { env: string; kind: 'choice'; values: readonly string[] }
  | { env: string; kind: 'int'; min: number; max: number }
  | { env: string; kind: 'bool' };

const choice = (env: string, values: readonly string[]): QuirkSpec => ({
  env,
  kind: 'choice',
  values,
});
const bool = (env: string): QuirkSpec => ({ env, kind: 'bool' });

/** Quirk → its SANDBOX_* variable and accepted values (one table for env and control API). */
export const QUIRK_SPECS: Record<keyof IncontactQuirks, QuirkSpec> = {
  valueStyle: choice('SANDBOX_INCONTACT_VALUE_STYLE', ['auto', 'typed', 'strings']),
  booleans: choice('SANDBOX_INCONTACT_BOOLEANS', ['auto', 'json', 'python', 'lowercase']),
  emptyAs: choice('SANDBOX_INCONTACT_EMPTY', ['204', 'empty-array']),
  wrapper: choice('SANDBOX_INCONTACT_WRAPPER', ['none', 'resultSet', 'resultset']),
  keyCase: choice('SANDBOX_INCONTACT_KEY_CASE', ['camel', 'pascal', 'pascal-sla']),
  durations: choice('SANDBOX_INCONTACT_DURATIONS', ['iso', 'seconds']),
  summaryDurations: choice('SANDBOX_INCONTACT_SUMMARY_DURATIONS', ['seconds', 'iso']),
  noAccept: choice('SANDBOX_INCONTACT_NO_ACCEPT', ['missing', 'not-json', 'off']),
  noAcceptBody: choice('SANDBOX_INCONTACT_NO_ACCEPT_BODY', ['bare', 'quoted']),
  noAcceptStatus: { env: 'SANDBOX_INCONTACT_NO_ACCEPT_STATUS', kind: 'int', min: 0, max: 599 },
  errors: choice('SANDBOX_INCONTACT_ERRORS', ['body', 'header-only']),
  retryAfterOn429: bool('SANDBOX_INCONTACT_RETRY_AFTER'),
  paging: choice('SANDBOX_INCONTACT_PAGING', ['both', 'links', 'offset', 'offset-no-total']),
  lastPageNext: choice('SANDBOX_INCONTACT_LAST_PAGE_NEXT', ['null', 'absent', 'empty']),
  nextLinks: choice('SANDBOX_INCONTACT_NEXT_LINKS', ['while-more', 'never']),
  pageCap: { env: 'SANDBOX_INCONTACT_PAGE_CAP', kind: 'int', min: 1, max: 100_000 },
  stateNames: choice('SANDBOX_INCONTACT_STATE_NAMES', ['spec', 'extended']),
  historyStraddle: choice('SANDBOX_INCONTACT_HISTORY_STRADDLE', ['exclude', 'include', 'clip']),
  apiEndpointTrailingSlash: bool('SANDBOX_INCONTACT_API_ENDPOINT_SLASH'),
  tokenAuth: choice('SANDBOX_TOKEN_AUTH', ['either', 'basic', 'body']),
  jwtAlg: choice('SANDBOX_JWT_ALG', ['RS256', 'none']),
  hostileText: bool('SANDBOX_HOSTILE_TEXT'),
  codeFieldNames: choice('SANDBOX_INCONTACT_CODE_FIELDS', ['spec', 'alternate']),
  stateChangeStatus: {
    env: 'SANDBOX_INCONTACT_STATE_CHANGE_STATUS',
    kind: 'int',
    min: 200,
    max: 204,
  },
  stateChangeLoggedOut: choice('SANDBOX_INCONTACT_STATE_CHANGE_LOGGED_OUT', ['apply', 'reject']),
  summaryCap: { env: 'SANDBOX_INCONTACT_SUMMARY_CAP', kind: 'int', min: 0, max: 100_000 },
  analyticsTotalRows: choice('SANDBOX_ANALYTICS_TOTAL_ROWS', ['count', 'absent', 'string']),
};

export const QUIRK_KEYS = Object.keys(QUIRK_SPECS) as (keyof IncontactQuirks)[];

export type QuirkCheck = { ok: true; value: unknown } | { ok: false; why: string };

/** Checks one quirk value; `fromText` is how env variables arrive (numbers and flags as text). */
export function checkQuirk(
  key: keyof IncontactQuirks,
  value: unknown,
  fromText: boolean,
): QuirkCheck {
  const spec = QUIRK_SPECS[key];
  switch (spec.kind) {
    case 'choice':
      return spec.values.includes(value as string)
        ? { ok: true, value }
        : { ok: false, why: `"${String(value)}" is not one of ${spec.values.join(', ')}` };
    case 'bool': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (fromText && (value === 'true' || value === 'false'))
        return { ok: true, value: value === 'true' };
      return { ok: false, why: `"${String(value)}" is not one of true, false` };
    }
    case 'int': {
      const n =
        fromText && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n) && n >= spec.min && n <= spec.max)
        return { ok: true, value: n };
      return { ok: false, why: `"${String(value)}" is not an integer in ${spec.min}..${spec.max}` };
    }
  }
}

/** Merges an untrusted partial (control API body) over `base`; problems name each bad field. */
export function mergeQuirks(
  base: IncontactQuirks,
  patch: unknown,
): { ok: true; quirks: IncontactQuirks } | { ok: false; message: string } {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return { ok: false, message: 'body must be a JSON object of quirk values' };
  const next: Record<string, unknown> = { ...base };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!(QUIRK_KEYS as string[]).includes(key)) {
      problems.push(`unknown quirk "${key}" (known: ${QUIRK_KEYS.join(', ')})`);
      continue;
    }
    const check = checkQuirk(key as keyof IncontactQuirks, value, false);
    if (check.ok) next[key] = check.value;
    else problems.push(`${key}: ${check.why}`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  return { ok: true, quirks: next as unknown as IncontactQuirks };
}

/** The encoding one request gets: the quirks resolved against the `vNN.0` of its path. */
export interface WireStyle {
  values: ValueStyle;
  booleans: BooleanStyle;
  /** totalRecords as a string, as some endpoints send it. */
  totalRecordsAsString: boolean;
}

/** Versions up to this one answer in the v21 style by default (older clients accept nothing else). */
export const LAST_STRING_STYLE_VERSION = 21;

export function wireStyle(quirks: IncontactQuirks, apiVersion: number): WireStyle {
  const values: ValueStyle =
    quirks.valueStyle === 'auto'
      ? apiVersion <= LAST_STRING_STYLE_VERSION
        ? 'strings'
        : 'typed'
      : quirks.valueStyle;
  const booleans: BooleanStyle =
    quirks.booleans === 'auto' ? (values === 'strings' ? 'python' : 'json') : quirks.booleans;
  return { values, booleans, totalRecordsAsString: values === 'strings' };
}
