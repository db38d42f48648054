import { FakeClock } from '../../../common/clock/fake-clock.fake';
import type { AppConfig } from '../../../config/app-config.types';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import type { QueueStatsQuery } from '../../../reporting/queue-stats/queue-stats.source';
import { FakeAcdClient, queryOf } from './acd-client.fake';
import { FULL_POLL_EVERY_MS, IncontactQueueStatsSource } from './incontact-queue-stats.source';

const ALL: QueueStatsQuery = { queueIds: [], metrics: ['waitTime', 'queueCount'] };

interface Skill {
  skillId: number;
  skillName: string;
  queueCount: number;
  isActive: boolean;
  changedAt: number;
  /** Enqueue time of the oldest waiting contact (empty queue when absent). */
  waitingSince?: number;
}

/** A CXone that keeps a version stamp per skill and answers deltas after updatedSince. */
class SkillServer {
  skills: Skill[] = [
    { skillId: 8400001, skillName: 'Sales', queueCount: 1, isActive: true, changedAt: 0 },
    { skillId: 8400002, skillName: 'Billing', queueCount: 2, isActive: true, changedAt: 0 },
  ];
  constructor(private readonly clock: FakeClock) {}

  change(skillId: number, patch: Partial<Skill>): void {
    const skill = this.skills.find((s) => s.skillId === skillId);
    if (skill) Object.assign(skill, patch, { changedAt: this.clock.now() });
  }

  answer = (req: UpstreamRequest): unknown => {
    const query = queryOf(req);
    const since = Date.parse(query.get('updatedSince') ?? '');
    const changed = this.skills.filter((s) => s.changedAt >= since);
    // One page holds every skill; past it (or with nothing changed) a 204.
    if (!changed.length || Number(query.get('skip')) > 0) return undefined;
    return {
      lastPollTime: new Date(this.clock.now()).toISOString(),
      skillActivity: changed.map((s) => ({
        skillId: s.skillId,
        skillName: s.skillName,
        queueCount: s.queueCount,
        isActive: s.isActive,
        earliestQueueTime:
          s.waitingSince === undefined ? '' : new Date(s.waitingSince).toISOString(),
      })),
    };
  };
}

describe('IncontactQueueStatsSource', () => {
  let clock: FakeClock;
  let server: SkillServer;
  let client: FakeAcdClient;
  let sut: IncontactQueueStatsSource;

  beforeEach(() => {
    clock = new FakeClock();
    server = new SkillServer(clock);
    client = new FakeAcdClient(server.answer);
    const config = {
      cxone: { incontact: { apiVersion: '30.0', apiVersions: {} } },
    } as unknown as AppConfig;
    sut = new IncontactQueueStatsSource(client.asClient(), config, clock);
  });

  const polls = () => client.requests.filter((r) => r.query?.skip === 0);
  const since = (i: number) => polls()[i].query?.updatedSince;
  const names = async (query = ALL) =>
    (await sut.fetchStats(query)).map((e) => `${e.queueId}:${e.queueName}`);

  it('polls from the epoch first, then from the last lastPollTime, merging the deltas', async () => {
    expect(await names()).toEqual(['8400001:Sales', '8400002:Billing']);
    expect(client.requests[0].path).toBe('/inContactAPI/services/v30.0/skills/activity');
    expect(since(0)).toBe('1970-01-01T00:00:00.000Z');
    const firstPoll = new Date(clock.now()).toISOString();

    await clock.advance(5000);
    server.change(8400002, { skillName: 'Billing & Accounts' });
    expect(await names()).toEqual(['8400001:Sales', '8400002:Billing & Accounts']);
    expect(since(1)).toBe(firstPoll);

    await clock.advance(5000);
    // Nothing changed: a 204, and the snapshot stands.
    expect(await names()).toEqual(['8400001:Sales', '8400002:Billing & Accounts']);
    expect(polls()).toHaveLength(3);
  });

  it('after an empty delta keeps updatedSince and ages the longest wait by the time passed', async () => {
    server.skills[0].waitingSince = clock.now() - 30_000;
    const wait = async () => (await sut.fetchStats(ALL))[0].metrics[0].values[0].value;
    expect(await wait()).toBe(30);
    expect(since(0)).toBe('1970-01-01T00:00:00.000Z');
    await clock.advance(5000);
    expect(await wait()).toBe(35);
    await clock.advance(5000);
    expect(await wait()).toBe(40);
    expect(since(1)).toBe(since(2));
    expect(since(1)).toBe(new Date(clock.now() - 10_000).toISOString());
  });

  it('drops skills reported inactive', async () => {
    await sut.fetchStats(ALL);
    await clock.advance(1000);
    server.change(8400001, { isActive: false });
    expect(await names()).toEqual(['8400002:Billing']);
  });

  it('returns only the asked skills (a missing one is the service 404)', async () => {
    expect(await names({ queueIds: ['8400002', '8499999'], metrics: ['queueCount'] })).toEqual([
      '8400002:Billing',
    ]);
  });

  it('makes a full poll again every few minutes (healing silently removed skills)', async () => {
    await sut.fetchStats(ALL);
    server.skills = server.skills.slice(0, 1);
    await clock.advance(FULL_POLL_EVERY_MS - 1);
    expect(await names()).toEqual(['8400001:Sales', '8400002:Billing']);
    await clock.advance(1);
    expect(await names()).toEqual(['8400001:Sales']);
    expect(since(2)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('shares one poll between concurrent callers', async () => {
    await Promise.all([sut.fetchStats(ALL), sut.fetchStats(ALL), sut.fetchStats(ALL)]);
    expect(polls()).toHaveLength(1);
  });

  it('keeps polling from the epoch when CXone sends no lastPollTime', async () => {
    const bare = new FakeAcdClient((req) =>
      Number(queryOf(req).get('skip')) > 0
        ? undefined
        : { skillActivity: [{ skillId: 8400001, isActive: 'True' }] },
    );
    const config = {
      cxone: { incontact: { apiVersion: '21.0', apiVersions: {} } },
    } as unknown as AppConfig;
    const source = new IncontactQueueStatsSource(bare.asClient(), config, clock);
    await source.fetchStats(ALL);
    await source.fetchStats(ALL);
    const epoch = '1970-01-01T00:00:00.000Z';
    // Without totalRecords or links, each poll reads on to an empty page.
    expect(bare.requests.map((r) => r.query?.updatedSince)).toEqual([epoch, epoch, epoch, epoch]);
    expect(bare.requests[0].path).toBe('/inContactAPI/services/v21.0/skills/activity');
  });

  it('keeps the snapshot when a poll fails, and fails that call', async () => {
    await sut.fetchStats(ALL);
    const failing = new FakeAcdClient(() => ({ skillActivity: {} }));
    Object.assign(sut, { cxone: failing.asClient() });
    await expect(sut.fetchStats(ALL)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    Object.assign(sut, { cxone: client.asClient() });
    expect(await names()).toEqual(['8400001:Sales', '8400002:Billing']);
    expect(since(1)).not.toBe('1970-01-01T00:00:00.000Z');
  });
});
