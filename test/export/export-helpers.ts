import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { ExportStatusResponseDto } from '../../src/export/export.dto';
import { TEST_KEYS, type TestGateway } from '../utils/test-gateway';

/** An export status document as the API returns it. */
export type ExportBody = ExportStatusResponseDto;
/** A record as served (sandbox records carry strings and one number). */
export type RecordRow = Record<string, string | number>;

/** A 45-day range: two upstream windows (30 + 15 days). */
export const RANGE_45D = { start: '2024-01-01T00:00:00.000Z', end: '2024-02-15T00:00:00.000Z' };

/** Sandbox timings and gateway settings that make an export take well under a second. */
export const FAST_SANDBOX = { exportQueuedMs: 100, exportRunningMs: 200 };
export const FAST_EXPORT_ENV = { EXPORT_POLL_INTERVAL_MS: '50' };

export const FINISHED = ['completed', 'partial', 'failed', 'cancelled'];

export async function createExport(
  t: TestGateway,
  body: object = RANGE_45D,
  key: string = TEST_KEYS.all,
): Promise<string> {
  const res = await request(t.url).post('/v1/exports').set(t.auth(key)).send(body).expect(202);
  return res.body.id as string;
}

export async function getExport(
  t: TestGateway,
  id: string,
  key: string = TEST_KEYS.all,
): Promise<ExportBody> {
  const res = await request(t.url).get(`/v1/exports/${id}`).set(t.auth(key)).expect(200);
  return res.body as ExportBody;
}

/** Polls the status until `done(body)` holds; fails with the last body after `timeoutMs`. */
export async function waitForExport(
  t: TestGateway,
  id: string,
  done: (body: ExportBody) => boolean = (b) => FINISHED.includes(b.status),
  timeoutMs = 20_000,
): Promise<ExportBody> {
  const deadline = Date.now() + timeoutMs;
  let last: ExportBody | undefined;
  while (Date.now() < deadline) {
    last = await getExport(t, id);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`export ${id} did not reach the expected state: ${JSON.stringify(last)}`);
}

/** Parses a JSON records response body. */
export function jsonRecords(res: { body: unknown }): RecordRow[] {
  return JSON.parse(res.body as string) as RecordRow[];
}

export function fetchRecords(t: TestGateway, id: string, format: 'json' | 'ndjson' | 'csv') {
  return request(t.url)
    .get(`/v1/exports/${id}/records?format=${format}`)
    .set(t.auth())
    .buffer(true)
    .parse((res, cb) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => cb(null, text));
    });
}

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF) for checking CSV output. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n')) {
      field += c;
    } else {
      row.push(c === '\n' ? field.replace(/\r$/, '') : field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The window result files (committed or temporary) export `id` has in the gateway's DATA_DIR. */
export function windowFiles(dataDir: string, id: string): string[] {
  try {
    return readdirSync(join(dataDir, 'exports', id)).filter((n) => n.startsWith('window-'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Polls `check` until it holds; fails after `timeoutMs` (for positive outcomes only). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
