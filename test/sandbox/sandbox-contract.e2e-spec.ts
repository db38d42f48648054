import { QUEUE_METRICS, queueMetricValue } from '../../src/sandbox/queue-stats.generator';
import { startSandboxUnderTest, type SandboxUnderTest, type Json } from './sandbox-http.helpers';

describe('CXone sandbox: the seed tutorials, step by step', () => {
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

  describe('token (all three seed URLs, body and Basic client auth)', () => {
    it.each(['/oauth/token', '/v2/oauth2/token', '/oauth2/token'])(
      'issues a bearer token at %s',
      async (path) => {
        const { clientId, clientSecret } = sut.sandbox.fixtures.credentials;
        const response = await fetch(`${sut.sandbox.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}&scope=user%3Astatus%3Awrite`,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        const body = await response.json();
        expect(body).toEqual({
          access_token: expect.any(String),
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'user:status:write',
        });
      },
    );

    it('accepts HTTP Basic client credentials (v2 §analytics)', async () => {
      const { clientId, clientSecret } = sut.sandbox.fixtures.credentials;
      const response = await fetch(`${sut.sandbox.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(200);
      expect((await sut.control.stats()).tokensIssued).toBe(1);
    });

    it.each([
      [
        'grant_type=password&client_id=sandbox-client&client_secret=sandbox-secret',
        400,
        'unsupported_grant_type',
      ],
      ['client_id=sandbox-client&client_secret=sandbox-secret', 400, 'unsupported_grant_type'],
      [
        'grant_type=client_credentials&client_id=sandbox-client&client_secret=wrong',
        401,
        'invalid_client',
      ],
      ['grant_type=client_credentials', 401, 'invalid_client'],
    ])('answers %s with %i %s', async (body, status, error) => {
      const response = await fetch(`${sut.sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(response.status).toBe(status);
      const payload: Json = await response.json();
      expect(payload.error).toBe(error);
    });

    it('rejects API calls without a valid bearer token', async () => {
      for (const headers of [
        {} as Record<string, string>,
        { Authorization: 'Bearer not-issued' },
        { Authorization: 'Basic abc' },
      ]) {
        const response = await fetch(
          `${sut.sandbox.url}/api/v2/users/${sut.sandbox.fixtures.users.agent}`,
          { headers },
        );
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({
          error: 'invalid_token',
          message: expect.any(String),
        });
      }
      expect((await sut.control.stats()).routes.userGet).toEqual({
        calls: 3,
        byStatus: { '401': 3 },
      });
    });
  });

  describe('agent history (v2 §agent-history)', () => {
    const window = (): { start: string; end: string } => {
      const end = new Date();
      return { start: new Date(end.getTime() - 86_400_000).toISOString(), end: end.toISOString() };
    };

    it('pages through the busy agent until all totalRecords are in', async () => {
      const { busy } = sut.sandbox.fixtures.agents;
      const { start, end } = window();
      const all: Json[] = [];
      for (let page = 1; ; page += 1) {
        const response = await sut.get(`/api/v2/reporting/agents/${busy}/history`, {
          start,
          end,
          pageSize: 100,
          page,
        });
        expect(response.status).toBe(200);
        const data = await response.json();
        expect(data).toMatchObject({ page, pageSize: 100 });
        if (data.records.length === 0) break;
        all.push(...data.records);
        if (all.length >= data.totalRecords) break;
      }
      expect(Math.abs(all.length - 1000)).toBeLessThanOrEqual(1);
      expect(all[0]).toMatchObject({
        agentId: busy,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        state: { id: expect.any(Number), name: expect.any(String) },
        previousState: { id: expect.any(Number), name: expect.any(String) },
      });
      for (let i = 1; i < all.length; i += 1) {
        expect(all[i].previousState).toEqual(all[i - 1].state);
        expect(all[i].timestamp > all[i - 1].timestamp).toBe(true);
      }
      const past = await sut.get(`/api/v2/reporting/agents/${busy}/history`, {
        start,
        end,
        page: 99,
      });
      expect((await past.json()).records).toEqual([]);
    });

    it('serves ~50 changes for the moderate agent and none for the quiet one', async () => {
      const { moderate, quiet } = sut.sandbox.fixtures.agents;
      const { start, end } = window();
      const mod = await (
        await sut.get(`/api/v2/reporting/agents/${moderate}/history`, { start, end })
      ).json();
      expect(Math.abs(mod.totalRecords - 50)).toBeLessThanOrEqual(1);
      const q = await sut.get(`/api/v2/reporting/agents/${quiet}/history`, { start, end });
      expect(q.status).toBe(200);
      expect(await q.json()).toEqual({ records: [], totalRecords: 0, page: 1, pageSize: 100 });
    });

    it.each([
      [{ end: '2024-01-02T00:00:00Z' }, 400],
      [{ start: 'yesterday', end: '2024-01-02T00:00:00Z' }, 400],
      [{ start: '2024-01-02T00:00:00Z', end: '2024-01-01T00:00:00Z' }, 400],
      [{ start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', pageSize: 101 }, 400],
      [{ start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', page: 0 }, 400],
    ])('answers %j with %i', async (query, status) => {
      const response = await sut.get(
        `/api/v2/reporting/agents/${sut.sandbox.fixtures.agents.busy}/history`,
        query,
      );
      expect(response.status).toBe(status);
    });

    it('answers an unknown agent with 404', async () => {
      const { start, end } = window();
      const response = await sut.get(
        `/api/v2/reporting/agents/${sut.sandbox.fixtures.agents.unknown}/history`,
        { start, end },
      );
      expect(response.status).toBe(404);
    });
  });

  describe('queue stats (v2 §queue-stats)', () => {
    it('returns the seed structure with deterministic values', async () => {
      const [q1, q2] = sut.sandbox.fixtures.queues;
      const response = await sut.get('/api/v2/reporting/queues/stats', {
        queueIds: `${q1.id},${q2.id}`,
        granularity: 'REAL_TIME',
        metricTypes: 'waitTime,agentCount,conversationCount,abandonCount',
      });
      expect(response.status).toBe(200);
      const { data } = await response.json();
      expect(data.map((d: Json) => d.queue)).toEqual([q1, q2]);
      const waitTime = data[0].metrics.find((m: Json) => m.name === 'waitTime');
      expect(waitTime.values).toEqual([
        { value: queueMetricValue(42, q1.id, 'waitTime'), timestamp: expect.any(String) },
      ]);
      expect(data[0].metrics.map((m: Json) => m.name)).toEqual([
        'waitTime',
        'agentCount',
        'conversationCount',
        'abandonCount',
      ]);
    });

    it('defaults to all queues and all five metrics', async () => {
      const { data } = await (
        await sut.get('/api/v2/reporting/queues/stats', { granularity: 'REAL_TIME' })
      ).json();
      expect(data).toHaveLength(sut.sandbox.fixtures.queues.length);
      expect(data[0].metrics.map((m: Json) => m.name)).toEqual([...QUEUE_METRICS]);
    });

    it.each([
      [{ granularity: 'real_time' }, 400],
      [{}, 400],
      [{ granularity: 'REAL_TIME', metricTypes: 'waitTime,bogus' }, 400],
    ])('answers %j with %i', async (query, status) => {
      expect((await sut.get('/api/v2/reporting/queues/stats', query)).status).toBe(status);
    });

    it('answers an unknown queue with 404 naming it', async () => {
      const { unknownQueue, queues } = sut.sandbox.fixtures;
      const response = await sut.get('/api/v2/reporting/queues/stats', {
        granularity: 'REAL_TIME',
        queueIds: `${queues[0].id},${unknownQueue}`,
      });
      expect(response.status).toBe(404);
      expect((await response.json()).message).toContain(unknownQueue);
    });
  });

  describe('analytics summary (v2 §analytics)', () => {
    const query = {
      metrics: [
        'handle_time',
        'talk_time',
        'hold_time',
        'queue_time',
        'abandon_rate',
        'service_level',
      ],
      dimensions: ['date', 'channel', 'skill'],
      dateRange: { start: '2024-01-01T00:00:00+00:00', end: '2024-01-08T00:00:00+00:00' },
      filters: [],
      paging: { pageSize: 100 },
    };

    it('follows paging.next until it is absent and counts one chain', async () => {
      const rows: Json[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const paging = next ? { ...query.paging, next } : query.paging;
        const response = await sut.send('POST', '/api/v2/analytics/summary/query', {
          ...query,
          paging,
        });
        expect(response.status).toBe(200);
        const result = await response.json();
        rows.push(...result.data);
        next = result.paging?.next ?? undefined;
        pages += 1;
      } while (next);
      expect(rows).toHaveLength(7 * 5 * 3);
      expect(pages).toBe(3); // page size capped at analyticsPageSize (50)
      expect(rows[0]).toMatchObject({ date: '2024-01-01', channel: 'chat', skill: 'Billing' });
      const values = rows.flatMap((r) => query.metrics.map((m) => r[m]));
      expect(values.every((v) => Number.isFinite(Number(v)))).toBe(true);
      expect(values.some((v) => typeof v === 'string')).toBe(true);
      const stats = await sut.control.stats();
      expect(stats.analyticsChains).toBe(1);
      expect(stats.routes.analyticsQuery).toEqual({ calls: 3, byStatus: { '200': 3 } });
    });

    it.each([
      [{ ...query, metrics: ['handle_time', 'nope'] }],
      [{ ...query, dimensions: ['date', 'channel', 'skill', 'queue', 'agent', 'campaign'] }],
      [{ ...query, dateRange: { start: '2024-01-08', end: '2024-01-01' } }],
      [{ ...query, paging: { pageSize: 10, next: 'bm90LWEtY3Vyc29y' } }],
      [{ ...query, filters: [{ dimension: 'channel', operator: 'regex', value: '.*' }] }],
    ])('answers an invalid query with 400 invalidQuery', async (body) => {
      const response = await sut.send('POST', '/api/v2/analytics/summary/query', body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe('invalidQuery');
    });

    it('answers a body that is not JSON with 400', async () => {
      const token = await sut.token();
      const response = await fetch(`${sut.sandbox.url}/api/v2/analytics/summary/query`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{"metrics":',
      });
      expect(response.status).toBe(400);
    });
  });
});
