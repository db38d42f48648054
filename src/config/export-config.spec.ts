import { ConfigError } from './env-parsers';
import { parseExportConfig } from './export-config';

describe('parseExportConfig', () => {
  it('takes the v2 limits in v2 and the Data Extraction ones in incontact', () => {
    expect(parseExportConfig({}, 'v2')).toMatchObject({
      windowDays: 30,
      maxActiveJobs: 3,
      pollIntervalMs: 2000,
    });
    expect(parseExportConfig({}, 'incontact')).toMatchObject({
      windowDays: 1,
      maxActiveJobs: 1,
      pollIntervalMs: 5000,
      entity: 'recording-interaction-metadata',
      entityVersion: '7',
      entitySchemas: {
        'recording-interaction-metadata': {
          required: ['ACD Call ID', 'Segment ID', 'Start Date'],
          key: 'Segment ID',
          windowColumn: 'Start Date',
          types: {},
        },
      },
    });
  });

  it.each([
    [{ EXPORT_WINDOW_DAYS: '15' }, 'incontact', 'EXPORT_WINDOW_DAYS'],
    [{ EXPORT_WINDOW_DAYS: '31' }, 'v2', 'EXPORT_WINDOW_DAYS'],
    [{ EXPORT_MAX_ACTIVE_JOBS: '2' }, 'incontact', 'EXPORT_MAX_ACTIVE_JOBS'],
    [{ EXPORT_ENTITY: 'qm-workflows' }, 'incontact', 'EXPORT_ENTITY'],
    [{ EXPORT_MAX_PER_KEY: '0' }, 'v2', 'EXPORT_MAX_PER_KEY'],
    [{ EXPORT_RETENTION_HOURS: '0' }, 'v2', 'EXPORT_RETENTION_HOURS'],
    [{ EXPORT_RETENTION_HOURS: 'soon' }, 'v2', 'EXPORT_RETENTION_HOURS'],
    [{ EXPORT_SWEEP_INTERVAL_S: '0' }, 'v2', 'EXPORT_SWEEP_INTERVAL_S'],
    [{ EXPORT_ENTITY_VERSION: 'seven' }, 'incontact', 'EXPORT_ENTITY_VERSION'],
    [{ EXPORT_ENTITY_SCHEMAS: '{nope' }, 'incontact', 'EXPORT_ENTITY_SCHEMAS'],
    [
      { EXPORT_ENTITY_SCHEMAS: '{"x":{"required":[],"key":"K"}}' },
      'incontact',
      'EXPORT_ENTITY_SCHEMAS',
    ],
    [
      { EXPORT_ENTITY_SCHEMAS: '{"x":{"required":["K"],"key":"K","types":{"K":"date"}}}' },
      'v2',
      'EXPORT_ENTITY_SCHEMAS',
    ],
  ] as const)('refuses %j (%s) naming %s', (env, dialect, variable) => {
    expect(() => parseExportConfig(env, dialect)).toThrow(ConfigError);
    expect(() => parseExportConfig(env, dialect)).toThrow(new RegExp(variable));
  });

  it('caps each key at 5 exports and keeps results 72 h by default, both configurable', () => {
    expect(parseExportConfig({}, 'v2')).toMatchObject({
      maxPerKey: 5,
      retentionHours: 72,
      sweepIntervalS: 300,
    });
    expect(
      parseExportConfig(
        { EXPORT_MAX_PER_KEY: '2', EXPORT_RETENTION_HOURS: '1', EXPORT_SWEEP_INTERVAL_S: '5' },
        'incontact',
      ),
    ).toMatchObject({ maxPerKey: 2, retentionHours: 1, sweepIntervalS: 5 });
  });

  it('adds or replaces entity schemas from EXPORT_ENTITY_SCHEMAS', () => {
    const config = parseExportConfig(
      {
        EXPORT_ENTITY: 'qm-workflows',
        EXPORT_ENTITY_VERSION: '4',
        EXPORT_ENTITY_SCHEMAS: JSON.stringify({
          'qm-workflows': {
            required: ['Workflow ID'],
            key: 'Workflow ID',
            types: { Score: 'number' },
          },
        }),
      },
      'incontact',
    );
    expect(config.entity).toBe('qm-workflows');
    expect(config.entitySchemas['qm-workflows']).toEqual({
      required: ['Workflow ID'],
      key: 'Workflow ID',
      windowColumn: null,
      types: { Score: 'number' },
    });
    expect(config.entitySchemas['recording-interaction-metadata']).toBeDefined();
  });
});
