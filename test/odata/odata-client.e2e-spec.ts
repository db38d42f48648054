import { OData } from '@odata/client';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

const BUSY_AGENT = 'a0000000-0000-4000-8000-000000000001';
const MONTH = { start: '2026-10-01', end: '2026-11-01' };

type Row = Record<string, unknown>;
interface Page {
  value: Row[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  '@odata.context': string;
}

/** The client's own HTTP path (its credentials, headers, JSON handling) for a nextLink URL. */
type RequestUri = (url: string) => Promise<Page>;

/**
 * A real OData client (@odata/client) against the gateway and the sandbox: it authenticates with
 * HTTP Basic (the key as password), reads $metadata, applies $filter / $select / $count, and
 * follows @odata.nextLink page by page. Its results must equal the /v1 answers.
 */
jest.setTimeout(60_000);

describe('OData feed through a real OData client (e2e)', () => {
  let t: TestGateway;
  let client: ReturnType<typeof OData.New4>;
  let requestUri: RequestUri;

  const newClient = (pageSize?: number) => {
    const c = OData.New4({
      serviceEndpoint: `${t.url}/odata/v1/`,
      credential: { username: 'power-bi', password: TEST_KEYS.all },
      commonHeaders: pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {},
    });
    const uri = (c as unknown as { requestUri: RequestUri }).requestUri.bind(c);
    return { c, uri };
  };

  /** Every page of a query, following @odata.nextLink as OData clients do. */
  async function readAll(first: Page): Promise<{ rows: Row[]; pages: number }> {
    const rows = [...first.value];
    let pages = 1;
    let next = first['@odata.nextLink'];
    while (next) {
      expect(next.startsWith(`${t.url}/odata/v1/`)).toBe(true);
      const page = await requestUri(next);
      if (!Array.isArray(page.value)) throw new Error(`page ${pages + 1}: ${JSON.stringify(page)}`);
      rows.push(...page.value);
      pages += 1;
      next = page['@odata.nextLink'];
    }
    return { rows, pages };
  }

  beforeAll(async () => {
    t = await startTestGateway();
    ({ c: client, uri: requestUri } = newClient(200));
  });
  afterAll(() => t.close());

  it('reads $metadata: entity sets, keys and Edm types', async () => {
    const xml = (await requestUri(`${t.url}/odata/v1/$metadata`)) as unknown as string;
    expect(typeof xml).toBe('string');
    expect(xml.startsWith('<?xml')).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const schema = doc['edmx:Edmx']['edmx:DataServices'].Schema;
    const types = Object.fromEntries(
      (schema.EntityType as Row[]).map((e) => [e.Name as string, e]),
    ) as Record<string, { Key: { PropertyRef: Row | Row[] }; Property: Row[] }>;
    const keyOf = (n: string) => [types[n].Key.PropertyRef].flat().map((r) => r.Name);
    const typeOf = (n: string, p: string) => types[n].Property.find((x) => x.Name === p)?.Type;
    expect((schema.EntityContainer.EntitySet as Row[]).map((s) => s.Name)).toEqual([
      'Queues',
      'AgentStateChanges',
      'Summaries',
      'Exports',
      'Kpis',
      'AgentSummaries',
    ]);
    expect(keyOf('Summary')).toEqual(['date', 'bucketStart', 'channel', 'skill', 'campaign']);
    expect(keyOf('Queue')).toEqual(['queueId']);
    expect(typeOf('Summary', 'date')).toBe('Edm.Date');
    expect(typeOf('Summary', 'bucketStart')).toBe('Edm.DateTimeOffset');
    expect(typeOf('Summary', 'handle_time')).toBe('Edm.Double');
    expect(typeOf('Summary', 'talk_ratio')).toBe('Edm.Double');
    expect(typeOf('Queue', 'agentCount')).toBe('Edm.Int64');
    expect(typeOf('AgentStateChange', 'timestamp')).toBe('Edm.DateTimeOffset');
    expect(typeOf('Kpi', 'requires')).toBe('Collection(Edm.String)');
  });

  it('pages through 31 days of Summaries; the rows equal POST /v1/analytics/summary', async () => {
    const first = (await client.newRequest({
      collection: 'Summaries',
      params: client
        .newParam()
        .filter(`date ge ${MONTH.start} and date lt ${MONTH.end}`)
        .count(true),
    })) as unknown as Page;
    expect(first['@odata.context']).toBe(`${t.url}/odata/v1/$metadata#Summaries`);
    const { rows, pages } = await readAll(first);
    expect(pages).toBeGreaterThan(1);
    expect(rows).toHaveLength(first['@odata.count'] as number);

    const v1 = await request(t.url)
      .post('/v1/analytics/summary')
      .set(t.auth())
      .send({
        metrics: t.gateway.config.analytics.allowedMetrics,
        dimensions: ['date', 'channel', 'skill', 'campaign'],
        start: `${MONTH.start}T00:00:00Z`,
        end: `${MONTH.end}T00:00:00Z`,
      })
      .expect(200);
    // The same normalized query: the feed was answered from the cache the /v1 call hits.
    expect(v1.headers['x-cache']).toBe('HIT');
    const key = (r: Row) => [r.date, r.channel, r.skill, r.campaign].join('|');
    const expected = new Map((v1.body.rows as Row[]).map((r) => [key(r), r]));
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const want = expected.get(key(row)) as Row;
      for (const [name, value] of Object.entries(want)) expect(row[name]).toEqual(value);
    }
  });

  it('pushes the date range upstream and costs nothing within the cache TTL', async () => {
    await t.control.resetStats();
    const params = client.newParam().filter(`date ge 2026-09-01 and date lt 2026-09-08`);
    await client.newRequest({ collection: 'Summaries', params });
    const calls = (await t.control.stats()).routes.analyticsQuery.calls;
    expect(calls).toBeGreaterThan(0);
    const logged = await t.control.requests('analyticsQuery');
    const body = logged[0].body as { dateRange?: object };
    expect(body.dateRange).toEqual({
      start: '2026-09-01T00:00:00.000Z',
      end: '2026-09-08T00:00:00.000Z',
    });
    await client.newRequest({ collection: 'Summaries', params });
    expect((await t.control.stats()).routes.analyticsQuery.calls).toBe(calls);
  });

  it("follows nextLink through the busy agent's state changes; equal to the /v1 history", async () => {
    const range = { start: '2026-11-20T00:00:00Z', end: '2026-11-20T04:00:00Z' };
    const first = (await client.newRequest({
      collection: 'AgentStateChanges',
      params: client
        .newParam()
        .filter(
          `agentId eq '${BUSY_AGENT}' and timestamp ge ${range.start} and timestamp lt ${range.end}`,
        )
        .select(['timestamp', 'state', 'durationSeconds']),
    })) as unknown as Page;
    expect(first['@odata.context']).toBe(
      `${t.url}/odata/v1/$metadata#AgentStateChanges(timestamp,state,durationSeconds)`,
    );
    const { rows, pages } = await readAll(first);
    expect(pages).toBeGreaterThan(2);
    const v1 = await request(t.url)
      .get(`/v1/agents/${BUSY_AGENT}/state-history`)
      .query(range)
      .set(t.auth())
      .expect(200);
    const records = v1.body.records as Row[];
    expect(rows).toEqual(
      records.map((r) => ({
        timestamp: r.timestamp,
        state: r.state,
        durationSeconds: r.durationSeconds,
      })),
    );
  });

  it('answers $filter with or / not / in / parentheses and $orderby, $top, $skip', async () => {
    const all = (await client.newRequest({
      collection: 'Queues',
      params: client.newParam().orderby('queueName', 'asc'),
    })) as unknown as Page;
    const names = all.value.map((q) => q.queueName as string);
    expect(names).toEqual([...names].sort());
    const pick = all.value.slice(0, 2).map((q) => `'${String(q.queueId)}'`);
    const filtered = (await client.newRequest({
      collection: 'Queues',
      params: client
        .newParam()
        .filter(`((queueId in (${pick.join(',')})) or agentCount lt 0) and not (queueName eq 'x')`)
        .orderby('queueName', 'desc')
        .top(1)
        .skip(1)
        .count(true),
    })) as unknown as Page;
    expect(filtered['@odata.count']).toBe(2);
    expect(filtered.value.map((q) => q.queueName)).toEqual([
      [...names.slice(0, 2)].sort().reverse()[1],
    ]);
  });

  it('refuses credentials it cannot use with an OData error and a Basic challenge', async () => {
    const res = await request(t.url).get('/odata/v1/Queues').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    const basic = (key: string) => `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}`;
    await request(t.url).get('/odata/v1/Kpis').set('authorization', basic('wrong')).expect(401);
    const forbidden = await request(t.url)
      .get('/odata/v1/Summaries')
      .set('authorization', basic(TEST_KEYS.reporting))
      .expect(403);
    expect(forbidden.body.error.message).toContain('analytics:read');
    await request(t.url)
      .get('/odata/v1/Queues')
      .set('authorization', basic(TEST_KEYS.reporting))
      .expect((res) => expect([res.status, res.text]).toEqual([200, expect.any(String)]));
  });
});
