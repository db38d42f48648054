import request from 'supertest';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import { CountingProxy } from './counting-proxy';

type Cell = string | number | null;
type Row = Record<string, Cell>;
interface TruthGroup {
  key: Record<string, string>;
  upstreamRows: number;
  metrics: Record<string, number>;
}
interface Truth {
  family: string;
  upstreamCalls: number;
  groups: TruthGroup[];
}

const START = '2024-05-01T00:00:00Z';
const WEEK_END = '2024-05-08T00:00:00Z';
const MONTH_END = '2024-06-01T00:00:00Z';
/** The budget the gateway runs with here: fewer slots than the bucket planner's 4 workers. */
const MAX_CONCURRENCY = 3;

const SKILL_METRICS = [
  'handle_time',
  'talk_time',
  'hold_time',
  'queue_time',
  'wrap_time',
  'abandon_rate',
  'service_level',
  'contacts_offered',
  'longest_wait',
  'average_speed_of_answer',
];
const PERFORMANCE_METRICS = [
  'handle_time',
  'talk_time',
  'wrap_time',
  'contacts_offered',
  'contacts_handled',
  'occupancy',
  'working_rate',
  'login_time',
  'available_time',
  'unavailable_time',
];

describe('analytics, incontact dialect (e2e against the sandbox)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let proxy: CountingProxy;
  let t: TestGateway;
  let skillNames: Map<string, string>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    control = new SandboxControlClient(sandbox.url);
    // Every call of the gateway goes through the proxy, which measures summary calls in flight.
    proxy = await CountingProxy.start(sandbox.url, /\/skills\/summary\?/);
    t = await startTestGateway({
      sharedSandbox: sandbox,
      env: {
        ...incontactEnv(sandbox),
        CXONE_ISSUER: proxy.url,
        CXONE_MAX_CONCURRENCY: String(MAX_CONCURRENCY),
      },
    });
    skillNames = new Map(
      sandbox.fixtures.incontact.skills.map((s) => [String(s.skillId), s.skillName]),
    );
  });

  afterAll(async () => {
    await t.close();
    await proxy.close();
    await sandbox.close();
  });

  beforeEach(async () => {
    await control.clearFaults();
    await control.resetStats();
    proxy.reset();
  });

  const summary = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    request(t.url)
      .post('/v1/analytics/summary')
      .set({ ...t.auth(), ...headers })
      .send(body);
  const calls = async (
    route: 'icSkillSummary' | 'icSlaSummary' | 'icAgentPerformance' | 'icTeamPerformance',
  ) => (await control.stats()).routes[route].calls;
  const summaryCalls = async () => {
    const { routes } = await control.stats();
    return (
      routes.icSkillSummary.calls +
      routes.icSlaSummary.calls +
      routes.icAgentPerformance.calls +
      routes.icTeamPerformance.calls
    );
  };

  async function truth(start: string, end: string, dimensions: string[]): Promise<Truth> {
    const query = new URLSearchParams({
      startDate: start,
      endDate: end,
      dimensions: dimensions.join(','),
    });
    const res = await fetch(`${sandbox.url}/_sandbox/truth/summaries?${query.toString()}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Truth;
  }

  /**
   * Every answer row equals its truth group metric by metric (to 0.01: the truth averages the
   * wire's rounded per-row averages). The truth says 0 where a denominator is 0; the gateway
   * says null there, never a made-up 0.
   */
  function expectMatchesTruth(rows: Row[], groups: TruthGroup[], keyOf: (row: Row) => string) {
    const byKey = new Map(groups.map((g) => [JSON.stringify(g.key), g]));
    expect(rows).toHaveLength(groups.length);
    let compared = 0;
    for (const row of rows) {
      const group = byKey.get(keyOf(row));
      expect(group).toBeDefined();
      for (const [metric, expected] of Object.entries(group?.metrics ?? {})) {
        if (!(metric in row)) continue;
        const value = row[metric];
        if (value === null) expect(expected).toBe(0);
        else expect(value as number).toBeCloseTo(expected, 2);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(rows.length);
  }

  it('rolls skills up by channel exactly as the ground truth does', async () => {
    const res = await summary({
      metrics: SKILL_METRICS,
      dimensions: ['channel'],
      start: START,
      end: WEEK_END,
    }).expect(200);
    const { groups, upstreamCalls } = await truth(START, WEEK_END, ['channel']);
    expect(upstreamCalls).toBe(1);
    // Phone Call spans two skills: a real roll-up, not a copy of one row.
    expect(groups.some((g) => g.upstreamRows > 1)).toBe(true);
    expectMatchesTruth(res.body.rows as Row[], groups, (r) =>
      JSON.stringify({ channel: r.channel }),
    );
    expect(await calls('icSkillSummary')).toBe(1);
    expect(await calls('icSlaSummary')).toBe(1);
  });

  it('answers campaign × direction, and queue (the skill id) with skill (its name)', async () => {
    const byCampaign = await summary({
      metrics: ['contacts_offered', 'abandon_count', 'contacts_within_sla', 'contacts_out_of_sla'],
      dimensions: ['campaign', 'direction'],
      start: START,
      end: WEEK_END,
    }).expect(200);
    const campaignTruth = await truth(START, WEEK_END, ['campaign', 'direction']);
    expectMatchesTruth(byCampaign.body.rows as Row[], campaignTruth.groups, (r) =>
      JSON.stringify({ campaign: r.campaign, direction: r.direction }),
    );
    const byQueue = await summary({
      metrics: ['contacts_handled', 'service_level'],
      dimensions: ['queue', 'skill'],
      start: START,
      end: WEEK_END,
    }).expect(200);
    const queueTruth = await truth(START, WEEK_END, ['queue']);
    for (const row of byQueue.body.rows as Row[])
      expect(row.skill).toBe(skillNames.get(String(row.queue)));
    expectMatchesTruth(byQueue.body.rows as Row[], queueTruth.groups, (r) =>
      JSON.stringify({ queue: r.queue }),
    );
  });

  it('answers agents from agent performance and date × team from the team totals', async () => {
    const byAgent = await summary({
      metrics: PERFORMANCE_METRICS,
      dimensions: ['agent'],
      start: START,
      end: WEEK_END,
    }).expect(200);
    const agentTruth = await truth(START, WEEK_END, ['agent']);
    expectMatchesTruth(byAgent.body.rows as Row[], agentTruth.groups, (r) =>
      JSON.stringify({ agent: r.agent }),
    );
    expect(await calls('icAgentPerformance')).toBe(1);
    const byTeam = await summary({
      metrics: PERFORMANCE_METRICS,
      dimensions: ['date', 'team'],
      start: START,
      end: WEEK_END,
    }).expect(200);
    const teamTruth = await truth(START, WEEK_END, ['date', 'team']);
    expect(teamTruth.upstreamCalls).toBe(7);
    expectMatchesTruth(byTeam.body.rows as Row[], teamTruth.groups, (r) =>
      JSON.stringify({ date: r.date, team: r.team }),
    );
    expect(await calls('icTeamPerformance')).toBe(7);
    expect(byTeam.body.kpis).toEqual(
      expect.arrayContaining(['handled_ratio', 'available_ratio', 'occupancy_ratio']),
    );
  });

  it('a 31-day date × skill query: exactly 31 summary calls, at most CXONE_MAX_CONCURRENCY at once', async () => {
    // Each call takes a while, so the calls really overlap and the budget is what holds them back.
    await control.addFaults([{ route: 'icSkillSummary', kind: 'latency', latencyMs: 40 }]);
    const body = {
      metrics: ['contacts_handled', 'handle_time', 'service_level'],
      dimensions: ['date', 'skill'],
      start: START,
      end: MONTH_END,
    };
    const res = await summary(body).expect(200);
    expect(await calls('icSkillSummary')).toBe(31);
    expect(await calls('icSlaSummary')).toBe(31);
    expect(proxy.count).toBe(31);
    expect(proxy.maxInFlight).toBeGreaterThan(1);
    expect(proxy.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENCY);
    const monthTruth = await truth(START, MONTH_END, ['date', 'skill']);
    expect(monthTruth.upstreamCalls).toBe(31);
    const rows = res.body.rows as Row[];
    expect(new Set(rows.map((r) => r.date)).size).toBe(31);
    expect(rows[0]).toMatchObject({
      date: '2024-05-01',
      bucketStart: '2024-05-01T00:00:00.000Z',
      bucketEnd: '2024-05-02T00:00:00.000Z',
    });
    const idOf = new Map([...skillNames].map(([id, name]) => [name, id]));
    expectMatchesTruth(rows, monthTruth.groups, (r) =>
      JSON.stringify({ date: r.date, skill: idOf.get(String(r.skill)) }),
    );
    // The cache, single-flight and no-cache sit above the port, unchanged.
    await control.resetStats();
    expect((await summary(body).expect(200)).headers['x-cache']).toBe('HIT');
    expect(await summaryCalls()).toBe(0);
    await summary(body, { 'cache-control': 'no-cache' }).expect(200);
    expect(await calls('icSkillSummary')).toBe(31);
  });

  it('reads v21 strings, PascalCase keys, resultSet wrappers and second durations alike', async () => {
    const body = { metrics: SKILL_METRICS, dimensions: ['channel'], start: START, end: WEEK_END };
    const typed = (await summary(body).expect(200)).body.rows as Row[];
    await control.setQuirks({
      keyCase: 'pascal',
      wrapper: 'resultSet',
      summaryDurations: 'seconds',
    } as never);
    try {
      const quirky = (await summary(body, { 'cache-control': 'no-cache' }).expect(200)).body
        .rows as Row[];
      expect(quirky.map((r) => r.channel)).toEqual(typed.map((r) => r.channel));
      quirky.forEach((row, i) => {
        for (const m of SKILL_METRICS) {
          if (row[m] === null) expect(typed[i][m]).toBeNull();
          else expect(row[m] as number).toBeCloseTo(typed[i][m] as number, 0);
        }
      });
    } finally {
      await control.resetQuirks();
    }
    const v21 = await startTestGateway({
      sharedSandbox: sandbox,
      env: { ...incontactEnv(sandbox), CXONE_API_VERSION: '21.0' },
    });
    try {
      const strings = await request(v21.url)
        .post('/v1/analytics/summary')
        .set(v21.auth())
        .send(body)
        .expect(200);
      expect(strings.body.rows).toEqual(typed);
    } finally {
      await v21.close();
    }
  });

  describe('refusals, before any upstream call', () => {
    const refuse = async (body: Record<string, unknown>) => {
      const res = await summary({ start: START, end: WEEK_END, ...body }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await summaryCalls()).toBe(0);
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

  it('GET /v1/analytics/kpis shows what this dialect computes, and its lists on request', async () => {
    const res = await request(t.url).get('/v1/analytics/kpis').set(t.auth()).expect(200);
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
    const full = await request(t.url)
      .get('/v1/analytics/kpis?include=capabilities')
      .set(t.auth())
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
    const bad = await request(t.url)
      .get('/v1/analytics/kpis?include=everything')
      .set(t.auth())
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'include', message: 'include must be one of capabilities' },
    ]);
  });
});
