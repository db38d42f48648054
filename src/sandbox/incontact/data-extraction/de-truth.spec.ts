import { Readable } from 'node:stream';
import { readCsvRecords } from '../../../dialects/incontact/export/csv-records.reader';
import { sandboxEntities, type SandboxEntity } from './de-entities';
import { csvFileChunks } from './de-file';
import type { DataExtractionOptions } from './de-options';
import { computeDataExtractionTruth } from './de-truth';
import { SegmentRowGenerator } from './segment-rows.generator';
import { StartDateFormatter, type StartDateStyle } from './start-date.format';

const DAY_MS = 86_400_000;
const FIRST = 19_844; // 2024-05-01
const SCHEMA = {
  required: ['ACD Call ID', 'Segment ID', 'Start Date'],
  key: 'Segment ID',
  windowColumn: 'Start Date',
  types: {},
};
const entity = sandboxEntities(7).get('recording-interaction-metadata')?.get('7') as SandboxEntity;
const rows = new SegmentRowGenerator(7, 96);

/**
 * The counts of reading the sandbox's own files, one per day, through the gateway's CSV reader
 * and a de-duplication across windows: what the truth must predict without reading them.
 */
async function readFiles(reading: DataExtractionOptions['endDateReading'], style: StartDateStyle) {
  const seen = new Set<string>();
  const counts = { received: 0, valid: 0, duplicates: 0, schemaErrors: 0, outsideWindow: 0 };
  for (let day = FIRST; day < FIRST + 3; day += 1) {
    const endDay = reading === 'inclusive' ? day + 2 : day + 1;
    const plan = { entity, rows, firstDay: day, endDay, startDates: style };
    const download = readCsvRecords(Readable.from(csvFileChunks(plan)), {
      schema: SCHEMA,
      fromMs: day * DAY_MS,
      toMs: (day + 1) * DAY_MS,
      maxBytes: 1 << 30,
    });
    for await (const batch of download.batches) {
      counts.received += batch.keys.length + batch.schemaErrors;
      counts.schemaErrors += batch.schemaErrors;
      for (const key of batch.keys) {
        if (seen.has(key)) counts.duplicates += 1;
        else counts.valid += 1;
        seen.add(key);
      }
    }
    counts.outsideWindow += download.outsideWindow?.() ?? 0;
  }
  return counts;
}

const STYLES: StartDateStyle[] = [
  { format: 'iso-utc', offsetMinutes: 0 },
  { format: 'iso-local', offsetMinutes: -300 },
  { format: 'us-local', offsetMinutes: -300 },
  { format: 'us-local', offsetMinutes: 840 },
  { format: 'iso-local', offsetMinutes: -720 },
];

describe('Data Extraction truth', () => {
  it('writes Start Date in the business unit time without a zone in the local formats', () => {
    const at = Date.parse('2024-05-02T01:30:00.250Z');
    const utc = { format: 'iso-utc', offsetMinutes: -300 } as const;
    expect(new StartDateFormatter(utc).format(at)).toBe('2024-05-02T01:30:00.250Z');
    const isoLocal = { format: 'iso-local', offsetMinutes: -300 } as const;
    expect(new StartDateFormatter(isoLocal).format(at)).toBe('2024-05-01T20:30:00.250');
    const usLocal = { format: 'us-local', offsetMinutes: -300 } as const;
    expect(new StartDateFormatter(usLocal).format(at)).toBe('5/1/2024 8:30:00 PM');
    const usNoon = { format: 'us-local', offsetMinutes: 600 } as const;
    expect(new StartDateFormatter(usNoon).format(Date.parse('2024-05-02T02:00:00Z'))).toBe(
      '5/2/2024 12:00:00 PM',
    );
    expect(new StartDateFormatter(usLocal).format(Date.parse('2024-05-02T05:05:09Z'))).toBe(
      '5/2/2024 12:05:09 AM',
    );
  });

  /** The truth of three one-day windows from FIRST, read and dated as given. */
  const truthOf = (reading: DataExtractionOptions['endDateReading'], style: StartDateStyle) =>
    computeDataExtractionTruth({
      entityName: entity.entityName,
      version: entity.version,
      rows,
      firstDay: FIRST,
      endDay: FIRST + 3,
      windowDays: 1,
      endDateReading: reading,
      startDates: style,
    });

  describe.each(['exclusive', 'inclusive'] as const)('endDate read %s', (reading) => {
    it.each(STYLES)('equals reading the files, Start Date %o', async (style) => {
      const truth = truthOf(reading, style);
      const read = await readFiles(reading, style);
      expect({
        received: truth.received,
        valid: truth.valid,
        duplicates: truth.duplicates,
        schemaErrors: truth.schemaErrors,
        outsideWindow: truth.outsideWindow,
      }).toEqual(read);
      expect(truth.received).toBe(truth.valid + truth.duplicates + truth.schemaErrors);
    });
  });

  it('loses no record of the range under any format: the exclusive files skip nothing', () => {
    const utc = truthOf('exclusive', STYLES[0]);
    for (const style of STYLES) {
      expect(truthOf('exclusive', style)).toMatchObject({ valid: utc.valid, outsideWindow: 0 });
      const inclusive = truthOf('inclusive', style);
      // Every record of the range is kept; zone-less dates may add some of the next day.
      expect(inclusive.valid).toBeGreaterThanOrEqual(utc.valid);
    }
    expect(truthOf('inclusive', STYLES[0])).toMatchObject({ valid: utc.valid });
    expect(truthOf('inclusive', STYLES[0]).outsideWindow).toBeGreaterThan(0);
    // UTC−5: the next day's rows up to 19:00Z could be the window's (at UTC+14) and are kept.
    expect(truthOf('inclusive', STYLES[1]).valid).toBeGreaterThan(utc.valid);
    expect(truthOf('inclusive', STYLES[1]).outsideWindow).toBeGreaterThan(0);
    // UTC+14: no next-day row can be the window's; UTC−12: every one could.
    expect(truthOf('inclusive', STYLES[3])).toMatchObject({ valid: utc.valid });
    expect(truthOf('inclusive', STYLES[4]).outsideWindow).toBe(0);
  });
});
