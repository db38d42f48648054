import { SANDBOX_FIXTURES } from './fixtures';
import { QUEUE_METRICS, queueMetricValue } from './queue-stats.generator';

describe('queueMetricValue', () => {
  const ids = SANDBOX_FIXTURES.queues.map((q) => q.id);

  it('is deterministic per (seed, queue, metric)', () => {
    expect(queueMetricValue(42, ids[0], 'waitTime')).toBe(queueMetricValue(42, ids[0], 'waitTime'));
    const values = new Set(ids.map((id) => queueMetricValue(42, id, 'waitTime')));
    expect(values.size).toBeGreaterThan(1);
  });

  it('stays in plausible ranges', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      for (const id of ids) {
        const v = Object.fromEntries(QUEUE_METRICS.map((m) => [m, queueMetricValue(seed, id, m)]));
        expect(v.waitTime).toBeGreaterThanOrEqual(0);
        expect(v.waitTime).toBeLessThanOrEqual(600);
        expect(Math.round(v.waitTime * 10)).toBeCloseTo(v.waitTime * 10, 6);
        expect(Number.isInteger(v.agentCount) && v.agentCount <= 50).toBe(true);
        expect(v.serviceLevel).toBeGreaterThanOrEqual(0);
        expect(v.serviceLevel).toBeLessThanOrEqual(100);
      }
    }
  });
});
