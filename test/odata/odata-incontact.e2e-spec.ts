import { OData } from '@odata/client';
import request from 'supertest';
import { startDialectPair, type DialectPair } from '../reporting/incontact-helpers';
import { TEST_KEYS } from '../utils/test-gateway';

type Row = Record<string, unknown>;
interface Page {
  value?: Row[];
  error?: { message: string; target?: string };
  '@odata.nextLink'?: string;
}

jest.setTimeout(60_000);

/** The same feed over the real-API (incontact) dialect: its answers equal that dialect's /v1. */
describe('OData feed, incontact dialect (e2e)', () => {
  let pair: DialectPair;
  let client: ReturnType<typeof OData.New4>;
  let requestUri: (url: string) => Promise<Page>;

  beforeAll(async () => {
    // One queue-stats cache entry for both reads, so live figures cannot move in between.
    pair = await startDialectPair({ withV2: false, env: { QUEUE_STATS_TTL_S: '60' } });
    client = OData.New4({
      serviceEndpoint: `${pair.ic.url}/odata/v1/`,
      credential: { username: 'excel', password: TEST_KEYS.all },
      commonHeaders: { Prefer: 'odata.maxpagesize=50' },
    });
    requestUri = (
      client as unknown as { requestUri: (u: string) => Promise<Page> }
    ).requestUri.bind(client);
  });
  afterAll(() => pair.close());

  async function readAll(first: Page): Promise<Row[]> {
    if (!first.value) throw new Error(JSON.stringify(first));
    const rows = [...first.value];
    let next = first['@odata.nextLink'];
    while (next) {
      const page = await requestUri(next);
      if (!page.value) throw new Error(JSON.stringify(page));
      rows.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return rows;
  }

  it('Queues equal GET /v1/queues/stats', async () => {
    const rows = await readAll(
      await client.newRequest({ collection: 'Queues', params: client.newParam() }),
    );
    const v1 = await request(pair.ic.url).get('/v1/queues/stats').set(pair.ic.auth()).expect(200);
    const byId = new Map((v1.body.queues as Row[]).map((q) => [q.queueId, q]));
    expect(rows.map((r) => r.queueId).sort()).toEqual([...byId.keys()].sort());
    for (const row of rows) {
      for (const [k, v] of Object.entries(byId.get(row.queueId) as Row)) {
        if (k !== 'timestamp') expect(row[k]).toEqual(v);
      }
    }
  });

  it('Summaries in local hourly buckets equal POST /v1/analytics/summary for the same range', async () => {
    const first = (await client.newRequest({
      collection: 'Summaries',
      params: client
        .newParam()
        .filter('date ge 2026-10-25 and date lt 2026-10-26')
        .custom('timeZone', 'Europe/Berlin')
        .custom('granularity', 'PT1H'),
    })) as Page;
    const rows = await readAll(first);
    expect(new Set(rows.map((r) => r.bucketStart)).size).toBe(25);
    const kpis = await request(pair.ic.url).get('/v1/analytics/kpis').set(pair.ic.auth());
    const kpiNames = new Set((kpis.body as { name: string }[]).map((k) => k.name));
    const keys = ['date', 'bucketStart', 'bucketEnd', 'channel', 'skill', 'campaign'];
    const metrics = Object.keys(rows[0]).filter((k) => !keys.includes(k) && !kpiNames.has(k));
    const dimensions = ['date', ...keys.slice(3).filter((k) => k in rows[0])];
    // /v1 takes at most 10 metrics a query; the feed's grain may hold more, so ask in chunks.
    const byKey = new Map<string, Row>();
    const key = (r: Row) => [r.bucketStart, ...dimensions.slice(1).map((d) => r[d])].join('|');
    for (let i = 0; i < metrics.length; i += 10) {
      const v1 = await request(pair.ic.url)
        .post('/v1/analytics/summary')
        .set(pair.ic.auth())
        .send({
          metrics: metrics.slice(i, i + 10),
          dimensions,
          start: '2026-10-24T22:00:00Z',
          end: '2026-10-25T23:00:00Z',
          timeZone: 'Europe/Berlin',
          granularity: 'PT1H',
        })
        .expect(200);
      for (const r of v1.body.rows as Row[]) byKey.set(key(r), { ...byKey.get(key(r)), ...r });
    }
    expect(rows).toHaveLength(byKey.size);
    for (const row of rows) {
      const want = byKey.get(key(row)) as Row;
      for (const m of metrics) expect(row[m]).toEqual(want[m]);
      expect(row.bucketEnd).toEqual(want.bucketEnd);
    }
  });

  it('offers agent and team grains as their own sets, read the same way', async () => {
    const doc = (await requestUri(`${pair.ic.url}/odata/v1/`)) as unknown as {
      value: { name: string }[];
    };
    expect(doc.value.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Summaries', 'AgentSummaries', 'TeamSummaries']),
    );
    const rows = await readAll(
      await client.newRequest({
        collection: 'TeamSummaries',
        params: client.newParam().filter('date eq 2026-10-25').select(['date', 'team']),
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.date === '2026-10-25' && typeof r.team === 'string')).toBe(true);
  });

  it("pages the busy agent's state changes; equal to that dialect's /v1 history", async () => {
    const agent = String(pair.sandbox.fixtures.incontact.agents.busy);
    const end = new Date(Math.floor(pair.clock.now / 3_600_000) * 3_600_000);
    const start = new Date(end.getTime() - 2 * 3_600_000);
    const rows = await readAll(
      await client.newRequest({
        collection: 'AgentStateChanges',
        params: client
          .newParam()
          .filter(
            `agentId eq '${agent}' and timestamp ge ${start.toISOString()} and timestamp lt ${end.toISOString()}`,
          ),
      }),
    );
    const v1 = await request(pair.ic.url)
      .get(`/v1/agents/${agent}/state-history`)
      .query({ start: start.toISOString(), end: end.toISOString() })
      .set(pair.ic.auth())
      .expect(200);
    const records = v1.body.records as Row[];
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.map((r) => [r.timestamp, r.state, r.stateId, r.durationSeconds])).toEqual(
      records.map((r) => [r.timestamp, r.state, String(r.stateId), r.durationSeconds]),
    );
  });
});
