import { gunzipSync } from 'node:zlib';
import {
  sleep,
  startSandboxUnderTest,
  type Json,
  type SandboxUnderTest,
} from './sandbox-http.helpers';

const EXPORTS = '/api/v2/analytics/exports';
const query = { dateFrom: '2024-01-01T00:00:00.000Z', dateTo: '2024-01-03T00:00:00.000Z' };

async function completedJob(sut: SandboxUnderTest): Promise<Json> {
  const created = await sut.send('POST', EXPORTS, { query, format: 'json', compression: 'gzip' });
  expect(created.status).toBe(202);
  const job = await created.json();
  let status: Json;
  do {
    await sleep(20);
    status = await (await sut.get(`${EXPORTS}/${job.id}`)).json();
  } while (status.status !== 'completed');
  return status;
}

async function downloadBytes(sut: SandboxUnderTest, id: string): Promise<[Buffer, Headers]> {
  const response = await sut.get(`${EXPORTS}/${id}/download`);
  expect(response.status).toBe(200);
  return [Buffer.from(await response.arrayBuffer()), response.headers];
}

describe('CXone sandbox: exportPrerender', () => {
  let prerendered: SandboxUnderTest;
  let streamed: SandboxUnderTest;
  const options = { exportQueuedMs: 0, exportRunningMs: 0, exportEventsPerDay: 2000 };

  beforeAll(async () => {
    prerendered = await startSandboxUnderTest({ ...options, exportPrerender: true });
    streamed = await startSandboxUnderTest(options);
  });

  afterAll(async () => {
    await prerendered.sandbox.close();
    await streamed.sandbox.close();
  });

  it('serves the prepared file: the same bytes as a streamed download, with a length', async () => {
    const job = await completedJob(prerendered);
    const [body, headers] = await downloadBytes(prerendered, job.id);
    expect(headers.get('content-type')).toBe('application/gzip');
    expect(headers.get('content-length')).toBe(String(body.length));
    const [expected, streamedHeaders] = await downloadBytes(
      streamed,
      (await completedJob(streamed)).id,
    );
    expect(streamedHeaders.get('content-length')).toBeNull();
    expect(body.equals(expected)).toBe(true);
    expect(JSON.parse(gunzipSync(body).toString('utf8'))).toHaveLength(job.recordCount);
  });

  it('still streams a truncated download when a fault asks for one', async () => {
    const job = await completedJob(prerendered);
    await prerendered.control.addFaults([
      { route: 'exportDownload', kind: 'truncatedGzip', times: 1 },
    ]);
    const [body, headers] = await downloadBytes(prerendered, job.id);
    expect(headers.get('content-length')).toBeNull();
    expect(() => gunzipSync(body)).toThrow(/unexpected end of file/);
  });
});
