/**
 * Settings of the simulated Data Extraction API. Each undocumented behaviour of the real API is a
 * switch here, so the gateway can be tested against every reading of it.
 */
export interface DataExtractionOptions {
  /** Segments per UTC day in every entity's data (1 000 000: a one-day file of ~1 M rows). */
  rowsPerDay: number;
  /** How long a new job reads RUNNING before it ends SUCCEEDED (or FAILED when scripted). */
  runningMs: number;
  /** How long a SUCCEEDED job keeps its file before it reads EXPIRED (24 h on real tenants). */
  retentionMs: number;
  /** The per-tenant throttle: one accepted call per this many ms. */
  throttleMs: number;
  /** What a throttled call gets (a public client saw 403; 429 is the other plausible answer). */
  throttleStatus: 403 | 429;
  /** Whether the throttle counts job creates only, or every Data Extraction API call. */
  throttleScope: 'create' | 'all';
  /** Validity of a pre-signed download URL (30 s on real tenants). */
  urlTtlMs: number;
  /** `per-poll`: every poll mints a fresh URL; `once`: the URL minted at success is reused. */
  urlMinting: 'per-poll' | 'once';
  /** Whether `endDate` is the first day not included (`exclusive`) or the last one included. */
  endDateReading: 'exclusive' | 'inclusive';
  /** Job statuses as the spec spells them (`RUNNING`) or as the help page does (`Running`). */
  statusCase: 'upper' | 'title';
  /**
   * The create answer: a bare JSON string (the spec), `{"jobId": …}` (seen in a client), or
   * `number`: numeric ids, `{"jobId": 4700001}` and `"id": 4700001` in polls and the list (the
   * id's format is not documented).
   */
  jobIdAs: 'string' | 'object' | 'number';
  /**
   * `on`: each job's file is rendered into memory while the job runs (it stays RUNNING until the
   * file is ready) and downloads send those bytes; `off`: files are generated as they stream.
   */
  prerender: 'off' | 'on';
  /**
   * How the file writes `Start Date` (its format and zone are not documented, CXONE-API.md
   * §7.5): ISO 8601 in UTC with `Z` (`iso-utc`), ISO 8601 in the business unit's local time
   * without a zone (`iso-local`, `2024-05-01T16:30:00.000`), or the US report form in local
   * time (`us-local`, `5/1/2024 4:30:00 PM`). The rows of a file are the same either way.
   */
  startDateFormat: 'iso-utc' | 'iso-local' | 'us-local';
  /** The business unit's offset from UTC in minutes (−300: UTC−5), for the local formats. */
  buUtcOffsetMinutes: number;
}

export const DEFAULT_DATA_EXTRACTION_OPTIONS: DataExtractionOptions = {
  rowsPerDay: 200,
  runningMs: 3000,
  retentionMs: 24 * 3_600_000,
  throttleMs: 30_000,
  throttleStatus: 403,
  throttleScope: 'create',
  urlTtlMs: 30_000,
  urlMinting: 'per-poll',
  endDateReading: 'exclusive',
  statusCase: 'upper',
  jobIdAs: 'string',
  prerender: 'off',
  startDateFormat: 'iso-utc',
  buUtcOffsetMinutes: -300,
};

export const MAX_ROWS_PER_DAY = 1_000_000;

type Key = keyof DataExtractionOptions;
type NumericKey =
  'rowsPerDay' | 'runningMs' | 'retentionMs' | 'throttleMs' | 'urlTtlMs' | 'buUtcOffsetMinutes';
type ChoiceKey = Exclude<Key, NumericKey>;

/** Inclusive integer ranges of the numeric options. */
const RANGES: Record<NumericKey, [number, number]> = {
  rowsPerDay: [0, MAX_ROWS_PER_DAY],
  runningMs: [0, 86_400_000],
  retentionMs: [1, 31 * 86_400_000],
  throttleMs: [0, 3_600_000],
  urlTtlMs: [1000, 3_600_000],
  // The real zones: UTC−12:00 … UTC+14:00.
  buUtcOffsetMinutes: [-720, 840],
};

