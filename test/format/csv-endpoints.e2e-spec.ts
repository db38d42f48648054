import request from 'supertest';
import { DEFAULT_INCONTACT_QUIRKS } from '../../src/sandbox/incontact/quirks';
import {
  createExport,
  FAST_EXPORT_ENV,
  FAST_SANDBOX,
  waitForExport,
} from '../export/export-helpers';
import { startTestGateway, TestGateway } from '../utils/test-gateway';
import { readCsv } from '../../src/common/format/csv-reader.fake';

const FORMULA_START = /^[=+\-@\t\r]/;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BUSY_AGENT = 'a0000000-0000-4000-8000-000000000001';
const SUMMARY = {
  metrics: ['handle_time', 'talk_time', 'queue_time'],
  dimensions: ['date', 'channel', 'skill', 'queue', 'campaign'],
  start: '2026-11-01T00:00:00Z',
  end: '2026-11-02T00:00:00Z',
};

type Row = Record<string, unknown>;

interface Endpoint {
  name: string;
  fileName: RegExp;
  /** Fetches the endpoint in a format with extra query options. */
  fetch(t: TestGateway, query: Record<string, string>): Promise<request.Response>;
  /** The JSON rows the CSV must carry, with its columns. */
  rowsOf(body: unknown): Row[];
}

/** The bytes of an answer, whatever its type (supertest only buffers JSON by itself). */
function bytes(req: request.Test): Promise<request.Response> {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

let exportId = '';

const ENDPOINTS: Endpoint[] = [
  {
    name: 'agent state history',
    fileName: /^agents-a0000000-0000-4000-8000-000000000001-state-history\.csv$/,
    fetch: (t, query) =>
      bytes(
        request(t.url)
          .get(`/v1/agents/${BUSY_AGENT}/state-history`)
          .query({ start: '2026-11-20T00:00:00Z', end: '2026-11-20T06:00:00Z', ...query })
          .set(t.auth()),
      ),
    rowsOf: (body) => (body as { records: Row[] }).records,
  },
  {
    name: 'queue stats',
    fileName: /^queues-stats\.csv$/,
    fetch: (t, query) => bytes(request(t.url).get('/v1/queues/stats').query(query).set(t.auth())),
    rowsOf: (body) => (body as { queues: Row[] }).queues,
  },
  {
    name: 'analytics summary',
    fileName: /^analytics-summary\.csv$/,
    fetch: (t, query) =>
      bytes(request(t.url).post('/v1/analytics/summary').query(query).set(t.auth()).send(SUMMARY)),
    rowsOf: (body) => (body as { rows: Row[] }).rows,
  },
  {
    name: 'seed-compatible analytics query',
    fileName: /^analytics-query\.csv$/,
    fetch: (t, query) =>
      bytes(
        request(t.url).post('/api/v1/analytics/query').query(query).set(t.auth()).send({
          metrics: SUMMARY.metrics,
          dimensions: SUMMARY.dimensions,
          start_date: SUMMARY.start,
          end_date: SUMMARY.end,
        }),
      ),
    rowsOf: (body) => (body as { data: Row[] }).data,
  },
  {
    name: 'export records',
    fileName: /^exports-[0-9a-f-]{36}-records\.csv$/,
    fetch: (t, query) =>
      bytes(request(t.url).get(`/v1/exports/${exportId}/records`).query(query).set(t.auth())),
    rowsOf: (body) => body as Row[],
  },
];

/** What a JSON value must look like as a CSV cell. */
function expectedCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return FORMULA_START.test(value) ? `'${value}` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Every CSV endpoint, fed by a sandbox that puts formula-like, quoted, comma- and newline-
 * bearing text in every upstream text field, must write exactly the JSON answer's values —
 * text neutralised, numbers as numbers — in bytes a strict RFC 4180 reader accepts.
 */
describe('CSV from every endpoint, with hostile upstream text (e2e)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({
      env: FAST_EXPORT_ENV,
      sandbox: {
        ...FAST_SANDBOX,
        exportEventsPerDay: 40,
        incontactQuirks: { ...DEFAULT_INCONTACT_QUIRKS, hostileText: true },
      },
    });
    exportId = await createExport(t, {
      start: '2024-01-01T00:00:00.000Z',
      end: '2024-01-03T00:00:00.000Z',
    });
    await waitForExport(t, exportId);
  });
  afterAll(() => t.close());

  describe.each(ENDPOINTS.map((e) => [e.name, e] as const))('%s', (_name, endpoint) => {
    it.each([
      [',', {}],
      [';', { delimiter: ';', bom: 'true' }],
      ['\t', { delimiter: 'tab' }],
      ['|', { delimiter: '|' }],
    ] as const)('writes the JSON values exactly, delimiter %j', async (delimiter, options) => {
      const jsonRes = await endpoint.fetch(t, { format: 'json' });
      expect(jsonRes.status).toBe(200);
      const rows = endpoint.rowsOf(JSON.parse((jsonRes.body as Buffer).toString('utf8')));
      expect(rows.length).toBeGreaterThan(0);

      const res = await endpoint.fetch(t, { format: 'csv', ...options });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const disposition = /^attachment; filename="([^"]+)"$/.exec(
        String(res.headers['content-disposition']),
      );
      expect(disposition?.[1]).toMatch(endpoint.fileName);

      let buf = res.body as Buffer;
      const withBom = 'bom' in options;
      expect(buf.subarray(0, 3).equals(BOM)).toBe(withBom);
      if (withBom) buf = buf.subarray(3);
      const [header, ...cells] = readCsv(buf.toString('utf8'), delimiter);
      expect(cells).toHaveLength(rows.length);
      // The sandbox's hostile text reached this endpoint: some cells had to be neutralised.
      const neutralised = cells.flat().filter((c) => /^'[=+\-@\t\r]/.test(c)).length;
      expect(neutralised).toBeGreaterThan(0);
      cells.forEach((record, i) => {
        expect(record).toHaveLength(header.length);
        header.forEach((column, c) => expect(record[c]).toBe(expectedCell(rows[i][column])));
        // Nothing a spreadsheet would evaluate: a formula-like cell is a number or neutralised.
        record.forEach((cell) => {
          if (FORMULA_START.test(cell)) expect(Number.isFinite(Number(cell))).toBe(true);
        });
      });
    });

    it('answers NDJSON as a download too', async () => {
      const res = await endpoint.fetch(t, { format: 'ndjson' });
      expect(res.status).toBe(200);
      expect(String(res.headers['content-disposition'])).toMatch(
        /^attachment; filename=".+\.ndjson"$/,
      );
    });

    it('refuses a delimiter outside the list, naming the field', async () => {
      const res = await endpoint.fetch(t, { format: 'csv', delimiter: ':' });
      expect(res.status).toBe(400);
      const problem = JSON.parse((res.body as Buffer).toString('utf8'));
      expect(problem.errors).toEqual([{ field: 'delimiter', message: expect.any(String) }]);
    });
  });

  it('the sandbox really sent hostile text, and it reached the CSV neutralised', async () => {
    const res = await ENDPOINTS[1].fetch(t, { format: 'csv' });
    const [header, ...cells] = readCsv((res.body as Buffer).toString('utf8'));
    const names = cells.map((r) => r[header.indexOf('queueName')]);
    expect(names.some((n) => /^'[=+\-@\t\r]/.test(n))).toBe(true);
    expect(names.some((n) => /[",\n]/.test(n))).toBe(true);
  });
});
