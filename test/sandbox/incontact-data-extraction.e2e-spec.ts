import { parse } from 'csv-parse/sync';
import { request as httpRequest } from 'node:http';
import { DataExtractionControlClient } from '../../src/sandbox/incontact/data-extraction/de-control.client';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';

/**
 * The simulated Data Extraction API called the way the public clients call the real one:
 * create (202 + id), poll every few seconds, download the pre-signed URL with a bare GET right
 * away, parse the CSV. Time is the sandbox's injected clock, stepped by the spec.
 */
const T0 = Date.parse('2024-06-03T08:00:00Z');
const JOB = {
  entityName: 'recording-interaction-metadata',
  version: '7',
  startDate: '2024-05-01',
  endDate: '2024-05-02',
};
const ROWS_PER_DAY = 300;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed HTTP bodies are asserted on, never trusted
type Json = any;

describe('Sandbox: Data Extraction API (contract)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let de: DataExtractionControlClient;
  let now = T0;
  let token = '';

  beforeAll(async () => {
    sandbox = await startSandbox(
      { port: 0, dataExtraction: { rowsPerDay: ROWS_PER_DAY, runningMs: 8000 } },
      () => now,
    );
    control = new SandboxControlClient(sandbox.url);
    de = new DataExtractionControlClient(sandbox.url);
  });
  afterAll(() => sandbox?.close());

  beforeEach(async () => {
    await control.reset();
    await control.clearFaults();
    now += 3_600_000;
    token = await fetchToken();
  });

  /** An inContact access token: password grant with the access key, Basic client auth. */
  async function fetchToken(): Promise<string> {
    const { clientId, clientSecret, accessKeyId, accessKeySecret } =
      sandbox.fixtures.incontact.credentials;
    const res = await fetch(`${sandbox.url}/auth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: accessKeyId,
        password: accessKeySecret,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return fetch(`${sandbox.url}/data-extraction/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function createJob(body: object = JOB): Promise<string> {
    const res = await api('POST', '/jobs', body);
    expect(res.status).toBe(202);
    return (await res.json()) as string;
  }

  async function poll(id: string): Promise<Json> {
    const res = await api('GET', `/jobs/${id}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as Json).jobStatus;
  }

  /** The file once the job has succeeded: a fresh URL, downloaded with a bare GET. */
  async function succeededUrl(id: string): Promise<string> {
    now += 8000;
    const status = await poll(id);
    expect(status.status).toBe('SUCCEEDED');
    return status.result.url as string;
  }

  it('creates a job: 202 with the job id as a bare JSON string, and lists it', async () => {
    const res = await api('POST', '/jobs', JOB);
    expect(res.status).toBe(202);
    const text = await res.text();
    expect(text).toMatch(/^"[0-9a-f-]{36}"$/);
    const id = JSON.parse(text) as string;
    const list = await api('GET', '/jobs');
    expect(await list.json()).toEqual({ jobs: [{ id, status: 'RUNNING' }] });
    expect(await poll(id)).toEqual({ id, status: 'RUNNING' });
  });

  it('answers {"jobId"} and title-case statuses when so configured', async () => {
    await de.configure({ jobIdAs: 'object', statusCase: 'title' });
    const res = await api('POST', '/jobs', JOB);
    const body = (await res.json()) as { jobId: string };
    expect(body.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await poll(body.jobId)).status).toBe('Running');
    now += 8000;
    expect((await poll(body.jobId)).status).toBe('Succeeded');
  });

  it('throttles a second create within 30 s with a 403 text body; the window is per accepted call', async () => {
    await createJob();
    now += 29_999;
    const throttled = await api('POST', '/jobs', JOB);
    expect(throttled.status).toBe(403);
    expect(throttled.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await throttled.text()).toMatch(/one call per 30 seconds/);
    now += 1;
    await createJob();
    expect((await de.snapshot()).throttled).toEqual({ create: 1, list: 0, get: 0 });
  });

  it('answers the throttle with 429 and counts polls too when so configured', async () => {
    await de.configure({ throttleStatus: 429, throttleScope: 'all' });
    const id = await createJob();
    now += 5000;
    const early = await api('GET', `/jobs/${id}`);
    expect(early.status).toBe(429);
    now += 25_000;
    expect((await api('GET', `/jobs/${id}`)).status).toBe(200);
    expect((await de.snapshot()).throttled).toEqual({ create: 0, list: 0, get: 1 });
  });

  it('serves the file at a pre-signed URL: a bare GET gets the CSV with a BOM and the documented header', async () => {
    const url = await succeededUrl(await createJob());
    expect(new URL(url).pathname).toMatch(/^\/storage\/data-extraction\/[0-9a-f-]{36}\.csv$/);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('30');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes, { bom: true, relax_column_count: true });
    expect(rows[0]).toEqual(expect.arrayContaining(['ACD Call ID', 'Segment ID', 'Start Date']));
    expect(rows[0]).toHaveLength(12);
    expect(rows.flat()).toContain('Escalated\nTier 2 review');
    const truth = await de.truth({ startDate: JOB.startDate, endDate: JOB.endDate });
    expect(rows.length - 1).toBe(truth.windows[0].fileRows);
  });

  it('with prerender=on, stays RUNNING until the file is rendered, then serves the same bytes', async () => {
    const streamed = Buffer.from(
      await (await fetch(await succeededUrl(await createJob()))).arrayBuffer(),
    );
    await de.configure({ prerender: 'on', throttleMs: 0 });
    const id = await createJob();
    now += 8000;
    // The render runs one chunk per turn of the sandbox's event loop: polls see RUNNING until
    // it is done (each poll is a request, so the loop turns; no sleep).
    const seen = new Set<string>();
    let status = await poll(id);
    for (let i = 0; status.status !== 'SUCCEEDED' && i < 10_000; i += 1) {
      seen.add(status.status as string);
      status = await poll(id);
    }
    expect(status.status).toBe('SUCCEEDED');
    expect([...seen].every((s) => s === 'RUNNING')).toBe(true);
    const res = await fetch(status.result.url as string);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(streamed)).toBe(true);
    expect((await de.snapshot()).storage).toMatchObject({ served: 2, prerendered: 1 });
  });

  it('refuses a download that also carries an Authorization header (as S3 does)', async () => {
    const url = await succeededUrl(await createJob());
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidArgument</Code>');
    expect((await de.snapshot()).storage).toMatchObject({ refusedAuthorization: 1, served: 0 });
  });

  it('lets a URL lapse 30 s after it was minted (403); a new poll mints a fresh one', async () => {
    const id = await createJob();
    const url = await succeededUrl(id);
    now += 31_000;
    const lapsed = await fetch(url);
    expect(lapsed.status).toBe(403);
    expect(await lapsed.text()).toContain('Request has expired');
    const fresh = (await poll(id)).result.url as string;
    expect(fresh).not.toBe(url);
    expect((await fetch(fresh)).status).toBe(200);
  });

  it('with urlMinting=once, every poll returns the URL minted at success, which lapses', async () => {
    await de.configure({ urlMinting: 'once' });
    const id = await createJob();
    const url = await succeededUrl(id);
    now += 40_000;
    expect((await poll(id)).result.url).toBe(url);
    expect((await fetch(url)).status).toBe(403);
  });

  it('refuses a tampered URL with 403 SignatureDoesNotMatch', async () => {
    const url = new URL(await succeededUrl(await createJob()));
    url.searchParams.set('X-Amz-Expires', '86400');
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('SignatureDoesNotMatch');
  });

  it('reads EXPIRED once the retention has passed, with no URL and the file gone', async () => {
    await de.configure({ retentionMs: 60_000 });
    const id = await createJob();
    const url = await succeededUrl(id);
    now += 60_000;
    expect(await poll(id)).toEqual({ id, status: 'EXPIRED' });
    expect((await fetch(url)).status).toBe(403);
  });

  it('ends a job FAILED with its errorMessage when a failJob fault is set', async () => {
    await control.addFaults([{ route: 'dataExtractionCreate', kind: 'failJob', times: 1 }]);
    const id = await createJob();
    now += 8000;
    expect(await poll(id)).toEqual({
      id,
      status: 'FAILED',
      result: { errorMessage: 'Data extraction failed: simulated upstream error' },
    });
  });

  it('cuts the file mid-record and drops the connection on a truncatedGzip fault', async () => {
    const url = await succeededUrl(await createJob());
    await control.addFaults([{ route: 'dataExtractionFile', kind: 'truncatedGzip', times: 1 }]);
    const outcome = await new Promise<string>((resolve) => {
      httpRequest(url, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('complete'));
        res.on('error', () => resolve('aborted'));
        res.on('aborted', () => resolve('aborted'));
      })
        .on('error', () => resolve('aborted'))
        .end();
    });
    expect(outcome).toBe('aborted');
    expect((await de.snapshot()).storage.truncated).toBe(1);
  });

  it('reads endDate as exclusive by default and as inclusive when so configured', async () => {
    const exclusive = await de.truth({ startDate: '2024-05-01', endDate: '2024-05-02' });
    const first = await rowDays(await succeededUrl(await createJob()));
    expect(first).toEqual(['2024-05-01']);
    expect(exclusive.outsideWindow).toBe(0);
    await de.configure({ endDateReading: 'inclusive' });
    now += 30_000;
    const second = await rowDays(await succeededUrl(await createJob()));
    expect(second).toEqual(['2024-05-01', '2024-05-02']);
    const inclusive = await de.truth({ startDate: '2024-05-01', endDate: '2024-05-02' });
    expect(inclusive.outsideWindow).toBeGreaterThan(0);
    expect(inclusive.valid).toBe(exclusive.valid);
  });

  async function rowDays(url: string): Promise<string[]> {
    const rows = parse<Record<string, string>>(
      Buffer.from(await (await fetch(url)).arrayBuffer()),
      {
        bom: true,
        relax_column_count: true,
        columns: true,
      },
    );
    return [...new Set(rows.map((r) => r['Start Date'].slice(0, 10)).filter(Boolean))].sort();
  }

  it('counts a create made while another job of the tenant runs', async () => {
    await createJob();
    now += 30_000;
    expect((await de.snapshot()).jobs.createsWhileRunning).toBe(0);
    await de.configure({ runningMs: 120_000 });
    await createJob();
    now += 30_000;
    await createJob();
    expect((await de.snapshot()).jobs).toMatchObject({
      createsWhileRunning: 1,
      runningHighWater: 2,
    });
  });

  it.each([
    [{ ...JOB, version: 7 }, /entityName and version are required strings/],
    [{ ...JOB, entityName: 'qm-nothing' }, /Unknown entity qm-nothing v7/],
    [{ ...JOB, startDate: '2024-05-01T00:00:00Z' }, /startDate must be a date as YYYY-MM-DD/],
    [{ ...JOB, endDate: '2024-05-01' }, /endDate must be after startDate/],
    [{ ...JOB, endDate: '2024-06-05' }, /at most 31 days/],
  ])('refuses a bad create body with 400 (%j)', async (body, message) => {
    const res = await api('POST', '/jobs', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).errorDescription).toMatch(message);
  });

  it('answers 404 for an unknown job and 401 without a valid inContact token', async () => {
    expect((await api('GET', '/jobs/3f2b9a44-6c1e-4a8e-9d7e-0c9f1e2a7b11')).status).toBe(404);
    const { clientId, clientSecret } = sandbox.fixtures.credentials;
    const v2 = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    // A token of the tutorials' /api/v2 surface is no credential for the real API's services.
    token = ((await v2.json()) as { access_token: string }).access_token;
    expect((await api('GET', '/jobs')).status).toBe(401);
    token = 'not-a-token';
    const res = await api('GET', '/jobs');
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error).toBe('invalid_token');
  });
});
