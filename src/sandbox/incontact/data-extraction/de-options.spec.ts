import {
  DEFAULT_DATA_EXTRACTION_OPTIONS,
  dataExtractionOptionProblems,
  parseDataExtractionEnv,
  patchDataExtractionOptions,
} from './de-options';

describe('Data Extraction options', () => {
  it('take SANDBOX_DE_* values, unset or empty meaning the default', () => {
    const options = parseDataExtractionEnv({
      SANDBOX_DE_ROWS_PER_DAY: '1000000',
      SANDBOX_DE_THROTTLE_STATUS: '429',
      SANDBOX_DE_END_DATE: 'inclusive',
      SANDBOX_DE_URL_MINTING: ' once ',
      SANDBOX_DE_RUNNING_MS: '',
      SANDBOX_DE_START_DATE: 'us-local',
      SANDBOX_DE_BU_UTC_OFFSET_MIN: '-240',
    });
    expect(options).toEqual({
      ...DEFAULT_DATA_EXTRACTION_OPTIONS,
      rowsPerDay: 1_000_000,
      throttleStatus: 429,
      endDateReading: 'inclusive',
      urlMinting: 'once',
      startDateFormat: 'us-local',
      buUtcOffsetMinutes: -240,
    });
  });

  it.each([
    ['SANDBOX_DE_ROWS_PER_DAY', '1000001'],
    ['SANDBOX_DE_ROWS_PER_DAY', 'many'],
    ['SANDBOX_DE_THROTTLE_STATUS', '500'],
    ['SANDBOX_DE_THROTTLE_SCOPE', 'polls'],
    ['SANDBOX_DE_URL_TTL_MS', '10'],
    ['SANDBOX_DE_START_DATE', 'local'],
    ['SANDBOX_DE_BU_UTC_OFFSET_MIN', '-721'],
    ['SANDBOX_DE_BU_UTC_OFFSET_MIN', '841'],
  ])('refuse a bad %s naming it', (name, value) => {
    expect(() => parseDataExtractionEnv({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('patch known keys only, each checked', () => {
    const ok = patchDataExtractionOptions(DEFAULT_DATA_EXTRACTION_OPTIONS, {
      throttleScope: 'all',
      runningMs: 0,
    });
    expect(ok).toEqual({
      ok: true,
      options: { ...DEFAULT_DATA_EXTRACTION_OPTIONS, throttleScope: 'all', runningMs: 0 },
    });
    expect(patchDataExtractionOptions(DEFAULT_DATA_EXTRACTION_OPTIONS, { nope: 1 })).toEqual({
      ok: false,
      message: 'unknown option nope',
    });
    expect(
      patchDataExtractionOptions(DEFAULT_DATA_EXTRACTION_OPTIONS, { statusCase: 'lower' }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/^statusCase must be one of/) });
    expect(patchDataExtractionOptions(DEFAULT_DATA_EXTRACTION_OPTIONS, [])).toMatchObject({
      ok: false,
    });
  });

  it('report every problem of a whole options object', () => {
    expect(dataExtractionOptionProblems(DEFAULT_DATA_EXTRACTION_OPTIONS)).toEqual([]);
    const bad = { ...DEFAULT_DATA_EXTRACTION_OPTIONS, retentionMs: 0, jobIdAs: 'uuid' };
    expect(dataExtractionOptionProblems(bad as never).map(([key]) => key)).toEqual([
      'retentionMs',
      'jobIdAs',
    ]);
  });
});
