import type { NormalizedQuery } from '../../../analytics/analytics-query';
import { fetchSummaryRows } from '../../../analytics/buckets/bucketed-query';
import { AppError } from '../../../common/errors/app-error';
import { parseConfig } from '../../../config/app-config';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import { FakeAcdClient, queryOf } from '../reporting/acd-client.fake';
import { IncontactAnalyticsSource } from './incontact-analytics.source';

const ROOT = '/inContactAPI/services/v30.0';

/** The v21 wire format of /skills/summary (every value a string), as the captured payloads. */
const V21_EMAIL = {
  businessUnitId: '459957',
  abandonCount: '12',
  abandonRate: '1',
  averageHandleTime: '179',
  averageInqueueTime: '1944',
  averageSpeedToAnswer: '1900',
  averageTalkTime: '170',
  averageWrapTime: '9',
  campaignId: '2577195',
  campaignName: 'Sales Operations',
  contactsHandled: '1036',
  contactsOffered: '1048',
  contactsOutOfSLA: '2',
  contactsWithinSLA: '1033',
  holdTime: '2072',
  isOutbound: 'False',
  longestQueueDur: '7200',
  mediaTypeId: '1',
  mediaTypeName: 'E-Mail',
  skillName: 'Sales Operations Email',
  skillId: '10477448',
};
/** The same family typed, ISO-8601 durations (what newer versions may send). */
const TYPED_PHONE = {
  skillId: 8408918,
  skillName: 'Concierges-OB',
  campaignName: 'Concierge',
  mediaTypeName: 'Phone Call',
  isOutbound: true,
  contactsOffered: 200,
  contactsHandled: 164,
  abandonCount: 36,
  contactsWithinSLA: 120,
  contactsOutOfSLA: 44,
  averageHandleTime: 'PT5M',
  averageTalkTime: 'PT4M',
  averageInqueueTime: 'PT30S',
  averageWrapTime: 'PT20S',
  averageSpeedToAnswer: 'PT25S',
  holdTime: 'PT41M',
  longestQueueDur: 'PT9M',
};
/** The verbatim v21 team fixture of /teams/performance-total (ISO durations, strings). */
const V21_TEAM = {
  teamId: '2472302',
  agentOffered: '54',
  inboundHandled: '68',
  outboundHandled: '37',
  totalHandled: '105',
  totalAvgHandled: '15',
  totalTalkTime: 'PT7H43M6.15S',
  totalAvgTalkTime: 'PT4M24.63S',
  totalAvgHandleTime: 'PT7M15.643S',
  availableTime: 'PT21H48M43.174S',
  unavailableTime: 'PT13H34M31.375S',
  acwTime: 'PT4H59M16.379S',
  percentRefused: '20.37',
  loginTime: 'P1DT19H18M29.651S',
  workingRate: '80.17',
  occupancy: '36.81',
};

function sut(client: FakeAcdClient, env: Record<string, string> = {}) {
  return new IncontactAnalyticsSource(client.asClient(), parseConfig({ ...env }));
}

function query(over: Partial<NormalizedQuery>): NormalizedQuery {
  return {
    metrics: ['handle_time'],
    dimensions: [],
    start: '2024-05-01T00:00:00.000Z',
    end: '2024-05-02T00:00:00.000Z',
    filters: [],
    ...over,
  };
}

const route = (req: UpstreamRequest): string => req.path.replace(ROOT, '');

