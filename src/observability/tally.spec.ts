import { MetricsService } from './metrics.service';

/** The value of one series in the registry's text exposition, 0 when it is not there. */
async function seriesValue(metrics: MetricsService, line: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('Tally (hot-path counter series)', () => {
  it('shows every increment in /metrics: each read moves the pending count into the counter', async () => {
    const metrics = new MetricsService();
    const record = metrics.cacheEventRecorder('queueStats');
    const hit = 'gateway_cache_events_total{cache="queueStats",result="hit"}';
    const miss = 'gateway_cache_events_total{cache="queueStats",result="miss"}';
    for (let i = 0; i < 5; i++) record('hit');
    record('miss');
    expect(await seriesValue(metrics, hit)).toBe(5);
    expect(await seriesValue(metrics, miss)).toBe(1);
    // Read again without new events: the same totals, nothing counted twice.
    expect(await seriesValue(metrics, hit)).toBe(5);
    record('hit');
    expect(await seriesValue(metrics, hit)).toBe(6);
  });

  it('counts fast-path answers the same way, read through any metric of the registry', async () => {
    const metrics = new MetricsService();
    for (let i = 0; i < 3; i++) metrics.fastPathAnswers.inc();
    const json = await metrics.registry.getMetricsAsJSON();
    const answers = json.find((m) => m.name === 'gateway_fast_path_answers_total');
    expect(answers?.values.map((v) => v.value)).toEqual([3]);
    metrics.fastPathAnswers.inc();
    expect(await seriesValue(metrics, 'gateway_fast_path_answers_total')).toBe(4);
  });

  it('keeps the caches apart: two recorders, one counter', async () => {
    const metrics = new MetricsService();
    const queue = metrics.cacheEventRecorder('queueStats');
    const analytics = metrics.cacheEventRecorder('analytics');
    queue('hit');
    analytics('hit');
    analytics('hit');
    analytics('stale');
    const series = (cache: string, result: string): string =>
      `gateway_cache_events_total{cache="${cache}",result="${result}"}`;
    expect(await seriesValue(metrics, series('queueStats', 'hit'))).toBe(1);
    expect(await seriesValue(metrics, series('analytics', 'hit'))).toBe(2);
    expect(await seriesValue(metrics, series('analytics', 'stale'))).toBe(1);
    expect(await seriesValue(metrics, series('analytics', 'miss'))).toBe(0);
  });
});
