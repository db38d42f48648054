import { flattenQueueStats } from '../../../reporting/queue-stats/queue-stats.flatten';
import { QUEUE_METRIC_NAMES } from '../../../reporting/queue-stats/queue-stats.source';
import { parseSkillActivityPage, toQueueEntry } from './skill-activity.parse';

/** The skill-activity answer as the published spec shapes it (values illustrative). */
const SPEC_ITEM = {
  serverTime: '2024-05-01T14:05:00.250Z',
  businessUnitId: 4599570,
  agentsACW: 1,
  agentsAvailable: 5,
  agentsIdle: 5,
  agentsLoggedIn: 24,
  agentsUnavailable: 9,
  agentsWorking: 6,
  campaignId: 2577193,
  campaignName: 'Concierge',
  contactsActive: 5,
  earliestQueueTime: '2024-05-01T14:03:41.000Z',
  emailFromAddress: '',
  isActive: true,
  inSLA: 120,
  isNaturalCalling: false,
  isOutbound: false,
  mediaTypeId: 4,
  mediaTypeName: 'Phone Call',
  outSLA: 3,
  queueCount: 2,
  serviceLevel: 97,
  serviceLevelGoal: 90,
  serviceLevelThreshold: 30,
  skillName: 'Concierge Inbound',
  skillId: 8408918,
  skillQueueCount: 2,
  personalQueueCount: 0,
  parkedCount: 0,
  divisionNo: 0,
};
const SPEC_BODY = {
  totalRecords: 1,
  _links: { self: 'https://api-na1.niceincontact.com/…/skills/activity', next: null },
  lastPollTime: '2024-05-01T14:05:00.250Z',
  skillActivity: [SPEC_ITEM],
};

const ROW = {
  queueId: '8408918',
  queueName: 'Concierge Inbound',
  timestamp: '2024-05-01T14:05:00.250Z',
  // 14:05:00.250 − 14:03:41.000: the oldest contact has waited 79.25 s.
  waitTime: 79.25,
  agentCount: 5,
  conversationCount: 5,
  abandonCount: null,
  serviceLevel: 97,
  queueCount: 2,
  agentsLoggedIn: 24,
  agentsWorking: 6,
  agentsAcw: 1,
  agentsUnavailable: 9,
  serviceLevelGoal: 90,
  serviceLevelThreshold: 30,
  mediaType: 'Phone Call',
  isOutbound: false,
  campaignName: 'Concierge',
};

const strings = (item: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(item).map(([k, v]) => [
      k,
      typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : v,
    ]),
  );

function rowOf(body: unknown) {
  const page = parseSkillActivityPage(body);
  const asOf = page.lastPollTimeMs ?? 0;
  return flattenQueueStats(
    page.rows.map((s) => toQueueEntry(s, asOf)),
    QUEUE_METRIC_NAMES,
  );
}

describe('skill activity → queue rows', () => {
  it('maps the spec-shaped item onto the queue metrics', () => {
    const page = parseSkillActivityPage(SPEC_BODY);
    expect(page.lastPollTimeMs).toBe(Date.parse('2024-05-01T14:05:00.250Z'));
    expect(rowOf(SPEC_BODY)).toEqual([ROW]);
  });

  it('maps the v21 string style inside resultSet the same way', () => {
    const body = {
      resultSet: {
        totalRecords: '1',
        lastPollTime: SPEC_BODY.lastPollTime,
        skillActivity: [strings(SPEC_ITEM)],
      },
    };
    expect(rowOf(body)).toEqual([ROW]);
  });

  it('reads an empty earliestQueueTime as nobody waiting, and a missing one as unknown', () => {
    const empty = rowOf({ ...SPEC_BODY, skillActivity: [{ ...SPEC_ITEM, earliestQueueTime: '' }] });
    expect(empty[0].waitTime).toBe(0);
    const { earliestQueueTime: _, ...rest } = SPEC_ITEM;
    expect(rowOf({ ...SPEC_BODY, skillActivity: [rest] })[0].waitTime).toBeNull();
  });

  it('accepts the search endpoint misspellings and lower-case ACW', () => {
    const { agentsAvailable: _a, agentsUnavailable: _u, agentsACW: _c, ...rest } = SPEC_ITEM;
    const item = { ...rest, agentsAvaliable: 4, agentsUnavaliable: 8, agentsAcw: 2 };
    const [row] = rowOf({ ...SPEC_BODY, skillActivity: [item] });
    expect(row).toMatchObject({ agentCount: 4, agentsUnavailable: 8, agentsAcw: 2 });
  });

  it('reads a 204 delta as no skills', () => {
    expect(parseSkillActivityPage(undefined)).toMatchObject({ rows: [], lastPollTimeMs: null });
  });

  it('names the item and field on a malformed answer', () => {
    const { skillId: _, ...noId } = SPEC_ITEM;
    expect(() => parseSkillActivityPage({ skillActivity: [noId] })).toThrow(
      'skillActivity[0].skillId is required',
    );
    expect(() =>
      parseSkillActivityPage({ skillActivity: [{ ...SPEC_ITEM, queueCount: 'many' }] }),
    ).toThrow('skillActivity[0].queueCount must be a number');
  });
});
