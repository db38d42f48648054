import {
  BucketLimitError,
  countBuckets,
  GRANULARITIES,
  planBuckets,
  TimeBucket,
} from './time-buckets';

const ms = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

function plan(
  start: string,
  end: string,
  timeZone: string,
  granularity: (typeof GRANULARITIES)[number],
  maxBuckets = 2000,
): TimeBucket[] {
  return planBuckets({ startMs: ms(start), endMs: ms(end), timeZone, granularity, maxBuckets });
}

const hours = (b: TimeBucket): number => (b.endMs - b.startMs) / HOUR;

describe('planBuckets across DST changes', () => {
  describe.each([
    {
      zone: 'Europe/Berlin',
      spring: { day: '2024-03-31', from: '2024-03-30T23:00:00Z', to: '2024-03-31T22:00:00Z' },
      autumn: { day: '2024-10-27', from: '2024-10-26T22:00:00Z', to: '2024-10-27T23:00:00Z' },
      springSkipped: '02',
      autumnRepeated: ['2024-10-27T02:00:00.000+02:00', '2024-10-27T02:00:00.000+01:00'],
      offsets: ['+01:00', '+02:00'],
    },
    {
      zone: 'America/New_York',
      spring: { day: '2024-03-10', from: '2024-03-10T05:00:00Z', to: '2024-03-11T04:00:00Z' },
      autumn: { day: '2024-11-03', from: '2024-11-03T04:00:00Z', to: '2024-11-04T05:00:00Z' },
      springSkipped: '02',
      autumnRepeated: ['2024-11-03T01:00:00.000-04:00', '2024-11-03T01:00:00.000-05:00'],
      offsets: ['-05:00', '-04:00'],
    },
  ])('$zone', ({ zone, spring, autumn, springSkipped, autumnRepeated, offsets }) => {
    it('P1D: the spring day is 23 hours, the autumn day 25, each starting at local midnight', () => {
      const [s] = plan(spring.from, spring.to, zone, 'P1D');
      expect(s).toMatchObject({
        date: spring.day,
        start: `${spring.day}T00:00:00.000${offsets[0]}`,
      });
      expect(s.end.slice(0, 10)).not.toBe(spring.day);
      expect(s.end).toContain('T00:00:00.000' + offsets[1]);
      expect(hours(s)).toBe(23);
      const [a] = plan(autumn.from, autumn.to, zone, 'P1D');
      expect(a).toMatchObject({
        date: autumn.day,
        start: `${autumn.day}T00:00:00.000${offsets[1]}`,
      });
      expect(hours(a)).toBe(25);
    });

    it('P1D over a week around the change: 7 contiguous buckets, one of them short', () => {
      const from = ms(spring.from) - 3 * 24 * HOUR;
      const buckets = planBuckets({
        startMs: from,
        endMs: from + 7 * 24 * HOUR - HOUR,
        timeZone: zone,
        granularity: 'P1D',
        maxBuckets: 2000,
      });
      expect(buckets).toHaveLength(7);
      buckets.slice(1).forEach((b, i) => expect(b.startMs).toBe(buckets[i].endMs));
      expect(buckets.map(hours)).toEqual([24, 24, 24, 23, 24, 24, 24]);
      expect(buckets.map((b) => b.start.slice(11, 19))).toEqual(Array(7).fill('00:00:00'));
    });

    it('PT1H: 23 local hours in spring (one skipped), 25 in autumn (one repeated)', () => {
      const s = plan(spring.from, spring.to, zone, 'PT1H');
      expect(s).toHaveLength(23);
      expect(s.map((b) => b.start.slice(11, 13))).not.toContain(springSkipped);
      expect(s.every((b) => hours(b) === 1 && b.date === spring.day)).toBe(true);
      const a = plan(autumn.from, autumn.to, zone, 'PT1H');
      expect(a).toHaveLength(25);
      expect(a.map((b) => b.start)).toEqual(expect.arrayContaining(autumnRepeated));
      expect(new Set(a.map((b) => b.startMs)).size).toBe(25);
    });
  });
});

