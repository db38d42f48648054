import type { FaultSpec } from './faults';
import {
  DEFAULT_DATA_EXTRACTION_OPTIONS,
  dataExtractionOptionProblems,
  type DataExtractionOptions,
} from './incontact/data-extraction/de-options';
import {
  checkQuirk,
  DEFAULT_INCONTACT_QUIRKS,
  QUIRK_KEYS,
  type IncontactQuirks,
} from './incontact/quirks';

/** How export downloads announce their gzip body (real tenants differ; the gateway must cope with all). */
export type ExportGzipMode = 'content-type' | 'content-encoding' | 'none';

/** Everything that shapes one sandbox instance. Parsed from `SANDBOX_*` by `./sandbox-env.ts`. */
export interface SandboxOptions {
  port: number;
  host: string;
  seed: number;
  clientId: string;
  clientSecret: string;
  /** The employee access key the inContact token endpoints accept (password grant). */
  accessKeyId: string;
  accessKeySecret: string;
  tokenTtlS: number;
  latencyMs: number;
  historyRecords: number;
  exportEventsPerDay: number;
  exportQueuedMs: number;
  exportRunningMs: number;
  exportGzipMode: ExportGzipMode;
  /** Render each new job's download into memory before it completes (models CXone preparing the file). */
  exportPrerender: boolean;
  analyticsPageSize: number;
  faults: FaultSpec[];
  /** How the inContact surface encodes its answers (switchable at run time too). */
  incontactQuirks: IncontactQuirks;
  /** The simulated Data Extraction API (`SANDBOX_DE_*`; switchable at run time too). */
  dataExtraction: DataExtractionOptions;
}

export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  port: 4010,
  host: '127.0.0.1',
  seed: 42,
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  accessKeyId: 'SANDBOXKEY7QX2M4N5P6R8T0V',
  // `+`, `/` and `=` on purpose: a client that does not form-encode the password gets invalid_grant.
  accessKeySecret: 'sandbox+access/key=secret==',
  tokenTtlS: 3600,
  latencyMs: 0,
  historyRecords: 10000,
  exportEventsPerDay: 200,
  exportQueuedMs: 300,
  exportRunningMs: 700,
  exportGzipMode: 'content-type',
  exportPrerender: false,
  analyticsPageSize: 50,
  faults: [],
  incontactQuirks: DEFAULT_INCONTACT_QUIRKS,
  dataExtraction: DEFAULT_DATA_EXTRACTION_OPTIONS,
};

/** Upper bounds shared by the env parser and `startSandbox`, so both reject the same values. */
export const SANDBOX_LIMITS = {
  maxHistoryRecords: 1_000_000,
  maxExportEventsPerDay: 5_000_000,
  maxAnalyticsPageSize: 1000,
} as const;

type NumericOption = {
  [K in keyof SandboxOptions]: SandboxOptions[K] extends number ? K : never;
}[keyof SandboxOptions];

/** Inclusive integer ranges of the numeric options. */
export const NUMERIC_OPTION_RANGES: Record<NumericOption, [number, number]> = {
  port: [0, 65535],
  seed: [-2147483648, 4294967295],
  tokenTtlS: [1, 31 * 86400],
  latencyMs: [0, 600_000],
  historyRecords: [0, SANDBOX_LIMITS.maxHistoryRecords],
  exportEventsPerDay: [1, SANDBOX_LIMITS.maxExportEventsPerDay],
  exportQueuedMs: [0, 3_600_000],
  exportRunningMs: [0, 3_600_000],
  analyticsPageSize: [1, SANDBOX_LIMITS.maxAnalyticsPageSize],
};

export const EXPORT_GZIP_MODES: readonly ExportGzipMode[] = [
  'content-type',
  'content-encoding',
  'none',
];

/** Problems with a complete options object, keyed by option name (empty when valid). */
export function sandboxOptionProblems(options: SandboxOptions): [keyof SandboxOptions, string][] {
  const problems: [keyof SandboxOptions, string][] = [];
  for (const [key, [min, max]] of Object.entries(NUMERIC_OPTION_RANGES) as [
    NumericOption,
    [number, number],
  ][]) {
    const value = options[key];
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push([key, `must be an integer between ${min} and ${max}`]);
  }
  for (const key of ['host', 'clientId', 'clientSecret', 'accessKeyId', 'accessKeySecret'] as const)
    if (typeof options[key] !== 'string' || options[key] === '')
      problems.push([key, 'must not be empty']);
  if (!EXPORT_GZIP_MODES.includes(options.exportGzipMode))
    problems.push(['exportGzipMode', `must be one of ${EXPORT_GZIP_MODES.join(', ')}`]);
  if (typeof options.exportPrerender !== 'boolean')
    problems.push(['exportPrerender', 'must be a boolean']);
  if (!Array.isArray(options.faults)) problems.push(['faults', 'must be an array']);
  const quirks = options.incontactQuirks as Partial<IncontactQuirks> | undefined;
  for (const key of QUIRK_KEYS) {
    const check = checkQuirk(key, quirks?.[key], false);
    if (!check.ok) problems.push(['incontactQuirks', `${key}: ${check.why}`]);
  }
  for (const [key, why] of dataExtractionOptionProblems(options.dataExtraction))
    problems.push(['dataExtraction', `${key} ${why}`]);
  return problems;
}
