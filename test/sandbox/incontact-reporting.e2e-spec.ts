import type { Json } from './sandbox-http.helpers';
import {
  MAY_1,
  MAY_2,
  startIncontactUnderTest,
  type IncontactUnderTest,
} from './incontact.helpers';

describe('inContact sandbox: agent state history as real clients read it', () => {
  let sut: IncontactUnderTest;
  let busy: number;
  let quiet: number;
  const window = { startDate: MAY_1, endDate: MAY_2 };

  beforeAll(async () => {
    sut = await startIncontactUnderTest({ historyRecords: 1000 });
    ({ busy, quiet } = sut.sandbox.fixtures.incontact.agents);
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  /** The recommended loop: follow `_links.next` as-is while present. */
  async function followLinks(first: Response): Promise<Json[]> {
    const rows: Json[] = [];
    let response = first;
    for (;;) {
      if (response.status === 204) return rows;
      expect(response.status).toBe(200);
      const body: Json = await response.json();
      rows.push(...body.agentStateHistory);
      if (!body._links?.next) return rows;
      response = await sut.follow(body._links.next);
    }
  }

  /** The tap's loop without links: skip += rows received until an empty page or a 204. */
  async function skipLoop(path: string, top: number): Promise<Json[]> {
    const rows: Json[] = [];
    for (;;) {
      const response = await sut.acd(path, { ...window, top, skip: rows.length });
      if (response.status === 204) return rows;
      const page: Json[] = (await response.json()).agentStateHistory;
      if (page.length === 0) return rows;
      rows.push(...page);
    }
  }

  it('answers the SDK call (v27.0, ISO dates with Z) with the documented row fields', async () => {
    const response = await sut.acd(`/agents/${busy}/state-history`, { ...window, top: 5 }, '27.0');
    expect(response.status).toBe(200);
    expect(response.headers.get('icstatusdescription')).toBe('Success');
    const body: Json = await response.json();
    expect(body).toMatchObject({
      totalRecords: 1000,
      businessUnitId: sut.sandbox.fixtures.incontact.businessUnitId,
      lastPollTime: new Date(sut.clock.now).toISOString(),
    });
    expect(body.agentStateHistory).toHaveLength(5);
    const row = body.agentStateHistory[0];
    expect(Object.keys(row).sort()).toEqual(
      [
        'stateIndex',
        'startDate',
        'agentId',
        'agentStateId',
        'agentStateName',
        'agentSessionId',
        'contactId',
        'skillId',
        'skillName',
        'mediaTypeId',
        'mediaTypeName',
        'fromAddress',
        'toAddress',
        'outStateId',
        'outStateDescription',
        'duration',
        'isOutbound',
        'isNaturalCalling',
        'stationId',
        'stationName',
        'teamId',
      ].sort(),
    );
    expect(row.agentId).toBe(busy);
    expect(row.duration).toMatch(/^PT/);
    expect(Date.parse(row.startDate)).toBeGreaterThanOrEqual(Date.parse(MAY_1));
  });

  it('pages by _links.next through short pages to the same rows as the v2 surface has', async () => {
    await sut.control.setQuirks({ pageCap: 300 });
    const rows = await followLinks(
      await sut.acd(`/agents/${busy}/state-history`, { ...window, top: 1000 }),
    );
    expect(rows).toHaveLength(1000);
    const v2Token: Json = await (
      await fetch(`${sut.sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sut.sandbox.fixtures.credentials.clientId,
          client_secret: sut.sandbox.fixtures.credentials.clientSecret,
        }),
      })
    ).json();
    const v2Times: string[] = [];
    for (let page = 1; v2Times.length < 1000; page += 1) {
      const q = new URLSearchParams({ start: MAY_1, end: MAY_2, page: String(page) });
      const response = await fetch(
        `${sut.sandbox.url}/api/v2/reporting/agents/${sut.sandbox.fixtures.agents.busy}/history?${q.toString()}`,
        { headers: { Authorization: `Bearer ${v2Token.access_token}` } },
      );
      const body: Json = await response.json();
      if (body.records.length === 0) break;
      v2Times.push(...body.records.map((r: Json) => r.timestamp));
    }
    expect(rows.map((r) => r.startDate)).toEqual(v2Times);
  });

  it('serves the same rows to a skip loop that has neither links nor totals', async () => {
    await sut.control.setQuirks({ paging: 'offset-no-total', pageCap: 250 });
    const first: Json = await (
      await sut.acd(`/agents/${busy}/state-history`, { ...window, top: 400 })
    ).json();
    expect(first).not.toHaveProperty('_links');
    expect(first).not.toHaveProperty('totalRecords');
    const rows = await skipLoop(`/agents/${busy}/state-history`, 400);
    await sut.control.resetQuirks();
    const linked = await followLinks(await sut.acd(`/agents/${busy}/state-history`, window));
    expect(rows).toEqual(linked);
  });

  it('answers v21.0 in the captured string style', async () => {
    const body: Json = await (
      await sut.acd(`/agents/${busy}/state-history`, { ...window, top: 50 }, '21.0')
    ).json();
    expect(body.totalRecords).toBe('1000');
    for (const row of body.agentStateHistory) {
      expect(typeof row.agentId).toBe('string');
      expect(['True', 'False']).toContain(row.isOutbound);
    }
  });

  it('answers an empty window 204 (or 200 with an empty list when switched)', async () => {
    const empty = await sut.acd(`/agents/${quiet}/state-history`, window);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    await sut.control.setQuirks({ emptyAs: 'empty-array' });
    const body: Json = await (await sut.acd(`/agents/${quiet}/state-history`, window)).json();
    expect(body).toMatchObject({ totalRecords: 0, agentStateHistory: [] });
  });

  it('lists every agent on /agents/state-history, by agentId', async () => {
    const rows = await followLinks(await sut.acd('/agents/state-history', window));
    const agents = [...new Set(rows.map((r) => r.agentId))];
    expect(agents).toEqual([busy, sut.sandbox.fixtures.incontact.agents.moderate]);
    expect(rows.filter((r) => r.agentId === busy)).toHaveLength(1000);
  });

  it('projects `fields` as the SDK asks for them', async () => {
    const body: Json = await (
      await sut.acd(`/agents/${busy}/state-history`, {
        ...window,
        top: 3,
        fields: 'agentId,startDate,agentStateName,duration',
      })
    ).json();
    expect(Object.keys(body.agentStateHistory[0])).toEqual([
      'startDate',
      'agentId',
      'agentStateName',
      'duration',
    ]);
  });

  it.each([
    ['an agent id that is not a number', '/agents/abc/state-history', window, 400, 'agentId'],
    ['an unknown agent', '/agents/1000255/state-history', window, 404, 'Agent 1000255'],
    ['no startDate', '/agents/1000001/state-history', { endDate: MAY_2 }, 400, 'startDate'],
    [
      'a "+" offset sent unescaped (it arrives as a space)',
      '/agents/1000001/state-history',
      { startDate: '2024-05-01T00:00:00 00:00', endDate: MAY_2 },
      400,
      'startDate',
    ],
    [
      'endDate before startDate',
      '/agents/state-history',
      { startDate: MAY_2, endDate: MAY_1 },
      400,
      'endDate',
    ],
    ['top=0', '/agents/state-history', { ...window, top: 0 }, 400, 'top'],
  ])(
    'refuses %s, naming it (body and icStatusDescription)',
    async (_, path, query, status, name) => {
      const response = await sut.acd(path, query);
      expect(response.status).toBe(status);
      expect(response.headers.get('icstatusdescription')).toContain(name);
      expect((await response.json()).errorDescription).toContain(name);
    },
  );

  it('matches the path prefix in any casing and any whole version, nothing else', async () => {
    const token = await sut.token();
    const get = (prefix: string) =>
      fetch(
        `${sut.sandbox.url}${prefix}/agents/${busy}/state-history?startDate=${MAY_1}&endDate=${MAY_2}&top=1`,
        {
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        },
      );
    for (const prefix of ['/InContactAPI/services/v8.0', '/incontactapi/services/v34.0'])
      expect((await get(prefix)).status).toBe(200);
    expect((await get('/inContactAPI/services/v30.1')).status).toBe(404);
    expect((await get('/inContactAPI/services/30.0')).status).toBe(404);
  });
});
