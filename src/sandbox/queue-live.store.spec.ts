import { QueueLiveStore } from './queue-live.store';
import { QUEUE_METRICS, queueMetricValue } from './queue-stats.generator';
import { SANDBOX_FIXTURES } from './fixtures';

describe('QueueLiveStore (the live figures both surfaces serve)', () => {
  let now = 1_000;
  const sut = new QueueLiveStore(42, () => now);
  const queue = SANDBOX_FIXTURES.queues[0];
  beforeEach(() => {
    now = 1_000;
    sut.reset();
  });

  it('starts from the v2 generator, so both surfaces agree with it', () => {
    const entry = sut.find(queue.id);
    if (!entry) throw new Error('queue missing');
    const f = sut.figures(entry);
    const v2 = Object.fromEntries(QUEUE_METRICS.map((m) => [m, queueMetricValue(42, queue.id, m)]));
    expect([
      f.waitTime,
      f.agentsAvailable,
      f.contactsActive,
      f.abandonCount,
      f.serviceLevel,
    ]).toEqual([
      v2.waitTime,
      v2.agentCount,
      v2.conversationCount,
      v2.abandonCount,
      v2.serviceLevel,
    ]);
    expect(f.agentsLoggedIn).toBe(
      f.agentsAvailable + f.agentsWorking + f.agentsAcw + f.agentsUnavailable,
    );
    expect(sut.find(entry.skill.skillId)).toBe(entry);
    expect(sut.find(String(entry.skill.skillId))).toBe(entry);
  });

  it('sets any figure (v2 names as aliases), keeps derived ones consistent, stamps the change', () => {
    const entry = sut.find(queue.id);
    if (!entry) throw new Error('queue missing');
    now = 5_000;
    const f = sut.set(entry, { agentCount: 3, agentsWorking: 2, waitTime: 0 });
    expect(f).toMatchObject({ agentsAvailable: 3, agentsWorking: 2, waitTime: 0, queueCount: 0 });
    if (Array.isArray(f)) throw new Error('unexpected problems');
    expect(f.agentsLoggedIn).toBe(3 + 2 + f.agentsAcw + f.agentsUnavailable);
    expect(entry.changedAtMs).toBe(5_000);
  });

  it('hands every change out exactly once to a client polling with the last lastPollTime', () => {
    const first = sut.changedSince(sut.list(), undefined);
    expect(first.entries).toHaveLength(sut.list().length);
    // Same millisecond as the poll: the change must still reach the next poll.
    const entry = sut.find(queue.id);
    if (!entry) throw new Error('queue missing');
    sut.set(entry, { waitTime: 10 });
    const second = sut.changedSince(sut.list(), first.pollMs);
    expect(second.entries).toEqual([entry]);
    expect(sut.changedSince(sut.list(), second.pollMs).entries).toEqual([]);
  });

  it('refuses bad figures naming each, changing nothing', () => {
    const entry = sut.find(queue.id);
    if (!entry) throw new Error('queue missing');
    const before = sut.figures(entry);
    expect(sut.set(entry, { waitTime: -1, isActive: 'no', colour: 1, serviceLevel: 101 })).toEqual([
      'waitTime must be a non-negative number',
      'isActive must be a boolean',
      expect.stringContaining('unknown figure "colour"'),
      'serviceLevel must be at most 100',
    ]);
    expect(sut.figures(entry)).toEqual(before);
    expect(entry.changedAtMs).toBe(1_000);
  });
});