describe('planBuckets', () => {
  it('UTC days are plain calendar days with Z offsets', () => {
    expect(plan('2024-05-01T00:00:00Z', '2024-05-03T00:00:00Z', 'UTC', 'P1D')).toEqual([
      {
        startMs: ms('2024-05-01T00:00:00Z'),
        endMs: ms('2024-05-02T00:00:00Z'),
        start: '2024-05-01T00:00:00.000Z',
        end: '2024-05-02T00:00:00.000Z',
        date: '2024-05-01',
      },
      {
        startMs: ms('2024-05-02T00:00:00Z'),
        endMs: ms('2024-05-03T00:00:00Z'),
        start: '2024-05-02T00:00:00.000Z',
        end: '2024-05-03T00:00:00.000Z',
        date: '2024-05-02',
      },
    ]);
  });

  it('cuts the first and last bucket at a range that is not on local boundaries', () => {
    const b = plan('2024-05-01T00:00:00Z', '2024-05-02T12:00:00Z', 'Europe/Berlin', 'P1D');
    expect(b.map((x) => [x.start, x.end, x.date])).toEqual([
      ['2024-05-01T02:00:00.000+02:00', '2024-05-02T00:00:00.000+02:00', '2024-05-01'],
      ['2024-05-02T00:00:00.000+02:00', '2024-05-02T14:00:00.000+02:00', '2024-05-02'],
    ]);
  });

  it('the local date is the date of the bucket start in the zone, not in UTC', () => {
    const [first] = plan('2024-05-01T22:00:00Z', '2024-05-02T22:00:00Z', 'Europe/Berlin', 'P1D');
    expect(first.date).toBe('2024-05-02');
  });

  it('quarter hours follow a +05:45 zone, weeks start on Monday, months are calendar months', () => {
    const q = plan('2024-05-01T00:00:00Z', '2024-05-01T01:00:00Z', 'Asia/Kathmandu', 'PT15M');
    expect(q.map((b) => b.start.slice(11, 16))).toEqual(['05:45', '06:00', '06:15', '06:30']);
    const w = plan('2024-05-01T00:00:00Z', '2024-05-15T00:00:00Z', 'UTC', 'P1W');
    expect(w.map((b) => b.start.slice(0, 10))).toEqual(['2024-05-01', '2024-05-06', '2024-05-13']);
    const m = plan('2024-01-01T00:00:00Z', '2024-04-01T00:00:00Z', 'UTC', 'P1M');
    expect(m.map((b) => (b.endMs - b.startMs) / (24 * HOUR))).toEqual([31, 29, 31]);
  });

  it('counts without building, equal to the plan length', () => {
    for (const g of GRANULARITIES) {
      const from = ms('2024-03-28T05:17:00Z');
      const to = ms('2024-04-02T19:03:00Z');
      const built = planBuckets({
        startMs: from,
        endMs: to,
        timeZone: 'America/New_York',
        granularity: g,
        maxBuckets: 10_000,
      });
      expect(countBuckets(from, to, 'America/New_York', g)).toBe(built.length);
    }
  });

  it('refuses more buckets × dimension values than the cap, naming it and a granularity that fits', () => {
    const request = {
      startMs: ms('2024-05-01T00:00:00Z'),
      endMs: ms('2024-06-01T00:00:00Z'),
      timeZone: 'UTC',
      granularity: 'PT15M' as const,
      maxBuckets: 2000,
    };
    expect(() => planBuckets(request)).toThrow(BucketLimitError);
    try {
      planBuckets(request);
    } catch (err) {
      const e = err as BucketLimitError;
      expect(e.buckets).toBe(31 * 96);
      expect(e.suggestion).toBe('PT30M');
      expect(e.message).toContain('2976 buckets');
      expect(e.message).toContain('cap of 2000 (ANALYTICS_MAX_BUCKETS)');
      expect(e.message).toContain('use granularity PT30M (1488 buckets)');
    }
    expect(() => planBuckets({ ...request, otherValues: 2 })).toThrow(
      /2976 buckets × 2 dimension values.*use granularity PT1H/,
    );
    expect(() => planBuckets({ ...request, granularity: 'P1M', maxBuckets: 0 })).toThrow(
      /use a shorter range/,
    );
    expect(planBuckets({ ...request, granularity: 'PT30M' })).toHaveLength(1488);
  });
});
