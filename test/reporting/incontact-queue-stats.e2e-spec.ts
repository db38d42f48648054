import { agentIdOf, skillIdOf } from '../../src/sandbox/incontact/ic-fixtures';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import {
  gatewayGet,
  incontactEnv,
  pastDay,
  QUIRK_STYLES,
  startDialectPair,
  type DialectPair,
} from './incontact-helpers';

type Cell = string | number | boolean | null;
interface Row {
  queueId: string;
  queueName: string;
  timestamp: string | null;
  [metric: string]: Cell;
}
interface Body {
  asOf: string;
  queues: Row[];
}

const CORE = ['waitTime', 'agentCount', 'conversationCount', 'abandonCount', 'serviceLevel'];
const ADDED_NUMBERS = [
  'queueCount',
  'agentsLoggedIn',
  'agentsWorking',
  'agentsAcw',
  'agentsUnavailable',
  'serviceLevelGoal',
  'serviceLevelThreshold',
];

describe('GET /v1/queues/stats, incontact dialect (e2e)', () => {
  let pair: DialectPair;
  const queues = () => pair.sandbox.fixtures.queues;
  const skills = () => pair.sandbox.fixtures.incontact;
  const stats = (t: TestGateway, query: Record<string, string> = {}) =>
    gatewayGet(t, '/v1/queues/stats', query);
  const polls = async () =>
    (await pair.control.requests('icSkillActivity')).filter((r) => (r.query.skip ?? '0') === '0');

  beforeAll(async () => {
    pair = await startDialectPair();
  });
  afterAll(() => pair.close());
  beforeEach(async () => {
    await pair.control.resetQuirks();
    await pair.control.clearFaults();
  });

  describe.each(QUIRK_STYLES)('in the style "$name"', (style) => {
    // A gateway of its own: its first answer comes from the epoch poll, so every figure is the
    // one CXone just sent (later deltas age the longest wait by the time passed, which the
    // simulator's fixed wait figures do not).
    let styled: TestGateway;
    const gateway = () => styled;
    beforeAll(async () => {
      styled = await startTestGateway({
        sharedSandbox: pair.sandbox,
        env: {
          ...incontactEnv(pair.sandbox),
          QUEUE_STATS_TTL_S: '0',
          ...(style.apiVersion && { CXONE_API_VERSION: style.apiVersion }),
        },
      });
    });
    afterAll(() => styled.close());
    beforeEach(() => pair.control.setQuirks(style.quirks));

    it('answers the same queues and figures as v2, field by field, plus the real ones', async () => {
      const v2 = (await stats(pair.v2).expect(200)).body as Body;
      const ic = (await stats(gateway()).expect(200)).body as Body;
      // Queues are skills; the retired (inactive) skill is left out.
      expect(ic.queues.map((q) => q.queueName)).toEqual(v2.queues.map((q) => q.queueName));
      expect(ic.queues.map((q) => q.queueId)).toEqual(queues().map((q) => String(skillIdOf(q.id))));
      ic.queues.forEach((row, i) => {
        const expected = v2.queues[i];
        for (const metric of ['waitTime', 'agentCount', 'conversationCount', 'serviceLevel']) {
          expect([metric, row[metric]]).toEqual([metric, expected[metric]]);
        }
        // Not in this feed: null, never invented.
        expect(row.abandonCount).toBeNull();
        expect(typeof expected.abandonCount).toBe('number');
        for (const metric of ADDED_NUMBERS)
          expect([metric, typeof row[metric]]).toEqual([metric, 'number']);
        expect(typeof row.mediaType).toBe('string');
        expect(typeof row.isOutbound).toBe('boolean');
        expect(typeof row.campaignName).toBe('string');
        expect(row.timestamp).toEqual(expect.any(String));
      });
      const skill = skills().skills[1];
      expect(ic.queues[1]).toMatchObject({
        mediaType: skill.mediaTypeName,
        isOutbound: skill.isOutbound,
        campaignName: skill.campaignName,
        serviceLevelGoal: skill.serviceLevelGoal,
        serviceLevelThreshold: skill.serviceLevelThreshold,
      });
    });

    it('keeps the v2 columns (and order) when asked for the core metrics only', async () => {
      const query = { metrics: CORE.join(',') };
      const v2 = (await stats(pair.v2, query).expect(200)).body as Body;
      const ic = (await stats(gateway(), query).expect(200)).body as Body;
      expect(Object.keys(ic.queues[0])).toEqual(Object.keys(v2.queues[0]));
    });
  });

  it('polls from the epoch once, then from lastPollTime, merging the deltas', async () => {
    const t = await startTestGateway({
      sharedSandbox: pair.sandbox,
      env: { ...incontactEnv(pair.sandbox), QUEUE_STATS_TTL_S: '0' },
    });
    try {
      await pair.control.resetStats();
      const first = (await stats(t).expect(200)).body as Body;
      const skillId = Number(first.queues[2].queueId);
      pair.clock.now += 1000;
      await pair.control.setQueue(skillId, { agentsAvailable: 17, waitTime: 0 });
      pair.clock.now += 1000;
      const second = (await stats(t).expect(200)).body as Body;
      const [epoch, delta] = await polls();
      expect(epoch.query.updatedSince).toBe('1970-01-01T00:00:00.000Z');
      expect(Date.parse(delta.query.updatedSince)).toBeGreaterThan(0);
      expect(second.queues[2]).toMatchObject({ agentCount: 17, waitTime: 0 });
      // Unchanged skills come from the snapshot, the same as before.
      expect(second.queues[0].agentCount).toBe(first.queues[0].agentCount);
      expect(second.queues).toHaveLength(first.queues.length);
    } finally {
      await t.close();
    }
  });

  it('calls an endpoint pinned by CXONE_API_VERSIONS at its version, the others at the default', async () => {
    const t = await startTestGateway({
      sharedSandbox: pair.sandbox,
      env: {
        ...incontactEnv(pair.sandbox),
        QUEUE_STATS_TTL_S: '0',
        CXONE_API_VERSIONS: 'skills/activity=21',
      },
    });
    try {
      await pair.control.resetStats();
      // v21.0 answers every value as a string: the pinned endpoint is read in its own style.
      const ic = (await stats(t).expect(200)).body as Body;
      const v2 = (await stats(pair.v2).expect(200)).body as Body;
      expect(ic.queues.map((q) => [q.queueName, q.agentCount])).toEqual(
        v2.queues.map((q) => [q.queueName, q.agentCount]),
      );
      const [poll] = await polls();
      expect(poll.path).toBe('/inContactAPI/services/v21.0/skills/activity');
      const agent = String(agentIdOf(pair.sandbox.fixtures.agents.moderate));
      await gatewayGet(t, `/v1/agents/${agent}/state-history`, pastDay()).expect(200);
      const [history] = await pair.control.requests('icAgentStateHistory');
      expect(history.path).toBe(`/inContactAPI/services/v30.0/agents/${agent}/state-history`);
    } finally {
      await t.close();
    }
  });

  it('drops a skill CXone reports inactive; asking for it is a 404', async () => {
    const skillId = skills().skills[3].skillId;
    const before = (await stats(pair.ic).expect(200)).body as Body;
    expect(before.queues.map((q) => q.queueId)).toContain(String(skillId));
    pair.clock.now += 1000;
    await pair.control.setQueue(skillId, { isActive: false });
    const after = (await stats(pair.ic).expect(200)).body as Body;
    expect(after.queues.map((q) => q.queueId)).not.toContain(String(skillId));
    const res = await stats(pair.ic, { queueIds: String(skillId) }).expect(404);
    expect(res.body.detail).toBe(`Queue ${skillId} not found`);
  });

  it('answers 404 naming unknown skills and 400 naming queueIds for non-integers', async () => {
    const known = String(skills().skills[0].skillId);
    const unknown = String(skills().unknownSkill);
    const missing = await stats(pair.ic, { queueIds: `${known},${unknown}` }).expect(404);
    expect(missing.body.detail).toBe(`Queue ${unknown} not found`);
    const retired = await stats(pair.ic, { queueIds: String(skills().inactiveSkill) }).expect(404);
    expect(retired.body.queueIds).toEqual([String(skills().inactiveSkill)]);
    await pair.control.resetStats();
    const uuid = await stats(pair.ic, { queueIds: queues()[0].id }).expect(400);
    expect(uuid.body.errors).toEqual([
      {
        field: 'queueIds',
        message: 'queueIds must be a comma-separated list of positive integers',
      },
    ]);
    expect((await pair.control.stats()).routes.icSkillActivity.calls).toBe(0);
  });

  it('answers abandonCount as null and the v2 gateway keeps refusing the added metrics', async () => {
    const ic = (await stats(pair.ic, { metrics: 'abandonCount,queueCount' }).expect(200))
      .body as Body;
    expect(
      ic.queues.every((q) => q.abandonCount === null && typeof q.queueCount === 'number'),
    ).toBe(true);
    const v2 = await stats(pair.v2, { metrics: 'queueCount' }).expect(400);
    expect(v2.body.errors[0]).toMatchObject({ field: 'metrics' });
    expect(v2.body.errors[0].message).toContain('allowed: waitTime, agentCount');
  });
});
