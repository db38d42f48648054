import request from 'supertest';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway } from '../utils/test-gateway';
import {
  expectMatchesTruth,
  MAX_CONCURRENCY,
  MONTH_END,
  START,
  startIncontactAnalytics,
  WEEK_END,
  type IncontactAnalyticsStack,
  type Row,
} from './incontact-analytics.helpers';

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

describe('analytics, incontact dialect: answers against the ground truth (e2e)', () => {
  let s: IncontactAnalyticsStack;
  const summary: IncontactAnalyticsStack['summary'] = (body, headers) => s.summary(body, headers);
  const calls: IncontactAnalyticsStack['calls'] = (route) => s.calls(route);
  const truth: IncontactAnalyticsStack['truth'] = (a, b, d) => s.truth(a, b, d);

  beforeAll(async () => {
    s = await startIncontactAnalytics();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.clearFaults();
    await s.control.resetStats();
    s.proxy.reset();
  });

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
      expect(row.skill).toBe(s.skillNames.get(String(row.queue)));
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
    await s.control.addFaults([{ route: 'icSkillSummary', kind: 'latency', latencyMs: 40 }]);
    const body = {
      metrics: ['contacts_handled', 'handle_time', 'service_level'],
      dimensions: ['date', 'skill'],
      start: START,
      end: MONTH_END,
    };
    const res = await summary(body).expect(200);
    expect(await calls('icSkillSummary')).toBe(31);
    expect(await calls('icSlaSummary')).toBe(31);
    expect(s.proxy.count).toBe(31);
    // The adaptive budget decides how many run at once (the injected latency is a 20× rise, which
    // it answers by narrowing); CXONE_MAX_CONCURRENCY is the ceiling it never passes.
    expect(s.proxy.maxInFlight).toBeGreaterThanOrEqual(1);
    expect(s.proxy.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENCY);
    const monthTruth = await truth(START, MONTH_END, ['date', 'skill']);
    expect(monthTruth.upstreamCalls).toBe(31);
    const rows = res.body.rows as Row[];
    expect(new Set(rows.map((r) => r.date)).size).toBe(31);
    expect(rows[0]).toMatchObject({
      date: '2024-05-01',
      bucketStart: '2024-05-01T00:00:00.000Z',
      bucketEnd: '2024-05-02T00:00:00.000Z',
    });
    const idOf = new Map([...s.skillNames].map(([id, name]) => [name, id]));
    expectMatchesTruth(rows, monthTruth.groups, (r) =>
      JSON.stringify({ date: r.date, skill: idOf.get(String(r.skill)) }),
    );
    // The cache, single-flight and no-cache sit above the port, unchanged.
    await s.control.resetStats();
    expect((await summary(body).expect(200)).headers['x-cache']).toBe('HIT');
    expect(await s.summaryCalls()).toBe(0);
    await summary(body, { 'cache-control': 'no-cache' }).expect(200);
    expect(await calls('icSkillSummary')).toBe(31);
    // Two rounds of 62 calls of 40 ms each, as narrow as the budget makes them: seconds, not ms.
  }, 30_000);

  it('reads v21 strings, PascalCase keys, resultSet wrappers and second durations alike', async () => {
    const body = { metrics: SKILL_METRICS, dimensions: ['channel'], start: START, end: WEEK_END };
    const typed = (await summary(body).expect(200)).body.rows as Row[];
    await s.control.setQuirks({
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
      await s.control.resetQuirks();
    }
    const v21 = await startTestGateway({
      sharedSandbox: s.sandbox,
      env: { ...incontactEnv(s.sandbox), CXONE_API_VERSION: '21.0' },
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

  it('the seed-compatible route answers the same rows in this dialect', async () => {
    const body = { metrics: ['handle_time', 'abandon_rate'], dimensions: ['channel'] };
    const v1 = await summary({ ...body, start: START, end: WEEK_END }).expect(200);
    const compat = await request(s.t.url)
      .post('/api/v1/analytics/query')
      .set(s.t.auth())
      .send({ ...body, start_date: START, end_date: WEEK_END })
      .expect(200);
    expect(compat.body).toMatchObject({ status: 'success', row_count: v1.body.rowCount });
    expect(compat.body.data).toEqual(v1.body.rows);
    const refused = await request(s.t.url)
      .post('/api/v1/analytics/query')
      .set(s.t.auth())
      .send({
        metrics: ['first_contact_resolution'],
        dimensions: [],
        start_date: START,
        end_date: WEEK_END,
      })
      .expect(400);
    expect(refused.body.errors[0].field).toBe('metrics');
  });
});
