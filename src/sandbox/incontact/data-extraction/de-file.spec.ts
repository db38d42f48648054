import { parse } from 'csv-parse/sync';
import { sandboxEntities, type SandboxEntity } from './de-entities';
import { csvFileChunks, fileRowCount, type FilePlan } from './de-file';
import { computeDataExtractionTruth } from './de-truth';
import { SegmentRowGenerator } from './segment-rows.generator';

const DAY = 19_723; // 2024-01-01
const entity = sandboxEntities(42).get('recording-interaction-metadata')?.get('7') as SandboxEntity;

function plan(rowsPerDay: number, firstDay = DAY, endDay = DAY + 1): FilePlan {
  return { entity, rows: new SegmentRowGenerator(42, rowsPerDay), firstDay, endDay };
}

const fileText = (p: FilePlan, cut?: number): string => [...csvFileChunks(p, cut)].join('');

function parseFile(text: string): string[][] {
  const rows: string[][] = parse(text, { bom: true, relax_column_count: true });
  return rows;
}

describe('Data Extraction CSV file', () => {
  it('is UTF-8 text with a BOM and a header row of the documented column names', () => {
    const text = fileText(plan(10));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header] = parseFile(text);
    expect(header).toEqual([
      'ACD Call ID',
      'Start Date',
      'Voice Recording Status',
      'Agent 1 Skills',
      'Agent 1 ACD ID',
      'Agent 1 Name',
      'Agent 1 Team',
      'ANI',
      'DNIS',
      'Disposition',
      'Agent 1 Contact Number',
      'Segment ID',
    ]);
    expect(text).toContain('\r\n');
  });

  it('quotes fields holding commas, quotes and line breaks, which a CSV parser reads back', () => {
    const rows = parseFile(fileText(plan(2000))).slice(1);
    const cells = rows.flat();
    expect(cells).toContain('Smith, John');
    expect(cells).toContain('O\'Brien, Jack "JJ"');
    expect(cells).toContain('Escalated\nTier 2 review');
    expect(cells).toContain('Müller, Jürgen');
    expect(cells).toContain('Technical Support, "VIP"');
  });

  it('has fileRowCount data rows: duplicates twice in a row, broken rows with the wrong cell count', () => {
    const p = plan(3000);
    const rows = parseFile(fileText(p)).slice(1);
    expect(rows).toHaveLength(fileRowCount(p));
    const lengths = new Set(rows.map((r) => r.length));
    expect(lengths).toEqual(new Set([11, 12, 13]));
    const ids = rows.filter((r) => r.length === 12).map((r) => r[11]);
    const repeats = ids.filter((id, i) => id !== '' && ids.indexOf(id) !== i);
    expect(repeats.length).toBeGreaterThan(0);
    // A duplicate is the row right before it again.
    const i = rows.findIndex((r, k) => k > 0 && r.join() === rows[k - 1].join());
    expect(i).toBeGreaterThan(0);
  });

  it('is the same bytes every time, chunked at ~64 KiB', () => {
    const chunks = [...csvFileChunks(plan(5000))];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.slice(0, -1).every((c) => c.length >= 64 * 1024 && c.length < 70 * 1024)).toBe(
      true,
    );
    expect(chunks.join('')).toBe(fileText(plan(5000)));
  });

  it('cut after N rows ends in the middle of the next record', () => {
    const p = plan(100);
    const text = fileText(p, 10);
    expect(text.endsWith('\r\n')).toBe(false);
    const lines = text.split('\r\n');
    expect(lines.length).toBeGreaterThanOrEqual(12);
  });
});

/**
 * An independent count of what a file-reading pipeline must find: parse each window's file with
 * csv-parse, apply the documented rules (skip dated rows outside the window, then schema check,
 * then dedupe by Segment ID), and compare with the truth endpoint's generator-only figures.
 */
function countByParsing(rowsPerDay: number, days: number, windowDays: number, inclusive: boolean) {
  const rows = new SegmentRowGenerator(42, rowsPerDay);
  const seen = new Set<string>();
  const counts = { received: 0, valid: 0, duplicates: 0, schemaErrors: 0, outside: 0 };
  for (let first = DAY; first < DAY + days; first += windowDays) {
    const end = Math.min(first + windowDays, DAY + days);
    const [header, ...data] = parseFile(
      fileText({ entity, rows, firstDay: first, endDay: end + (inclusive ? 1 : 0) }),
    );
    const dateAt = header.indexOf('Start Date');
    const keyAt = header.indexOf('Segment ID');
    const required = ['ACD Call ID', 'Segment ID', 'Start Date'].map((c) => header.indexOf(c));
    for (const row of data) {
      const when = Date.parse(row[dateAt] ?? '');
      const day = Math.floor(when / 86_400_000);
      if (!Number.isNaN(when) && (day < first || day >= end)) {
        counts.outside += 1;
        continue;
      }
      counts.received += 1;
      if (row.length !== header.length || required.some((i) => row[i] === '')) {
        counts.schemaErrors += 1;
      } else if (seen.has(row[keyAt])) {
        counts.duplicates += 1;
      } else {
        seen.add(row[keyAt]);
        counts.valid += 1;
      }
    }
  }
  return counts;
}

describe('computeDataExtractionTruth', () => {
  it.each([
    ['exclusive', 1],
    ['exclusive', 2],
    ['inclusive', 1],
    ['inclusive', 2],
  ] as const)(
    'matches a parse of the files (%s endDate, %d-day windows)',
    (reading, windowDays) => {
      const truth = computeDataExtractionTruth({
        entityName: entity.entityName,
        version: entity.version,
        rows: new SegmentRowGenerator(42, 400),
        firstDay: DAY,
        endDay: DAY + 3,
        windowDays,
        endDateReading: reading,
      });
      const parsed = countByParsing(400, 3, windowDays, reading === 'inclusive');
      expect(truth).toMatchObject({
        received: parsed.received,
        valid: parsed.valid,
        duplicates: parsed.duplicates,
        schemaErrors: parsed.schemaErrors,
        outsideWindow: parsed.outside,
      });
      expect(truth.received).toBe(truth.valid + truth.duplicates + truth.schemaErrors);
      expect(truth.duplicates).toBeGreaterThan(0);
      expect(truth.windows).toHaveLength(Math.ceil(3 / windowDays));
      if (reading === 'exclusive') expect(truth.outsideWindow).toBe(0);
      else expect(truth.outsideWindow).toBeGreaterThan(0);
    },
  );

  it('keeps the same valid records and duplicates under both readings', () => {
    const base = {
      entityName: entity.entityName,
      version: entity.version,
      rows: new SegmentRowGenerator(42, 400),
      firstDay: DAY,
      endDay: DAY + 4,
      windowDays: 1,
    };
    const exclusive = computeDataExtractionTruth({ ...base, endDateReading: 'exclusive' });
    const inclusive = computeDataExtractionTruth({ ...base, endDateReading: 'inclusive' });
    expect(inclusive.valid).toBe(exclusive.valid);
    expect(inclusive.duplicates).toBe(exclusive.duplicates);
    expect(inclusive.windows[0].fileRows).toBeGreaterThan(exclusive.windows[0].fileRows);
  });
});
