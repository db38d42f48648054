import { parseAuditConfig } from './audit-config';
import { ConfigError } from './env-parsers';

describe('parseAuditConfig', () => {
  it('has bounded defaults for the trail, the file and anonymous requests', () => {
    expect(parseAuditConfig({})).toEqual({
      streamMaxLen: 100000,
      memoryRecords: 20000,
      file: { maxBytes: 64 * 1024 * 1024, maxAgeHours: 24, maxFiles: 10, retentionDays: 30 },
      anonymous: { maxRecords: 1000, logIntervalS: 60 },
    });
  });

  it('reads every variable', () => {
    const config = parseAuditConfig({
      AUDIT_STREAM_MAXLEN: '500',
      AUDIT_MEMORY_RECORDS: '200',
      AUDIT_FILE_MAX_BYTES: '4096',
      AUDIT_FILE_MAX_AGE_HOURS: '2',
      AUDIT_FILE_MAX_FILES: '3',
      AUDIT_RETENTION_DAYS: '7',
      AUDIT_ANONYMOUS_RECORDS: '50',
      AUDIT_ANONYMOUS_LOG_INTERVAL_S: '5',
    });
    expect(config).toEqual({
      streamMaxLen: 500,
      memoryRecords: 200,
      file: { maxBytes: 4096, maxAgeHours: 2, maxFiles: 3, retentionDays: 7 },
      anonymous: { maxRecords: 50, logIntervalS: 5 },
    });
  });

  it.each([
    ['AUDIT_FILE_MAX_BYTES', '10'],
    ['AUDIT_FILE_MAX_FILES', '0'],
    ['AUDIT_RETENTION_DAYS', '0'],
    ['AUDIT_MEMORY_RECORDS', 'many'],
    ['AUDIT_ANONYMOUS_LOG_INTERVAL_S', '0'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseAuditConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseAuditConfig({ [name]: value })).toThrow(name);
  });
});
