import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { streamExportDownload } from './export-download';
import { ExportEventGenerator } from './export-events.generator';
import type { ExportJob } from './export-jobs.store';
import { ExportPrerender, renderBody } from './export-prerender';
import { handleExportCreate } from './handlers/exports.handler';
import { DEFAULT_SANDBOX_OPTIONS, type ExportGzipMode } from './sandbox.options';
import type { SandboxRequest } from './sandbox-http';
import { SandboxState } from './sandbox-state';

const DAY = 86_400_000;
const from = Date.parse('2024-01-01T00:00:00.000Z');
const job: ExportJob = {
  id: 'job-1',
  createdAtMs: 0,
  fromMs: from,
  toMs: from + 2 * DAY,
  query: { dateFrom: 'a', dateTo: 'b' },
  gzip: true,
  willFail: false,
};
// ~6 000 records: many 64 KiB chunks, so chunking and backpressure are exercised.
const generator = new ExportEventGenerator(42, 3000);

/** The bytes an on-the-fly download of the plan sends. */
function streamedBody(mode: ExportGzipMode): Promise<Buffer> {
  const res = Object.assign(new PassThrough(), { writeHead: () => undefined });
  const parts: Buffer[] = [];
  res.on('data', (part: Buffer) => parts.push(part));
  return new Promise((resolve) => {
    const plan = { job, generator, mode, recordCount: 0 };
    streamExportDownload(res as unknown as ServerResponse, plan, () =>
      resolve(Buffer.concat(parts)),
    );
  });
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('renderBody', () => {
  it.each<ExportGzipMode>(['content-type', 'none'])(
    'renders exactly the bytes of an on-the-fly download (%s)',
    async (mode) => {
      const sut = await renderBody({ job, generator, mode });
      const streamed = await streamedBody(mode);
      expect(sut?.equals(streamed)).toBe(true);
      const text = (mode === 'none' ? sut : gunzipSync(sut ?? Buffer.alloc(0)))?.toString('utf8');
      const records = JSON.parse(text ?? '') as unknown[];
      expect(records.length).toBeGreaterThan(5000);
    },
  );

  it('stops and returns nothing when cancelled', async () => {
    let calls = 0;
    const sut = await renderBody({ job, generator, mode: 'content-type' }, () => ++calls > 2);
    expect(sut).toBeUndefined();
  });
});

describe('ExportPrerender', () => {
  it('records when it finished and keeps the body', async () => {
    const sut = ExportPrerender.start({ job, generator, mode: 'content-type' }, () => 1234);
    expect(sut.finishedAtMs).toBeUndefined();
    await until(() => sut.finishedAtMs !== undefined);
    expect(sut.finishedAtMs).toBe(1234);
    expect(sut.body?.equals(await streamedBody('content-type'))).toBe(true);
  });

  it('frees the body on release, also mid-render', async () => {
    const sut = ExportPrerender.start({ job, generator, mode: 'content-type' }, () => 1);
    sut.release();
    await until(() => sut.finishedAtMs !== undefined);
    expect(sut.body).toBeUndefined();
  });
});

describe('export jobs with exportPrerender', () => {
  const create = (state: SandboxState): ExportJob => {
    const body = { query: { dateFrom: '2024-01-01T00:00:00Z', dateTo: '2024-01-03T00:00:00Z' } };
    const req = { body: Buffer.from(JSON.stringify(body)) } as SandboxRequest;
    const result = handleExportCreate(state, req);
    const id = (result.kind === 'json' ? result.body : {}) as { id: string };
    const created = state.jobs.get(id.id);
    if (!created) throw new Error('not created');
    return created;
  };
  const options = { ...DEFAULT_SANDBOX_OPTIONS, exportEventsPerDay: 3000 };

  it('stays running after its phases until the render has finished', async () => {
    let now = 1_000_000;
    const state = new SandboxState(
      { ...options, exportPrerender: true, exportQueuedMs: 10, exportRunningMs: 10 },
      () => now,
    );
    const sut = create(state);
    now += 20;
    expect(state.jobs.status(sut)).toBe('running');
    await until(() => sut.prerender?.finishedAtMs !== undefined);
    now += 5;
    expect(state.jobs.status(sut)).toBe('completed');
    expect(state.jobs.updatedAtMs(sut)).toBe(1_000_020);
    expect(sut.prerender?.body?.length).toBeGreaterThan(0);
    state.resetAll();
    expect(sut.prerender?.body).toBeUndefined();
  });

  it('prerenders nothing when the option is off or the job will fail', () => {
    const off = new SandboxState(options);
    expect(create(off).prerender).toBeUndefined();
    const failing = new SandboxState({
      ...options,
      exportPrerender: true,
      faults: [{ route: 'exportCreate', kind: 'failJob', times: 1 }],
    });
    expect(create(failing).prerender).toBeUndefined();
  });
});
