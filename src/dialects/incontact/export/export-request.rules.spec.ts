import { parseExportConfig } from '../../../config/export-config';
import { incontactExportRules } from './export-request.rules';

const DAY = Date.parse('2024-05-01T00:00:00Z');

describe('incontact export request rules', () => {
  const sut = incontactExportRules(parseExportConfig({}, 'incontact'));

  it('default the data set to EXPORT_ENTITY / EXPORT_ENTITY_VERSION, keyed by its schema', () => {
    expect(sut.resolve({ startMs: DAY, endMs: DAY + 86_400_000 })).toEqual({
      dataset: { entity: 'recording-interaction-metadata', version: '7', key: 'Segment ID' },
    });
    expect(sut.resolve({ startMs: DAY, endMs: DAY + 86_400_000, version: '10' })).toEqual({
      dataset: { entity: 'recording-interaction-metadata', version: '10', key: 'Segment ID' },
    });
  });

  it('refuse instants that are not UTC midnights, naming the field', () => {
    expect(sut.resolve({ startMs: DAY + 3_600_000, endMs: DAY + 86_400_000 + 1 })).toEqual({
      errors: [
        {
          field: 'start',
          message:
            'start must be a UTC midnight such as 2024-05-01T00:00:00.000Z (Data Extraction exports whole UTC days)',
        },
        {
          field: 'end',
          message:
            'end must be a UTC midnight such as 2024-05-02T00:00:00.000Z (Data Extraction exports whole UTC days)',
        },
      ],
    });
  });

  it('refuse an entity without a schema', () => {
    const out = sut.resolve({ startMs: DAY, endMs: DAY + 86_400_000, entity: 'qm-workflows' });
    expect(out).toEqual({
      errors: [
        {
          field: 'entity',
          message: expect.stringMatching(
            /^entity qm-workflows has no schema .*EXPORT_ENTITY_SCHEMAS/,
          ),
        },
      ],
    });
  });

  it('take entities added through EXPORT_ENTITY_SCHEMAS', () => {
    const config = parseExportConfig(
      {
        EXPORT_ENTITY_SCHEMAS: '{"qm-workflows":{"required":["Workflow ID"],"key":"Workflow ID"}}',
      },
      'incontact',
    );
    expect(
      incontactExportRules(config).resolve({
        startMs: DAY,
        endMs: DAY + 86_400_000,
        entity: 'qm-workflows',
        version: '4',
      }),
    ).toEqual({ dataset: { entity: 'qm-workflows', version: '4', key: 'Workflow ID' } });
  });
});
