import request from 'supertest';
import {
  MONTH_END,
  START,
  startIncontactAnalytics,
  WEEK_END,
  type IncontactAnalyticsStack,
} from './incontact-analytics.helpers';

describe('analytics, incontact dialect: refusals and the KPI catalogue (e2e)', () => {
  let s: IncontactAnalyticsStack;
  const summary: IncontactAnalyticsStack['summary'] = (body, headers) => s.summary(body, headers);

  beforeAll(async () => {
    s = await startIncontactAnalytics();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.resetStats();
  });

  describe('refusals, before any upstream call', () => {
    const refuse = async (body: Record<string, unknown>) => {
      const res = await summary({ start: START, end: WEEK_END, ...body }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await s.summaryCalls()).toBe(0);
      return res.body as { errors: { field: string; message: string }[]; detail?: string };
    };

    it('first_contact_resolution is refused, named, with the reason', async () => {
      const body = await refuse({
        metrics: ['handle_time', 'first_contact_resolution'],
        dimensions: [],
      });
      expect(body.errors).toEqual([
        {
          field: 'metrics',
          message:
            'unsupported metrics: first_contact_resolution (the CXone historical summaries carry ' +
            'no first-contact resolution in the incontact dialect). Allowed: handle_time, talk_time, ' +
            'hold_time, queue_time, wrap_time, abandon_rate, service_level, contacts_offered, ' +
            'contacts_handled, abandon_count, contacts_within_sla, contacts_out_of_sla, ' +
            'average_speed_of_answer, longest_wait, occupancy, working_rate, login_time, ' +
            'available_time, unavailable_time',
        },
      ]);
    });

    const GROUPS =
      'the skill summaries answer skill, queue, channel, campaign, direction, date with metrics ' +
      'handle_time, talk_time, hold_time, queue_time, wrap_time, abandon_rate, service_level, ' +
      'contacts_offered, contacts_handled, abandon_count, contacts_within_sla, contacts_out_of_sla, ' +
      'average_speed_of_answer, longest_wait; agent performance and team totals answer agent, ' +
      'team, date with metrics handle_time, talk_time, wrap_time, contacts_offered, ' +
      'contacts_handled, occupancy, working_rate, login_time, available_time, unavailable_time';

    it('agent with channel: names the combination and which dimensions go together', async () => {
      const body = await refuse({ metrics: ['handle_time'], dimensions: ['agent', 'channel'] });
      expect(body.errors).toEqual([
        {
          field: 'dimensions',
          message:
            `dimensions agent, channel cannot be answered together in this dialect: ${GROUPS}. ` +
            'Choose the dimensions and filters of one group',
        },
      ]);
    });

    it('a filter from the other group, and metrics the group lacks', async () => {
      const filtered = await refuse({
        metrics: ['handle_time'],
        dimensions: ['team'],
        filters: [{ dimension: 'skill', operator: 'eq', value: 'Billing' }],
      });
      expect(filtered.errors[0].field).toBe('filters');
      expect(filtered.errors[0].message).toBe(
        `dimensions team with filters on skill cannot be answered together in this dialect: ${GROUPS}. ` +
          'Choose the dimensions and filters of one group',
      );
      const metrics = await refuse({
        metrics: ['occupancy', 'abandon_rate'],
        dimensions: ['skill'],
      });
      expect(metrics.errors).toEqual([
        {
          field: 'metrics',
          message:
            `metrics occupancy cannot be answered with dimensions skill in this dialect: ${GROUPS}. ` +
            'Choose metrics and dimensions of one group',
        },
      ]);
    });

    it('more buckets than ANALYTICS_MAX_BUCKETS: names the cap and the granularity that fits', async () => {
      const body = await refuse({
        metrics: ['contacts_handled'],
        dimensions: ['date', 'skill'],
        end: MONTH_END,
        granularity: 'PT15M',
      });
      expect(body.errors).toEqual([
        {
          field: 'granularity',
          message:
            'granularity PT15M over this range gives 2976 buckets, more than the cap of 2000 ' +
            '(ANALYTICS_MAX_BUCKETS); use granularity PT30M (1488 buckets) or a shorter range',
        },
      ]);
    });
  });

  describe('a summary answer capped by CXone (sandbox quirk summaryCap)', () => {
    afterEach(() => s.control.resetQuirks());

    it.each([
      ['skills/summary', ['skill'], 'contacts_handled'],
      ['agents/performance', ['agent'], 'contacts_handled'],
      ['teams/performance-total', ['team'], 'contacts_handled'],
    ])(
      'fails the query naming /%s and both counts instead of answering partial totals',
      async (endpoint, dimensions, metric) => {
        await s.control.setQuirks({ summaryCap: 1 });
        const res = await summary({
          start: '2024-05-03T00:00:00Z',
          end: '2024-05-04T00:00:00Z',
          metrics: [metric],
          dimensions,
        }).expect(502);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.detail).toMatch(
          new RegExp(
            `^CXone /${endpoint} answered 1 of the \\d+ rows its totalRecords announces, and the endpoint has no documented paging: refusing to answer partial totals$`,
          ),
        );
        await s.control.resetQuirks();
        const whole = await summary({
          start: '2024-05-03T00:00:00Z',
          end: '2024-05-04T00:00:00Z',
          metrics: [metric],
          dimensions,
        }).expect(200);
        expect((whole.body.rows as unknown[]).length).toBeGreaterThan(1);
      },
    );
  });

  it('GET /v1/analytics/kpis shows what this dialect computes, and its lists on request', async () => {
    const res = await request(s.t.url).get('/v1/analytics/kpis').set(s.t.auth()).expect(200);
    const names = (res.body as { name: string }[]).map((k) => k.name);
    expect(names).not.toContain('fcr_rate');
    expect(names).toEqual(expect.arrayContaining(['talk_ratio', 'handled_ratio', 'working_ratio']));
    const handled = (res.body as { name: string; dimensions: string[] }[]).find(
      (k) => k.name === 'handled_ratio',
    );
    expect(handled).toEqual({
      name: 'handled_ratio',
      formula: 'contacts_handled / contacts_offered',
      requires: ['contacts_handled', 'contacts_offered'],
      unit: 'ratio',
      description: expect.any(String),
      dimensions: ['channel', 'skill', 'queue', 'agent', 'campaign', 'direction', 'team', 'date'],
    });
    const occupancy = (res.body as { name: string; dimensions: string[] }[]).find(
      (k) => k.name === 'occupancy_ratio',
    );
    expect(occupancy?.dimensions).toEqual(['agent', 'team', 'date']);
    const full = await request(s.t.url)
      .get('/v1/analytics/kpis?include=capabilities')
      .set(s.t.auth())
      .expect(200);
    expect(full.body.kpis).toEqual(res.body);
    expect(full.body.capabilities.dimensions).toEqual([
      'channel',
      'skill',
      'queue',
      'agent',
      'campaign',
      'direction',
      'team',
      'date',
    ]);
    expect(full.body.capabilities.dimensionGroups).toHaveLength(2);
    expect(full.body.capabilities.unavailableMetrics).toHaveProperty('first_contact_resolution');
    const bad = await request(s.t.url)
      .get('/v1/analytics/kpis?include=everything')
      .set(s.t.auth())
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'include', message: 'include must be one of capabilities' },
    ]);
  });
});