describe('IncontactAnalyticsSource', () => {
  it('answers a 31-day date × skill query with one summary call per UTC day, 4 at a time', async () => {
    const client = new FakeAcdClient((req) =>
      route(req) === '/skills/summary' ? { skillSummaries: [V21_EMAIL, TYPED_PHONE] } : undefined,
    );
    const source = sut(client);
    const q = query({
      metrics: ['contacts_handled', 'handle_time'],
      dimensions: ['date', 'skill'],
      end: '2024-06-01T00:00:00.000Z',
    });
    const { rows, pages } = await fetchSummaryRows(source, q, 2000);
    expect(client.requests).toHaveLength(31);
    expect(client.requests.every((r) => route(r) === '/skills/summary')).toBe(true);
    expect(client.requests.map((r) => queryOf(r).get('startDate')).sort()[30]).toBe(
      '2024-05-31T00:00:00.000Z',
    );
    expect(queryOf(client.requests[0]).toString()).toBe(
      'startDate=2024-05-01T00%3A00%3A00.000Z&endDate=2024-05-02T00%3A00%3A00.000Z',
    );
    expect(client.maxInFlight).toBeGreaterThan(1);
    expect(client.maxInFlight).toBeLessThanOrEqual(4);
    expect(pages).toBe(31);
    expect(rows).toHaveLength(62);
    expect(rows[0]).toMatchObject({
      date: '2024-05-01',
      skill: 'Sales Operations Email',
      contacts_handled: 1036,
      handle_time: 179,
    });
  });

  it('fetches the SLA summary beside it only when an SLA figure is asked, and prefers its counts', async () => {
    const client = new FakeAcdClient((req) => {
      if (route(req) === '/skills/summary') return { skillSummaries: [V21_EMAIL, TYPED_PHONE] };
      // The spec's PascalCase keys; only one of the two skills listed.
      return {
        totalRecords: 1,
        _links: { next: null },
        serviceLevelSummaries: [{ SkillId: 8408918, ContactsWithinSLA: 150, ContactsOutOfSLA: 14 }],
      };
    });
    const source = sut(client);
    const without = await source.query(query({ metrics: ['handle_time'], dimensions: ['skill'] }));
    expect(client.requests.map(route)).toEqual(['/skills/summary']);
    expect(without.rows).toHaveLength(2);
    const { rows } = await source.query(
      query({ metrics: ['service_level', 'contacts_within_sla'], dimensions: ['queue'] }),
    );
    expect(client.requests.map(route).slice(1).sort()).toEqual([
      '/skills/sla-summary',
      '/skills/summary',
    ]);
    expect(queryOf(client.requests[2]).get('top')).toBe('1000');
    expect(rows).toEqual([
      // 1033 / (1033 + 2): its own summary counts (the SLA summary does not list it)
      { queue: '10477448', service_level: 99.8068, contacts_within_sla: 1033 },
      // 150 / (150 + 14): the SLA summary's counts win over the summary row's 120 / 44
      { queue: '8408918', service_level: 91.4634, contacts_within_sla: 150 },
    ]);
  });

  it('rolls skills up by channel, campaign and direction; filters on the shown values', async () => {
    const second = {
      ...TYPED_PHONE,
      skillId: 8408919,
      skillName: 'Concierges-IB',
      isOutbound: false,
    };
    const client = new FakeAcdClient(() => ({ skillSummaries: [V21_EMAIL, TYPED_PHONE, second] }));
    const source = sut(client);
    const byChannel = await source.query(
      query({ metrics: ['abandon_rate', 'hold_time', 'longest_wait'], dimensions: ['channel'] }),
    );
    expect(byChannel.rows).toEqual([
      { channel: 'E-Mail', abandon_rate: 1.145, hold_time: 2, longest_wait: 7200 },
      // (36 + 36) / (200 + 200) × 100; (2 460 + 2 460) s / (164 + 164)
      { channel: 'Phone Call', abandon_rate: 18, hold_time: 15, longest_wait: 540 },
    ]);
    const inbound = await source.query(
      query({
        metrics: ['contacts_offered'],
        dimensions: ['direction'],
        filters: [{ dimension: 'campaign', operator: 'eq', values: ['Concierge'] }],
      }),
    );
    expect(inbound.rows).toEqual([
      { direction: 'outbound', contacts_offered: 200 },
      { direction: 'inbound', contacts_offered: 200 },
    ]);
  });

  it('answers agent and team from agent performance, team alone from the team totals', async () => {
    const agent = (agentId: number, teamId: number, handled: number) => ({
      agentId,
      teamId,
      totalHandled: handled,
      agentOffered: handled + 1,
      totalAvgHandleTime: 'PT5M',
      loginTime: 'PT8H',
      occupancy: 50,
    });
    const client = new FakeAcdClient((req) =>
      route(req) === '/agents/performance'
        ? { agentPerformance: [agent(1, 10, 10), agent(2, 10, 30), agent(3, 11, 5)] }
        : { teamPerformanceTotal: [V21_TEAM] },
    );
    const source = sut(client);
    const byTeam = await source.query(
      query({ metrics: ['contacts_handled', 'occupancy'], dimensions: ['team'] }),
    );
    expect(client.requests.map(route)).toEqual(['/teams/performance-total']);
    const [row] = byTeam.rows as Record<string, number>[];
    expect(row).toEqual({ team: '2472302', contacts_handled: 105, occupancy: 36.81 });
    const teamFigures = await source.query(
      query({
        metrics: ['handle_time', 'talk_time', 'wrap_time', 'login_time', 'available_time'],
        dimensions: [],
        filters: [{ dimension: 'team', operator: 'eq', values: ['2472302'] }],
      }),
    );
    expect(teamFigures.rows).toEqual([
      {
        handle_time: 435.643,
        talk_time: 264.63, // 27 786.15 s / 105
        wrap_time: 171.0131, // 17 956.379 s / 105
        login_time: 155909.651,
        available_time: 78523.174,
      },
    ]);
    const byAgent = await source.query(
      query({
        metrics: ['contacts_handled'],
        dimensions: ['team'],
        filters: [{ dimension: 'agent', operator: 'in', values: ['1', '2'] }],
      }),
    );
    expect(client.requests.map(route).at(-1)).toBe('/agents/performance');
    expect(byAgent.rows).toEqual([{ team: '10', contacts_handled: 40 }]);
  });

  it('treats a 204 as no rows and follows a _links.next the summary sends', async () => {
    const client = new FakeAcdClient((req) => {
      if (req.path.includes('skip=1')) return { skillSummaries: [TYPED_PHONE] };
      if (
        route(req) === '/skills/summary' &&
        queryOf(req).get('startDate') === '2024-05-01T00:00:00.000Z'
      ) {
        return {
          skillSummaries: [V21_EMAIL],
          _links: { next: `https://api.example.com${ROOT}/skills/summary?startDate=x&skip=1` },
        };
      }
      return undefined;
    });
    const source = sut(client);
    const paged = await source.query(query({ metrics: ['contacts_offered'] }));
    expect(paged).toEqual({ rows: [{ contacts_offered: 1248 }], pages: 2 });
    expect(client.requests[1].path).toBe(`${ROOT}/skills/summary?startDate=x&skip=1`);
    const empty = await source.query(
      query({ start: '2024-05-02T00:00:00.000Z', end: '2024-05-03T00:00:00.000Z' }),
    );
    expect(empty).toEqual({ rows: [], pages: 1 });
  });

  it.each<[string, Partial<NormalizedQuery>, string, object]>([
    ['skills/summary', { metrics: ['contacts_offered'] }, 'skillSummaries', V21_EMAIL],
    [
      'agents/performance',
      { dimensions: ['agent'] },
      'agentPerformance',
      { agentId: 1, teamId: 2 },
    ],
    ['teams/performance-total', { dimensions: ['team'] }, 'teamPerformanceTotal', V21_TEAM],
  ])(
    'fails a %s answer whose totalRecords announces more rows than it holds',
    async (endpoint, over, key, row) => {
      const client = new FakeAcdClient(() => ({ totalRecords: '3', [key]: [row, row] }));
      const q = query({ metrics: ['contacts_handled'], ...over });
      const failure = await sut(client)
        .query(q)
        .catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe('UPSTREAM_ERROR');
      expect((failure as AppError).message).toBe(
        `CXone /${endpoint} answered 2 of the 3 rows its totalRecords announces, and the endpoint has no documented paging: refusing to answer partial totals`,
      );
    },
  );

  it('answers when totalRecords matches the rows, over the pages a _links.next adds', async () => {
    const client = new FakeAcdClient((req) => {
      if (req.path.includes('skip=1')) return { totalRecords: 2, skillSummaries: [TYPED_PHONE] };
      return {
        totalRecords: 2,
        skillSummaries: [V21_EMAIL],
        _links: { next: `https://api.example.com${ROOT}/skills/summary?startDate=x&skip=1` },
      };
    });
    const paged = await sut(client).query(query({ metrics: ['contacts_offered'] }));
    expect(paged).toEqual({ rows: [{ contacts_offered: 1248 }], pages: 2 });
  });

  it('turns a summary row without its id into an upstream error naming the field', async () => {
    const { skillId: _dropped, ...noId } = V21_EMAIL;
    const client = new FakeAcdClient(() => ({ skillSummaries: [noId] }));
    const failure = await sut(client)
      .query(query({}))
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('UPSTREAM_ERROR');
    expect((failure as AppError).message).toContain('skillSummaries[0].skillId is required');
  });

  it('declares its lists and groups; tenant lists narrow them only when set', () => {
    const caps = sut(new FakeAcdClient(() => undefined)).capabilities();
    expect(caps.metrics).toContain('contacts_handled');
    expect(caps.metrics).not.toContain('first_contact_resolution');
    expect(caps.unavailableMetrics).toHaveProperty('first_contact_resolution');
    expect(caps.dimensions).toEqual([
      'channel',
      'skill',
      'queue',
      'agent',
      'campaign',
      'direction',
      'team',
      'date',
    ]);
    expect(caps.dimensionGroups?.map((g) => g.dimensions)).toEqual([
      ['skill', 'queue', 'channel', 'campaign', 'direction', 'date'],
      ['agent', 'team', 'date'],
    ]);
    const narrowed = sut(new FakeAcdClient(() => undefined), {
      ANALYTICS_ALLOWED_METRICS: 'occupancy,handle_time,first_contact_resolution',
      ANALYTICS_ALLOWED_DIMENSIONS: 'agent,date',
    }).capabilities();
    expect(narrowed.metrics).toEqual(['handle_time', 'occupancy']);
    expect(narrowed.dimensionGroups).toEqual([
      { source: 'the skill summaries', dimensions: ['date'], metrics: ['handle_time'] },
      {
        source: 'agent performance and team totals',
        dimensions: ['agent', 'date'],
        metrics: ['handle_time', 'occupancy'],
      },
    ]);
  });
});
