import {
  sleep,
  startSandboxUnderTest,
  validateDownload,
  type SandboxUnderTest,
  type Json,
} from './sandbox-http.helpers';

describe('CXone sandbox: exports and status changes as the seed tutorials make them', () => {
  let sut: SandboxUnderTest;

  beforeAll(async () => {
    sut = await startSandboxUnderTest({
      historyRecords: 1000,
      exportQueuedMs: 50,
      exportRunningMs: 100,
    });
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  describe('exports (v2 §exports)', () => {
    const payload = (dateFrom: string, dateTo: string): unknown => ({
      query: { dateFrom, dateTo, filter: "type eq 'bot'" },
      exportType: 'conversation',
      format: 'json',
      compression: 'gzip',
      includeHeaders: true,
    });

    async function runExport(
      dateFrom: string,
      dateTo: string,
    ): Promise<ReturnType<typeof validateDownload>> {
      const created = await sut.send(
        'POST',
        '/api/v2/analytics/exports',
        payload(dateFrom, dateTo),
      );
      expect(created.status).toBe(202);
      const job = await created.json();
      expect(job).toMatchObject({
        id: expect.any(String),
        status: 'queued',
        query: { dateFrom, dateTo },
      });
      let status: Json;
      do {
        await sleep(40);
        status = await (await sut.get(`/api/v2/analytics/exports/${job.id}`)).json();
      } while (!['completed', 'failed'].includes(status.status));
      expect(status.status).toBe('completed');
      const download = await sut.get(`/api/v2/analytics/exports/${job.id}/download`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/gzip');
      const result = validateDownload(Buffer.from(await download.arrayBuffer()), download.headers);
      expect(result.records).toHaveLength(status.recordCount);
      return result;
    }

    it('runs the seed pipeline over two windows and matches the truth exactly', async () => {
      const windows = [
        ['2023-10-01T00:00:00.000Z', '2023-10-08T12:00:00.000Z'],
        ['2023-10-08T12:00:00.000Z', '2023-10-15T23:59:59.999Z'],
      ];
      const seen = new Set<unknown>();
      let received = 0;
      let schemaErrors = 0;
      let duplicates = 0;
      for (const [from, to] of windows) {
        const { records, valid, schemaErrors: bad, duplicates: dup } = await runExport(from, to);
        received += records.length;
        schemaErrors += bad;
        duplicates += dup;
        for (const record of valid) {
          if (seen.has(record.id)) duplicates += 1;
          else seen.add(record.id);
        }
      }
      const truth = await sut.control.exportTruth(windows[0][0], windows[1][1], 7.5);
      expect(truth.windows.map((w) => [w.dateFrom, w.dateTo])).toEqual(windows);
      expect({ received, schemaErrors, duplicates, unique: seen.size }).toEqual({
        received: truth.received,
        schemaErrors: truth.schemaInvalid,
        duplicates: truth.duplicates,
        unique: truth.uniqueValidIds,
      });
      expect(truth.crossWindowDuplicates + truth.intraWindowDuplicates).toBe(truth.duplicates);
    });

    it('lists active jobs and refuses a fourth one with 409', async () => {
      for (let i = 0; i < 3; i += 1) {
        const r = await sut.send(
          'POST',
          '/api/v2/analytics/exports',
          payload('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'),
        );
        expect(r.status).toBe(202);
      }
      const list = await (
        await sut.get('/api/v2/analytics/exports', { status: 'queued,running' })
      ).json();
      expect(list.entities).toHaveLength(3);
      const fourth = await sut.send(
        'POST',
        '/api/v2/analytics/exports',
        payload('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'),
      );
      expect(fourth.status).toBe(409);
      expect(await fourth.json()).toEqual({
        error: 'conflict',
        message: 'Concurrent export limit reached',
      });
      expect((await sut.control.stats()).activeExportsMax).toBe(3);
    });

    it.each([
      [{ query: { dateTo: '2024-01-02T00:00:00Z' } }, 400],
      [{ query: { dateFrom: '2024-01-01T00:00:00Z', dateTo: '2024-02-01T00:00:00Z' } }, 400],
      [{ query: { dateFrom: '2024-01-02T00:00:00Z', dateTo: '2024-01-01T00:00:00Z' } }, 400],
    ])('answers %j with %i', async (body, status) => {
      expect((await sut.send('POST', '/api/v2/analytics/exports', body)).status).toBe(status);
    });

    it('answers unknown jobs with 404 and downloads before completion with 409', async () => {
      expect(
        (await sut.get('/api/v2/analytics/exports/00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
      const job = await (
        await sut.send(
          'POST',
          '/api/v2/analytics/exports',
          payload('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'),
        )
      ).json();
      expect((await sut.get(`/api/v2/analytics/exports/${job.id}/download`)).status).toBe(409);
    });
  });

  describe('users and status (v2 §status)', () => {
    const body = {
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: null,
      directiveFlags: { autoAvailable: false, respectWrapUp: true },
    };

    it('returns roles and a shift around now for the agent', async () => {
      const { agent } = sut.sandbox.fixtures.users;
      const user = await (await sut.get(`/api/v2/users/${agent}`)).json();
      const now = Date.now() / 1000;
      expect(user).toMatchObject({ id: agent, roles: [{ name: 'Agent' }], status: 'Available' });
      expect(user.shiftSchedule.start).toBeLessThanOrEqual(now);
      expect(user.shiftSchedule.end).toBeGreaterThanOrEqual(now);
    });

    it('describes every fixture user', async () => {
      const { supervisor, noAgentRole, offShift, noShift, unknown } = sut.sandbox.fixtures.users;
      expect((await (await sut.get(`/api/v2/users/${supervisor}`)).json()).roles).toEqual([
        { name: 'Supervisor' },
      ]);
      expect((await (await sut.get(`/api/v2/users/${noAgentRole}`)).json()).roles).toEqual([
        { name: 'Viewer' },
      ]);
      expect(
        (await (await sut.get(`/api/v2/users/${offShift}`)).json()).shiftSchedule.end,
      ).toBeLessThan(Date.now() / 1000);
      expect(
        (await (await sut.get(`/api/v2/users/${noShift}`)).json()).shiftSchedule,
      ).toBeUndefined();
      expect((await sut.get(`/api/v2/users/${unknown}`)).status).toBe(404);
    });

    it('updates and remembers a status, logging the request without the token', async () => {
      const { agent } = sut.sandbox.fixtures.users;
      const response = await sut.send('PUT', `/api/v2/users/${agent}/status`, body);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        userId: agent,
        status: 'Break',
        pauseReason: 'Queue Full',
        updatedAt: expect.any(String),
      });
      expect((await (await sut.get(`/api/v2/users/${agent}`)).json()).status).toBe('Break');
      const [logged] = await sut.control.requests('userStatus');
      expect(logged).toMatchObject({ method: 'PUT', body });
      expect(logged.headers.authorization).toBeUndefined();
    });

    it.each([
      [{ ...body, status: 'Napping' }, 400],
      [{ ...body, pauseReason: null }, 400],
      [{ ...body, pauseReason: 'Bored' }, 400],
      [{ ...body, directiveFlags: { autoAvailable: 1, respectWrapUp: true } }, 400],
    ])('answers %j with %i', async (payload, status) => {
      const response = await sut.send(
        'PUT',
        `/api/v2/users/${sut.sandbox.fixtures.users.agent}/status`,
        payload,
      );
      expect(response.status).toBe(status);
      expect((await response.json()).message).toEqual(expect.any(String));
    });

    it('answers 409 for the wrap-up user and 404 for an unknown one', async () => {
      const { wrapUp, unknown } = sut.sandbox.fixtures.users;
      const conflict = await sut.send('PUT', `/api/v2/users/${wrapUp}/status`, body);
      expect(conflict.status).toBe(409);
      expect((await conflict.json()).message).toBe('wrap-up active');
      expect((await sut.send('PUT', `/api/v2/users/${unknown}/status`, body)).status).toBe(404);
    });
  });

  it('answers unknown routes with 404 JSON and serves fixtures on the control API', async () => {
    const response = await fetch(`${sut.sandbox.url}/api/v2/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await sut.control.fixtures()).toEqual(sut.sandbox.fixtures);
  });
});
