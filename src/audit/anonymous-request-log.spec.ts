import { FakeClock } from '../common/clock/fake-clock.fake';
import { AnonymousRequestLog, AnonymousSummary } from './anonymous-request-log';
import { auditRecord } from './audit-record.fake';

describe('AnonymousRequestLog', () => {
  let clock: FakeClock;
  let lines: AnonymousSummary[];
  let sut: AnonymousRequestLog;
  const anonymous = (i: number, status: number, route = '/v1/audit') =>
    auditRecord(i, clock.now(), { actor: null, status, route, outcome: 'denied' });

  beforeEach(() => {
    clock = new FakeClock();
    lines = [];
    sut = new AnonymousRequestLog({ clock, intervalMs: 10_000, emit: (s) => lines.push(s) });
  });
  afterEach(() => sut.flush());

  it('says the first request at once, then at most one summary per status per interval', async () => {
    for (let i = 0; i < 5000; i++) sut.note(anonymous(i, 401));
    expect(lines).toEqual([
      expect.objectContaining({ status: 401, count: 1, windowS: 0, routes: { '/v1/audit': 1 } }),
    ]);
    await clock.advance(9_999);
    expect(lines).toHaveLength(1);
    await clock.advance(1);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ status: 401, count: 4999, windowS: 10 });
    expect(lines[1].sample).toMatchObject({ requestId: 'r1', method: 'GET', route: '/v1/audit' });
    // A flood that goes on: one line per interval, never more.
    for (let s = 0; s < 30; s++) {
      for (let i = 0; i < 100; i++) sut.note(anonymous(i, 401));
      await clock.advance(1_000);
    }
    expect(lines).toHaveLength(5);
    expect(lines.slice(2).map((l) => l.count)).toEqual([1000, 1000, 1000]);
  });

  it('keeps statuses apart and names the busiest routes', async () => {
    for (let i = 0; i < 30; i++) sut.note(anonymous(i, 404, 'unmatched'));
    for (let i = 0; i < 3; i++) sut.note(anonymous(i, 401, '/v1/queues/stats'));
    sut.note(anonymous(99, 401, '/v1/audit'));
    expect(lines.map((l) => [l.status, l.count])).toEqual([
      [404, 1],
      [401, 1],
    ]);
    await clock.advance(10_000);
    const byStatus = Object.fromEntries(lines.slice(2).map((l) => [l.status, l]));
    expect(byStatus[404]).toMatchObject({ count: 29, routes: { unmatched: 29 } });
    expect(byStatus[401]).toMatchObject({ count: 3 });
    expect(Object.entries(byStatus[401].routes)).toEqual([
      ['/v1/queues/stats', 2],
      ['/v1/audit', 1],
    ]);
  });

  it('goes quiet when the requests stop, and speaks at once when they start again', async () => {
    sut.note(anonymous(1, 401));
    await clock.advance(60_000);
    expect(lines).toHaveLength(1);
    sut.note(anonymous(2, 401));
    expect(lines).toHaveLength(2);
    expect(clock.pending()).toBe(1);
  });

  it('bounds the routes it names in one line', () => {
    sut.note(anonymous(0, 404, 'unmatched'));
    for (let i = 0; i < 50; i++) sut.note(anonymous(i, 404, `/route-${i}`));
    sut.flush();
    const summary = lines[1];
    expect(summary.count).toBe(50);
    expect(Object.keys(summary.routes)).toHaveLength(11);
    expect(summary.routes.other).toBe(40);
    expect(clock.pending()).toBe(0);
  });
});
