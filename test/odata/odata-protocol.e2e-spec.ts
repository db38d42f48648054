import request from 'supertest';
import {
  createExport,
  FAST_EXPORT_ENV,
  FAST_SANDBOX,
  waitForExport,
} from '../export/export-helpers';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

const AGENT = 'a0000000-0000-4000-8000-000000000002';

jest.setTimeout(60_000);

/** The feed's protocol surface over HTTP: headers, every option's answer, errors, exports. */
describe('OData feed protocol (e2e)', () => {
  let t: TestGateway;
  const get = (path: string, key: string = TEST_KEYS.all) =>
    request(t.url).get(`/odata/v1/${path}`).set(t.auth(key));

  beforeAll(async () => {
    t = await startTestGateway({
      env: FAST_EXPORT_ENV,
      sandbox: { ...FAST_SANDBOX, exportEventsPerDay: 30 },
    });
  });
  afterAll(() => t.close());

  it('serves the service document with @odata.context and OData-Version', async () => {
    const res = await get('').expect(200);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.headers['content-type']).toContain('odata.metadata=minimal');
    expect(res.body['@odata.context']).toBe(`${t.url}/odata/v1/$metadata`);
    expect(res.body.value.map((s: { url: string }) => s.url)).toEqual([
      'Queues',
      'AgentStateChanges',
      'Summaries',
      'Exports',
      'Kpis',
      'AgentSummaries',
    ]);
    const meta = await get('$metadata').expect(200);
    expect(meta.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(meta.text).toContain('<EntitySet Name="Summaries" EntityType="CXoneGateway.Summary"/>');
  });

  it('honours odata.maxpagesize with Preference-Applied and a nextLink keeping the options', async () => {
    const res = await get('Kpis?$select=name,unit&$count=true')
      .set('prefer', 'odata.maxpagesize=5')
      .expect(200);
    expect(res.headers['preference-applied']).toBe('odata.maxpagesize=5');
    expect(res.body['@odata.context']).toBe(`${t.url}/odata/v1/$metadata#Kpis(name,unit)`);
    expect(res.body.value).toHaveLength(5);
    expect(Object.keys(res.body.value[0])).toEqual(['name', 'unit']);
    const next = new URL(res.body['@odata.nextLink'] as string);
    expect(next.searchParams.get('$select')).toBe('name,unit');
    expect(next.searchParams.get('$skiptoken')).toBe('5');
    const kpis = await request(t.url).get('/v1/analytics/kpis').set(t.auth()).expect(200);
    expect(res.body['@odata.count']).toBe((kpis.body as unknown[]).length);
  });

  it.each([
    ['Queues?$expand=x', 501, '$expand'],
    ['Queues?$search=x', 501, '$search'],
    ['Summaries?$apply=aggregate(handle_time with sum as t)', 501, '$apply'],
    ['Queues?$format=atom', 501, '$format'],
    ["Queues('x')", 501, 'resource path'],
    ['Queues/$count', 501, 'resource path'],
    ['Nowhere', 404, 'resource path'],
    ['Queues?$foo=1', 400, '$foo'],
    ['Queues?region=eu', 400, 'region'],
    ['Queues?$top=-1', 400, '$top'],
    ['Queues?$filter=queueName eq 1', 400, '$filter'],
    ['Queues?$filter=nothing eq 1', 400, '$filter'],
    ['Queues?$orderby=nothing', 400, '$orderby'],
    ['Queues?$select=nothing', 400, '$select'],
    ['AgentStateChanges', 400, '$filter'],
    [`AgentStateChanges?$filter=agentId eq '${AGENT}'`, 400, '$filter'],
    [
      `AgentStateChanges?$filter=agentId eq '${AGENT}' and (timestamp ge 2026-11-20T00:00:00Z or timestamp lt 2026-11-21T00:00:00Z)`,
      400,
      '$filter',
    ],
    [
      'Summaries?$filter=date ge 2026-11-01 and date lt 2026-11-02&timeZone=Europe/Berlin',
      400,
      'timeZone',
    ],
    ['Summaries?timeZone=Mars/Base', 400, 'timeZone'],
    ['Summaries?timeZone=', 400, 'timeZone'],
    ['AgentSummaries?timeZone=%2B05:00', 400, 'timeZone'],
  ])('GET %s → %i naming %s in the OData error format', async (path, status, target) => {
    const res = await get(path).expect(status);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body.error).toMatchObject({ target, message: expect.any(String) });
    expect(res.body.error.code).toEqual(expect.any(String));
  });

  it('answers AgentStateChanges for a timestamp range, with the zone offsets asked for', async () => {
    const filter = `agentId eq '${AGENT}' and timestamp ge 2026-11-20T00:00:00Z and timestamp lt 2026-11-21T00:00:00Z`;
    const res = await get(
      `AgentStateChanges?$filter=${encodeURIComponent(filter)}&timeZone=America/New_York&$count=true`,
    ).expect(200);
    expect(res.body['@odata.count']).toBeGreaterThan(0);
    for (const row of res.body.value as { timestamp: string; stateId: unknown }[]) {
      expect(row.timestamp).toMatch(/-05:00$/);
      expect(typeof row.stateId).toBe('string');
    }
  });

  it("lists the caller's exports and pages a completed export's records", async () => {
    const id = await createExport(t, {
      start: '2024-01-01T00:00:00.000Z',
      end: '2024-01-03T00:00:00.000Z',
    });
    await waitForExport(t, id);
    const mine = await get(`Exports?$filter=${encodeURIComponent(`id eq '${id}'`)}`).expect(200);
    expect(mine.body.value).toEqual([expect.objectContaining({ id, status: 'completed' })]);
    const others = await get('Exports', TEST_KEYS.other).expect(200);
    expect(others.body.value).toEqual([]);

    const v1 = await request(t.url)
      .get(`/v1/exports/${id}/records?format=json`)
      .set(t.auth())
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => cb(null, JSON.parse(text)));
      })
      .expect(200);
    const expected = v1.body as { id: string }[];
    const seen: string[] = [];
    let next: string | undefined =
      `${t.url}/odata/v1/Exports('${id}')/Records?$select=id&$count=true`;
    while (next) {
      const page = await request(next)
        .get('')
        .set(t.auth())
        .set('prefer', 'odata.maxpagesize=25')
        .expect(200);
      expect(page.body['@odata.count']).toBe(expected.length);
      seen.push(...(page.body.value as { id: string }[]).map((r) => r.id));
      next = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(seen).toEqual(expected.map((r) => r.id));
    await get(`Exports('${id}')/Records?$orderby=id`).expect(501);
    await get(`Exports('${id}')/Records`, TEST_KEYS.other).expect(404);
  });

  it('answers Summaries without a date range for the last 31 days, today included', async () => {
    const res = await get('Summaries?$select=date&$orderby=date&$top=1').expect(200);
    const today = new Date().toISOString().slice(0, 10);
    const first = (res.body.value as { date: string }[])[0].date;
    const days = (Date.parse(today) - Date.parse(first)) / 86_400_000;
    expect(days).toBe(30);
    const last = await get('Summaries?$select=date&$orderby=date desc&$top=1').expect(200);
    expect((last.body.value as { date: string }[])[0].date).toBe(today);
  });
});