const CHOICES: { [K in ChoiceKey]: readonly DataExtractionOptions[K][] } = {
  throttleStatus: [403, 429],
  throttleScope: ['create', 'all'],
  urlMinting: ['per-poll', 'once'],
  endDateReading: ['exclusive', 'inclusive'],
  statusCase: ['upper', 'title'],
  jobIdAs: ['string', 'object', 'number'],
  prerender: ['off', 'on'],
  startDateFormat: ['iso-utc', 'iso-local', 'us-local'],
};

/** Option → environment variable (documented in docs/sandbox.md). */
export const DATA_EXTRACTION_ENV_NAMES: Record<Key, string> = {
  rowsPerDay: 'SANDBOX_DE_ROWS_PER_DAY',
  runningMs: 'SANDBOX_DE_RUNNING_MS',
  retentionMs: 'SANDBOX_DE_RETENTION_MS',
  throttleMs: 'SANDBOX_DE_THROTTLE_MS',
  throttleStatus: 'SANDBOX_DE_THROTTLE_STATUS',
  throttleScope: 'SANDBOX_DE_THROTTLE_SCOPE',
  urlTtlMs: 'SANDBOX_DE_URL_TTL_MS',
  urlMinting: 'SANDBOX_DE_URL_MINTING',
  endDateReading: 'SANDBOX_DE_END_DATE',
  statusCase: 'SANDBOX_DE_STATUS_CASE',
  jobIdAs: 'SANDBOX_DE_JOB_ID_AS',
  prerender: 'SANDBOX_DE_PRERENDER',
  startDateFormat: 'SANDBOX_DE_START_DATE',
  buUtcOffsetMinutes: 'SANDBOX_DE_BU_UTC_OFFSET_MIN',
};

const isNumericKey = (key: Key): key is NumericKey => key in RANGES;

/** Why `value` is not acceptable for `key`, or undefined when it is. */
function problem(key: Key, value: unknown): string | undefined {
  if (isNumericKey(key)) {
    const [min, max] = RANGES[key];
    const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    return ok ? undefined : `must be an integer between ${min} and ${max}`;
  }
  const allowed: readonly unknown[] = CHOICES[key];
  return allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;
}

/** Problems of a complete options object, as `[key, why]` pairs (empty when valid). */
export function dataExtractionOptionProblems(options: DataExtractionOptions): [Key, string][] {
  const problems: [Key, string][] = [];
  for (const key of Object.keys(DEFAULT_DATA_EXTRACTION_OPTIONS) as Key[]) {
    const why = problem(key, options[key]);
    if (why) problems.push([key, why]);
  }
  return problems;
}

/** A bad `SANDBOX_DE_*` value: `variable` names it. */
export class DataExtractionEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'DataExtractionEnvError';
  }
}

/** Reads `SANDBOX_DE_*` (unset or empty → default); throws DataExtractionEnvError naming the variable. */
export function parseDataExtractionEnv(
  env: Readonly<Record<string, string | undefined>>,
): DataExtractionOptions {
  const options = { ...DEFAULT_DATA_EXTRACTION_OPTIONS };
  for (const key of Object.keys(options) as Key[]) {
    const name = DATA_EXTRACTION_ENV_NAMES[key];
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    const numeric = isNumericKey(key) || key === 'throttleStatus';
    const value: unknown = numeric && /^-?\d+$/.test(text) ? Number(text) : text;
    const why = problem(key, value);
    if (why) throw new DataExtractionEnvError(name, `"${text}" ${why}`);
    (options as Record<Key, unknown>)[key] = value;
  }
  return options;
}

/**
 * Applies a control-API patch (`POST /_sandbox/data-extraction`): known keys only, each checked.
 * Returns the new options, or the first problem as a message.
 */
export function patchDataExtractionOptions(
  current: DataExtractionOptions,
  patch: unknown,
): { ok: true; options: DataExtractionOptions } | { ok: false; message: string } {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return { ok: false, message: 'body must be an object of Data Extraction options' };
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in DEFAULT_DATA_EXTRACTION_OPTIONS))
      return { ok: false, message: `unknown option ${key}` };
    const why = problem(key as Key, value);
    if (why) return { ok: false, message: `${key} ${why}` };
    (next as Record<string, unknown>)[key] = value;
  }
  return { ok: true, options: next };
}
