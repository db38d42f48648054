import { bodyChunks } from './export-download';
import { ExportEventGenerator, REQUIRED_EVENT_FIELDS } from './export-events.generator';
import type { ExportJob } from './export-jobs.store';
import { computeExportTruth, splitWindows } from './export-truth';

const from = Date.parse('2024-01-01T00:00:00.000Z');
const to = Date.parse('2024-01-15T23:59:59.999Z');
const DAY = 86_400_000;

/** What a download of [fromMs, toMs) sends, through the real download path, parsed. */
function downloadWindow(
  sut: ExportEventGenerator,
  fromMs: number,
  toMs: number,
): Record<string, unknown>[] {
  const job = { id: 'spec', fromMs, toMs } as ExportJob;
  const text = [...bodyChunks({ job, generator: sut, mode: 'none', recordCount: 0 })].join('');
  return JSON.parse(text) as Record<string, unknown>[];
}

/** A validate-then-dedupe pass over one window. */
function count(records: Record<string, unknown>[]): { invalid: number; duplicates: number } {
  const seen = new Set<unknown>();
  let invalid = 0;
  let duplicates = 0;
  for (const record of records) {
    if (!isValid(record)) invalid += 1;
    else if (seen.has(record.id)) duplicates += 1;
    else seen.add(record.id);
  }
  return { invalid, duplicates };
}

function isValid(record: Record<string, unknown>): boolean {
  return (
    REQUIRED_EVENT_FIELDS.every((f) => f in record) &&
    typeof record.duration === 'number' &&
    typeof record.dateFrom === 'string'
  );
}

describe('ExportEventGenerator', () => {
  const sut = new ExportEventGenerator(42, 200);

  it('generates eventsPerDay events per day, in start order, with the seed-003 fields', () => {
    const day = [...sut.eventsIn(from + DAY, from + 2 * DAY)];
    expect(day.length).toBeGreaterThanOrEqual(200);
    expect(day.length).toBeLessThan(210);
    const starts = day.map((e) => e.startMs);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const record = JSON.parse(sut.toJson(day.find((e) => !e.defect) ?? day[0]));
    expect(Object.keys(record)).toEqual([
      'id',
      'type',
      'dateFrom',
      'dateTo',
      'botId',
      'agentId',
      'duration',
      'conversationId',
      'intent',
      'outcome',
    ]);
    expect(record.type).toBe('bot');
  });

  it('gives an event the same id and body in every window that contains it', () => {
    const boundary = from + 3 * DAY + 12_345;
    const straddling = [...sut.eventsIn(boundary, boundary + 1)].filter(
      (e) => e.startMs < boundary,
    );
    const a = downloadWindow(sut, boundary - DAY, boundary);
    const b = downloadWindow(sut, boundary, boundary + DAY);
    for (const event of straddling) {
      const id = sut.eventId(event.day, event.index);
      expect(a.some((r) => r.id === id)).toBe(true);
      expect(b.some((r) => r.id === id)).toBe(true);
    }
  });

  it('has about 1 % duplicated and 1 % schema-invalid events', () => {
    const events = [...sut.eventsIn(from, from + 30 * DAY)];
    const dup = events.filter((e) => e.duplicated).length / events.length;
    const bad = events.filter((e) => e.defect).length / events.length;
    expect(dup).toBeGreaterThan(0.005);
    expect(dup).toBeLessThan(0.02);
    expect(bad).toBeGreaterThan(0.005);
    expect(bad).toBeLessThan(0.02);
  });
});

describe('computeExportTruth', () => {
  it('splits windows like v2 §exports', () => {
    const windows = splitWindows(from, from + 65 * DAY, 30);
    expect(windows.map((w) => [w.dateFrom, w.dateTo])).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-01-31T00:00:00.000Z'],
      ['2024-01-31T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-03-01T00:00:00.000Z', '2024-03-06T00:00:00.000Z'],
    ]);
  });

  it('matches counting the serialized windows with a validate-then-dedupe pass', () => {
    const seed = 7;
    const windowDays = 2; // many boundaries, so cross-window duplicates certainly occur
    const truth = computeExportTruth({
      seed,
      eventsPerDay: 500,
      fromMs: from,
      toMs: to,
      windowDays,
    });
    const sut = new ExportEventGenerator(seed, 500);
    const seen = new Set<unknown>();
    let received = 0;
    let invalid = 0;
    let duplicates = 0;
    truth.windows.forEach((w) => {
      const records = downloadWindow(sut, Date.parse(w.dateFrom), Date.parse(w.dateTo));
      expect(records.length).toBe(w.records);
      received += records.length;
      for (const record of records) {
        if (!isValid(record)) invalid += 1;
        else if (seen.has(record.id)) duplicates += 1;
        else seen.add(record.id);
      }
    });
    expect(truth).toMatchObject({
      received,
      schemaInvalid: invalid,
      duplicates,
      uniqueValidIds: seen.size,
    });
    expect(truth.crossWindowDuplicates).toBeGreaterThan(0);
    expect(truth.intraWindowDuplicates).toBeGreaterThan(0);
    expect(truth.intraWindowDuplicates + truth.crossWindowDuplicates).toBe(truth.duplicates);
    expect(truth.uniqueValidIds + truth.duplicates + truth.schemaInvalid).toBe(truth.received);
  });
});

describe('every export window, whatever its size', () => {
  const sut = new ExportEventGenerator(42, 200);
  const MINUTE = 60_000;

  it.each([
    ['one UTC day (~200 events)', from, from + DAY],
    ['one day off midnight', from + 7 * 3_600_000 + 123, from + DAY + 7 * 3_600_000 + 123],
    ['one hour', from + 5 * DAY + 3_600_000, from + 5 * DAY + 2 * 3_600_000],
    ['fifteen minutes', from + 9 * DAY + 33 * MINUTE, from + 9 * DAY + 48 * MINUTE],
  ])(
    '%s holds a duplicate and a schema-invalid record, counted exactly by the truth',
    (_, a, b) => {
      const records = downloadWindow(sut, a, b);
      const counted = count(records);
      expect(counted.duplicates).toBeGreaterThanOrEqual(1);
      expect(counted.invalid).toBeGreaterThanOrEqual(1);
      const truth = computeExportTruth({
        seed: 42,
        eventsPerDay: 200,
        fromMs: a,
        toMs: b,
        windowDays: 30,
      });
      expect(truth).toMatchObject({
        received: records.length,
        duplicates: counted.duplicates,
        schemaInvalid: counted.invalid,
      });
    },
  );
});

describe('export event ids', () => {
  it('are unique UUIDs across many days and indexes', () => {
    const sut = new ExportEventGenerator(42, 200);
    const seen = new Set<string>();
    for (let day = 20000; day < 20010; day++) {
      for (let index = 0; index < 20000; index++) seen.add(sut.eventId(day, index));
    }
    expect(seen.size).toBe(200000);
    expect(sut.eventId(20000, 7)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
