import { DEFAULT_DATA_EXTRACTION_OPTIONS } from './incontact/data-extraction/de-options';
import { DEFAULT_SANDBOX_OPTIONS } from './sandbox.options';
import { parseSandboxEnv, SandboxEnvError } from './sandbox-env';

describe('parseSandboxEnv', () => {
  it('returns the defaults for an empty environment', () => {
    expect(parseSandboxEnv({})).toEqual(DEFAULT_SANDBOX_OPTIONS);
  });

  it('treats empty strings as unset', () => {
    expect(parseSandboxEnv({ SANDBOX_PORT: '', SANDBOX_FAULTS: ' ' })).toEqual(
      DEFAULT_SANDBOX_OPTIONS,
    );
  });

  it('reads every variable', () => {
    const sut = parseSandboxEnv({
      SANDBOX_PORT: '0',
      SANDBOX_HOST: '0.0.0.0',
      SANDBOX_SEED: '7',
      SANDBOX_CLIENT_ID: 'id',
      SANDBOX_CLIENT_SECRET: 'secret',
      SANDBOX_ACCESS_KEY_ID: 'KEYID',
      SANDBOX_ACCESS_KEY_SECRET: 'key=secret',
      SANDBOX_TOKEN_TTL_S: '2',
      SANDBOX_LATENCY_MS: '50',
      SANDBOX_HISTORY_RECORDS: '500',
      SANDBOX_EXPORT_EVENTS_PER_DAY: '1000',
      SANDBOX_EXPORT_QUEUED_MS: '10',
      SANDBOX_EXPORT_RUNNING_MS: '20',
      SANDBOX_EXPORT_GZIP_MODE: 'content-encoding',
      SANDBOX_EXPORT_PRERENDER: 'true',
      SANDBOX_ANALYTICS_PAGE_SIZE: '25',
      SANDBOX_FAULTS: '[{"route":"queueStats","kind":"rateLimit","times":2,"retryAfterS":1}]',
      SANDBOX_DE_ROWS_PER_DAY: '1000000',
      SANDBOX_DE_END_DATE: 'inclusive',
      SANDBOX_INCONTACT_VALUE_STYLE: 'strings',
      SANDBOX_INCONTACT_EMPTY: 'empty-array',
      SANDBOX_INCONTACT_PAGE_CAP: '25',
      SANDBOX_INCONTACT_RETRY_AFTER: 'true',
      SANDBOX_TOKEN_AUTH: 'basic',
      SANDBOX_HOSTILE_TEXT: 'true',
    });
    expect(sut).toEqual({
      port: 0,
      host: '0.0.0.0',
      seed: 7,
      clientId: 'id',
      clientSecret: 'secret',
      accessKeyId: 'KEYID',
      accessKeySecret: 'key=secret',
      tokenTtlS: 2,
      latencyMs: 50,
      historyRecords: 500,
      exportEventsPerDay: 1000,
      exportQueuedMs: 10,
      exportRunningMs: 20,
      exportGzipMode: 'content-encoding',
      exportPrerender: true,
      analyticsPageSize: 25,
      faults: [{ route: 'queueStats', kind: 'rateLimit', times: 2, retryAfterS: 1 }],
      dataExtraction: {
        ...DEFAULT_DATA_EXTRACTION_OPTIONS,
        rowsPerDay: 1_000_000,
        endDateReading: 'inclusive',
      },
      incontactQuirks: {
        ...DEFAULT_SANDBOX_OPTIONS.incontactQuirks,
        valueStyle: 'strings',
        emptyAs: 'empty-array',
        pageCap: 25,
        retryAfterOn429: true,
        tokenAuth: 'basic',
        hostileText: true,
      },
    });
  });

  it.each([
    ['SANDBOX_PORT', 'abc', /SANDBOX_PORT: "abc" is not an integer/],
    ['SANDBOX_PORT', '70000', /SANDBOX_PORT: 70000 is outside 0\.\.65535/],
    ['SANDBOX_TOKEN_TTL_S', '0', /SANDBOX_TOKEN_TTL_S: 0 is outside/],
    ['SANDBOX_LATENCY_MS', '1.5', /SANDBOX_LATENCY_MS: "1.5" is not an integer/],
    ['SANDBOX_HISTORY_RECORDS', '2000000', /SANDBOX_HISTORY_RECORDS: .* outside/],
    ['SANDBOX_ANALYTICS_PAGE_SIZE', '0', /SANDBOX_ANALYTICS_PAGE_SIZE/],
    ['SANDBOX_EXPORT_GZIP_MODE', 'brotli', /SANDBOX_EXPORT_GZIP_MODE: "brotli" is not one of/],
    [
      'SANDBOX_EXPORT_PRERENDER',
      'yes',
      /SANDBOX_EXPORT_PRERENDER: "yes" is not one of true, false/,
    ],
    ['SANDBOX_FAULTS', '{not json', /SANDBOX_FAULTS: is not valid JSON/],
    ['SANDBOX_FAULTS', '{"route":"token"}', /SANDBOX_FAULTS: expected a JSON array/],
    ['SANDBOX_FAULTS', '[{"route":"nope","kind":"hang"}]', /SANDBOX_FAULTS: \[0\] route must be/],
    [
      'SANDBOX_FAULTS',
      '[{"route":"*","kind":"latency"}]',
      /SANDBOX_FAULTS: \[0\] latency needs latencyMs/,
    ],
    ['SANDBOX_FAULTS', '[{"route":"*","kind":"status","probability":2}]', /probability/],
    [
      'SANDBOX_INCONTACT_VALUE_STYLE',
      'numbers',
      /SANDBOX_INCONTACT_VALUE_STYLE: "numbers" is not one of auto, typed, strings/,
    ],
    ['SANDBOX_INCONTACT_PAGE_CAP', '0', /SANDBOX_INCONTACT_PAGE_CAP: "0" is not an integer in 1/],
    ['SANDBOX_INCONTACT_RETRY_AFTER', 'yes', /SANDBOX_INCONTACT_RETRY_AFTER: "yes" is not one of/],
    ['SANDBOX_TOKEN_AUTH', 'post', /SANDBOX_TOKEN_AUTH: "post" is not one of either, basic, body/],
    ['SANDBOX_HOSTILE_TEXT', '1', /SANDBOX_HOSTILE_TEXT/],
    ['SANDBOX_DE_THROTTLE_STATUS', '500', /SANDBOX_DE_THROTTLE_STATUS: "500" must be one of/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => parseSandboxEnv({ [name]: value })).toThrow(message);
    expect(() => parseSandboxEnv({ [name]: value })).toThrow(SandboxEnvError);
  });
});
