import { parseConfig } from '../config/app-config';
import { ConfigError } from '../config/env-parsers';
import { liveTimings, REPLAY_WINDOW_MS } from './live.timings';

describe('live stream configuration', () => {
  it('defaults: tickets for 300 s, 50 streams per key, a 5 s poll, a 15 s heartbeat', () => {
    const config = parseConfig({});
    expect(config.live).toEqual({ streamTicketTtlS: 300, streamMaxPerKey: 50 });
    expect(liveTimings(config)).toMatchObject({
      pollIntervalMs: 5000,
      heartbeatMs: 15_000,
      leaseMs: 15_000,
      waitMs: config.cxone.deadlineMs,
    });
  });

  it.each([
    ['1', 1000],
    ['0', 1000],
    ['30', 30_000],
  ])(
    'polls every QUEUE_STATS_TTL_S=%s (at least 1 s) and keeps 10 minutes of updates',
    (ttl, ms) => {
      const t = liveTimings(parseConfig({ QUEUE_STATS_TTL_S: ttl }));
      expect(t.pollIntervalMs).toBe(ms);
      // One update per poll at most: this many cover the whole replay window.
      expect((t.replayCapacity - 1) * t.pollIntervalMs).toBeGreaterThanOrEqual(REPLAY_WINDOW_MS);
    },
  );

  it.each([
    ['STREAM_TICKET_TTL_S', '0'],
    ['STREAM_TICKET_TTL_S', 'soon'],
    ['STREAM_MAX_PER_KEY', '0'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});
