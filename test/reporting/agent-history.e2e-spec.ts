import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { parseCsv, parseNdjson, sandboxToken, upstreamGet } from './reporting-helpers';

const DAY_MS = 86_400_000;

interface HistoryRecord {
  timestamp: string;
  agentId: string;
  state: string;
  stateId: number;
  previousState: string | null;
  durationSeconds: number;
}
interface HistoryBody {
  agentId: string;
  start: string;
  end: string;
  count: number;
  records: HistoryRecord[];
  summary: {
    byState: Record<string, { count: number; seconds: number }>;
    firstChange: string | null;
    lastChange: string | null;
  };
}
interface UpstreamPage {
  records: {
    agentId: string;
    timestamp: string;
    state: { id: number; name: string };
    previousState: { name: string };
  }[];
  totalRecords: number;
}

/** Yesterday 00:00 → today 00:00 UTC: a whole slot-aligned day, so the busy agent has exactly 10 000 changes. */
function yesterdayUtc(): { start: string; end: string } {
  const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return {
    start: new Date(midnight - DAY_MS).toISOString(),
    end: new Date(midnight).toISOString(),
  };
}

describe('GET /v1/agents/{agentId}/state-history (e2e)', () => {
  let t: TestGateway;
  let agents: TestGateway['sandbox']['fixtures']['agents'];
  const history = (
    agentId: string,
    query: Record<string, string> = {},
    key: string = TEST_KEYS.reporting,
  ) => request(t.url).get(`/v1/agents/${agentId}/state-history`).query(query).set(t.auth(key));

  beforeAll(async () => {
    t = await startTestGateway();
    agents = t.sandbox.fixtures.agents;
  });
  afterAll(() => t.close());

  it('returns every page of the busy agent (10 000 changes in 24 h) in upstream order', async () => {
    const window = yesterdayUtc();
    await t.control.resetStats();
    const res = await history(agents.busy, window).expect(200);
    const body = res.body as HistoryBody;
    const calls = (await t.control.stats()).routes.agentHistory.calls;

    const token = await sandboxToken(t);
    const upstream: UpstreamPage['records'] = [];
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ ...window, page: String(page), pageSize: '100' });
      const data = await upstreamGet<UpstreamPage>(
        t,
        token,
        `/api/v2/reporting/agents/${agents.busy}/history?${q.toString()}`,
      );
      upstream.push(...data.records);
      if (upstream.length >= data.totalRecords || data.records.length === 0) break;
    }

    expect(body.count).toBe(10_000);
    expect(body.records).toHaveLength(10_000);
    expect(upstream).toHaveLength(10_000);
    expect(
      body.records.map((r) => `${r.timestamp} ${r.state} ${r.stateId} ${r.previousState}`),
    ).toEqual(
      upstream.map((r) => `${r.timestamp} ${r.state.name} ${r.state.id} ${r.previousState.name}`),
    );
    expect(body).toMatchObject({ agentId: agents.busy, start: window.start, end: window.end });
    // 100 pages of 100; the pager may look one page past the end.
    expect(calls).toBeGreaterThanOrEqual(100);
    expect(calls).toBeLessThanOrEqual(101);
  });

  it('computes durations until the next change and a summary that adds up to end − first change', async () => {
    const window = yesterdayUtc();
    const body = (await history(agents.busy, window).expect(200)).body as HistoryBody;
    const ms = body.records.map((r) => Date.parse(r.timestamp));
    const endMs = Date.parse(body.end);
    body.records.forEach((r, i) => {
      const next = i + 1 < ms.length ? ms[i + 1] : endMs;
      expect(r.durationSeconds).toBe((next - ms[i]) / 1000);
      if (i > 0) expect(ms[i]).toBeGreaterThanOrEqual(ms[i - 1]);
    });
    const totals = Object.values(body.summary.byState);
    expect(totals.reduce((s, x) => s + x.count, 0)).toBe(body.count);
    expect(totals.reduce((s, x) => s + x.seconds, 0)).toBeCloseTo((endMs - ms[0]) / 1000, 3);
    for (const [state, totalsOfState] of Object.entries(body.summary.byState)) {
      const mine = body.records.filter((r) => r.state === state);
      expect(totalsOfState.count).toBe(mine.length);
      expect(totalsOfState.seconds).toBeCloseTo(
        mine.reduce((s, r) => s + r.durationSeconds, 0),
        3,
      );
    }
    expect(body.summary.firstChange).toBe(body.records[0].timestamp);
    expect(body.summary.lastChange).toBe(body.records.at(-1)?.timestamp);
  });

  it('reads an agent UUID in any case and answers with its lower-case spelling', async () => {
    const range = yesterdayUtc();
    const lower = (await history(agents.moderate, range).expect(200)).body as HistoryBody;
    const upper = (await history(agents.moderate.toUpperCase(), range).expect(200))
      .body as HistoryBody;
    expect(upper.agentId).toBe(agents.moderate);
    expect(upper.records).toEqual(lower.records);
    expect(upper.count).toBeGreaterThan(0);
  });

  it('defaults to the last 24 hours', async () => {
    const before = Date.now();
    const body = (await history(agents.moderate).expect(200)).body as HistoryBody;
    const end = Date.parse(body.end);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(Date.now());
    expect(end - Date.parse(body.start)).toBe(DAY_MS);
    expect(body.count).toBeGreaterThanOrEqual(49);
    expect(body.count).toBeLessThanOrEqual(51);
  });

  it('accepts 31 days and refuses 32, naming the field', async () => {
    const end = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const ok = await history(agents.moderate, {
      start: new Date(end - 31 * DAY_MS).toISOString(),
      end: new Date(end).toISOString(),
    }).expect(200);
    expect((ok.body as HistoryBody).count).toBeGreaterThanOrEqual(31 * 50 - 1);
    const tooLong = await history(agents.moderate, {
      start: new Date(end - 32 * DAY_MS).toISOString(),
      end: new Date(end).toISOString(),
    }).expect(400);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(tooLong.body.errors).toEqual([
      { field: 'end', message: expect.stringContaining('31 days') },
    ]);
  });

  it('refuses end before start, malformed dates and a bad agent id, naming each field', async () => {
    const reversed = await history(agents.moderate, {
      start: '2026-01-10T00:00:00Z',
      end: '2026-01-09T00:00:00Z',
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([{ field: 'end', message: 'end must be after start' }]);

    const malformed = await history(agents.moderate, {
      start: 'yesterday',
      end: '2026-01-09T00:00:00+99:99',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'end',
      'start',
    ]);

    const badId = await history('not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'agentId', message: 'agentId must be a UUID' }]);

    const badFormat = await history(agents.moderate, { format: 'xml' });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors[0].field).toBe('format');

    const unknownParam = await history(agents.moderate, { pageSize: '5' });
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.errors[0].field).toBe('pageSize');
  });

  it('accepts offsets (and a "+" that arrived as a space) and answers in UTC', async () => {
    const res = await request(t.url)
      .get(
        `/v1/agents/${agents.moderate}/state-history?start=2026-01-09T02:00:00+02:00&end=2026-01-10T00:00:00%2B00:00`,
      )
      .set(t.auth());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      start: '2026-01-09T00:00:00.000Z',
      end: '2026-01-10T00:00:00.000Z',
    });
  });

  it('clamps a future end to now', async () => {
    const before = Date.now();
    const start = new Date(before - 3_600_000).toISOString();
    const body = (
      await history(agents.moderate, {
        start,
        end: new Date(before + 7 * DAY_MS).toISOString(),
      }).expect(200)
    ).body as HistoryBody;
    const end = Date.parse(body.end);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(Date.now());
    const last = body.records.at(-1);
    if (last) expect(last.durationSeconds).toBe((end - Date.parse(last.timestamp)) / 1000);
  });

  it('answers a quiet agent with an empty history', async () => {
    const body = (await history(agents.quiet).expect(200)).body as HistoryBody;
    expect(body).toMatchObject({ agentId: agents.quiet, count: 0, records: [] });
    expect(body.summary).toEqual({
      byState: {},
      firstChange: null,
      lastChange: null,
      byDay: expect.any(Array),
    });
  });

  it('answers an unknown agent with 404 naming it', async () => {
    const res = await history(agents.unknown).expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toContain(agents.unknown);
  });

  it('renders the same records as CSV and NDJSON', async () => {
    const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00Z' };
    const json = (await history(agents.moderate, window).expect(200)).body as HistoryBody;
    expect(json.count).toBeGreaterThan(90);

    const csv = await history(agents.moderate, { ...window, format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'timestamp,agentId,state,stateId,previousState,durationSeconds',
    );
    const fromCsv = parseCsv(csv.text).map((r) => ({
      ...r,
      stateId: Number(r.stateId),
      previousState: r.previousState === '' ? null : r.previousState,
      durationSeconds: Number(r.durationSeconds),
    }));
    expect(fromCsv).toEqual(json.records);

    const ndjson = await request(t.url)
      .get(`/v1/agents/${agents.moderate}/state-history`)
      .query(window)
      .set({ ...t.auth(), accept: 'application/x-ndjson' })
      .expect(200);
    expect(ndjson.headers['content-type']).toContain('application/x-ndjson');
    expect(parseNdjson(ndjson.text)).toEqual(json.records);
  });

  it('needs an API key with reporting:read', async () => {
    await request(t.url).get(`/v1/agents/${agents.busy}/state-history`).expect(401);
    await history(agents.busy, {}, TEST_KEYS.none).expect(403);
  });

  it('is documented in OpenAPI (with the queue stats route), with examples', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        { get?: { parameters?: { name: string }[]; responses: Record<string, unknown> } }
      >;
      components: {
        schemas: Record<string, { properties?: Record<string, { example?: unknown }> }>;
      };
    };
    const historyOp = doc.paths['/v1/agents/{agentId}/state-history']?.get;
    const statsOp = doc.paths['/v1/queues/stats']?.get;
    expect(historyOp?.parameters?.map((p) => p.name).sort()).toEqual([
      'agentId',
      'bom',
      'delimiter',
      'end',
      'format',
      'start',
      'timeZone',
    ]);
    expect(statsOp?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['queueIds', 'metrics', 'format']),
    );
    expect(Object.keys(historyOp?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
    expect(Object.keys(statsOp?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
    const { schemas } = doc.components;
    expect(schemas.AgentStateHistoryResponseDto.properties?.records.example).toBeDefined();
    expect(schemas.QueueStatsResponseDto.properties?.queues.example).toBeDefined();
  });
});
