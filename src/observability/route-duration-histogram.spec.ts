import { Histogram, Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS } from './metrics.service';
import { RouteDurationHistogram } from './route-duration-histogram';

describe('RouteDurationHistogram', () => {
  const NAME = 'gateway_http_request_duration_seconds';
  const HELP = 'Inbound HTTP request duration by route template and status';

  /** The same observations into prom-client's Histogram and into ours, each in its registry. */
  function both() {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({
      name: NAME,
      help: HELP,
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_DURATION_BUCKETS,
      registers: [theirs],
    });
    const sut = new RouteDurationHistogram(NAME, HELP, HTTP_DURATION_BUCKETS, ours);
    const observe = (method: string, route: string, status: number, seconds: number) => {
      reference.observe({ method, route, status }, seconds);
      sut.observe(method, route, status, seconds);
    };
    return { theirs, ours, observe, sut, reference };
  }

  it('writes the exposition prom-client writes, label sets in first-seen order', async () => {
    const { theirs, ours, observe } = both();
    const routes = ['/v1/queues/stats', '/v1/analytics/summary', 'unmatched'];
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const seconds = random() ** 4 * 12; // from microseconds to beyond the last bound
      observe(i % 7 ? 'GET' : 'POST', routes[i % 3], [200, 200, 304, 401, 429][i % 5], seconds);
    }
    // Exactly on each bound: counted in that bound's bucket (le is "less or equal").
    for (const bound of HTTP_DURATION_BUCKETS) observe('GET', routes[0], 200, bound);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('is empty, as prom-client is, before anything is observed and after a reset', async () => {
    const { theirs, ours, observe } = both();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    observe('GET', '/health/live', 200, 0.002);
    theirs.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    observe('GET', '/health/live', 200, 0.003);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('counts every observation in +Inf and _count, and the bounds cumulatively', async () => {
    const { sut, observe } = both();
    for (let i = 0; i < 25; i++) observe('GET', '/x', 200, i);
    const { values } = await sut.get();
    const inf = values.find((v) => v.labels.le === '+Inf');
    const count = values.find((v) => v.metricName === `${NAME}_count`);
    expect(inf?.value).toBe(25);
    expect(count?.value).toBe(25);
    expect(values.find((v) => v.labels.le === 10)?.value).toBe(11); // 0..10 s
  });
});
