import { hostile, unhostile } from '../../src/sandbox/hostile-text';
import type { Json } from './sandbox-http.helpers';
import {
  MAY_1,
  MAY_2,
  startIncontactUnderTest,
  type IncontactUnderTest,
} from './incontact.helpers';

/** Every value is either hostile text or not text at all (ids, dates, numbers, booleans). */
const isHostile = (value: unknown): boolean =>
  typeof value === 'string' && value !== unhostile(value) && value.startsWith('=');

describe('SANDBOX_HOSTILE_TEXT: formula-like, quoted, comma-, newline- and backslash-bearing text', () => {
  let sut: IncontactUnderTest;
  let v2Token: string;
  const v2 = async (path: string, init: RequestInit = {}): Promise<Json> =>
    (
      await fetch(`${sut.sandbox.url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${v2Token}`, 'Content-Type': 'application/json' },
      })
    ).json();

  beforeAll(async () => {
    // Configured at start, as SANDBOX_HOSTILE_TEXT=true would.
    sut = await startIncontactUnderTest({ incontactQuirks: { hostileText: true } });
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(async () => {
    await sut.reset();
    const { clientId, clientSecret } = sut.sandbox.fixtures.credentials;
    const body: Json = await (
      await fetch(`${sut.sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`,
      })
    ).json();
    v2Token = body.access_token;
  });

  it('reaches the v2 queue names, state names and reasons, and user names', async () => {
    const stats: Json = await v2('/api/v2/reporting/queues/stats?granularity=REAL_TIME');
    expect(stats.data.map((q: Json) => q.queue.name)).toEqual(
      sut.sandbox.fixtures.queues.map((q) => hostile(q.name)),
    );
    const { busy } = sut.sandbox.fixtures.agents;
    const history: Json = await v2(
      `/api/v2/reporting/agents/${busy}/history?start=${MAY_1}&end=${MAY_2}&pageSize=100`,
    );
    for (const r of history.records) {
      expect(isHostile(r.state.name)).toBe(true);
      if (r.state.reason !== undefined) expect(isHostile(r.state.reason)).toBe(true);
    }
    const user: Json = await v2(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`);
    expect(user.firstName).toBe(hostile('Alice'));
  });

  it('reaches v2 analytics dimension values, and filters on the served value still match', async () => {
    const query = {
      metrics: ['handle_time'],
      dimensions: ['channel', 'campaign', 'queue'],
      dateRange: { start: MAY_1, end: MAY_2 },
      filters: [{ dimension: 'channel', operator: 'eq', value: hostile('voice') }],
    };
    const body: Json = await v2('/api/v2/analytics/summary/query', {
      method: 'POST',
      body: JSON.stringify(query),
    });
    expect(body.data.length).toBeGreaterThan(0);
    for (const row of body.data) {
      expect(row.channel).toBe(hostile('voice'));
      expect(isHostile(row.campaign)).toBe(true);
      expect(isHostile(row.queue)).toBe(false);
    }
  });

  it('reaches the text fields of v2 export records, which stay valid JSON', async () => {
    const created: Json = await v2('/api/v2/analytics/exports', {
      method: 'POST',
      body: JSON.stringify({
        query: { dateFrom: MAY_1, dateTo: '2024-05-01T02:00:00.000Z' },
        compression: 'none',
      }),
    });
    let status = created.status;
    for (let i = 0; status !== 'completed' && i < 100; i += 1) {
      sut.clock.now += 1000;
      const job: Json = await v2(`/api/v2/analytics/exports/${created.id}`);
      status = job.status;
    }
    const records: Json[] = await v2(`/api/v2/analytics/exports/${created.id}/download`);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records.filter((r) => 'intent' in r)) {
      expect(isHostile(record.intent)).toBe(true);
      expect(isHostile(record.outcome)).toBe(true);
    }
  });

  it('reaches the inContact skill, campaign, media, state, reason, team and code names', async () => {
    const activity: Json = await (await sut.acd('/skills/activity')).json();
    for (const s of activity.skillActivity)
      for (const key of ['skillName', 'campaignName', 'mediaTypeName'])
        expect(isHostile(s[key])).toBe(true);
    const history: Json = await (
      await sut.acd(`/agents/${sut.sandbox.fixtures.incontact.agents.busy}/state-history`, {
        startDate: MAY_1,
        endDate: MAY_2,
        top: 200,
      })
    ).json();
    for (const row of history.agentStateHistory) {
      expect(isHostile(row.agentStateName)).toBe(true);
      if (row.outStateId !== 0) expect(isHostile(row.outStateDescription)).toBe(true);
      if (row.skillId !== 0) expect(isHostile(row.skillName)).toBe(true);
    }
    const states: Json = await (await sut.acd('/agents/states')).json();
    expect(states.agentStates.every((a: Json) => isHostile(a.teamName))).toBe(true);
    const codes: Json = await (await sut.acd('/teams/2472301/unavailable-codes')).json();
    expect(codes.unavailableCodes.every((c: Json) => isHostile(c.outstateName))).toBe(true);
    const summary: Json = await (
      await sut.acd('/skills/summary', { startDate: MAY_1, endDate: MAY_2 }, '21.0')
    ).json();
    expect(summary.skillSummaries.every((s: Json) => isHostile(s.skillName))).toBe(true);
  });

  it('is switched off through the control API like every quirk', async () => {
    await sut.control.setQuirks({ hostileText: false });
    const activity: Json = await (await sut.acd('/skills/activity')).json();
    expect(activity.skillActivity[0].skillName).toBe('Sales Support');
    const stats: Json = await v2('/api/v2/reporting/queues/stats?granularity=REAL_TIME');
    expect(stats.data[0].queue.name).toBe('Sales Support');
  });
});
