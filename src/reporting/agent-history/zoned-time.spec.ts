import type { AgentStateChange } from './agent-history.source';
import { summarizeByLocalDay, zonedIsoFormatter } from './zoned-time';

const ms = (iso: string): number => Date.parse(iso);
const change = (iso: string, stateName: string): AgentStateChange => ({
  timestampMs: ms(iso),
  agentId: 'a',
  stateId: 1,
  stateName,
  previousState: null,
});

describe('zonedIsoFormatter', () => {
  it('writes UTC with Z, exactly as before', () => {
    expect(zonedIsoFormatter('UTC')(ms('2026-01-14T08:00:04.512Z'))).toBe(
      '2026-01-14T08:00:04.512Z',
    );
  });

  it.each([
    ['Europe/Berlin', '2024-03-31T00:59:59.999Z', '2024-03-31T01:59:59.999+01:00'],
    ['Europe/Berlin', '2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00.000+02:00'],
    ['Europe/Berlin', '2024-10-27T00:30:00.000Z', '2024-10-27T02:30:00.000+02:00'],
    ['Europe/Berlin', '2024-10-27T01:30:00.000Z', '2024-10-27T02:30:00.000+01:00'],
    ['America/New_York', '2024-03-10T07:00:00.000Z', '2024-03-10T03:00:00.000-04:00'],
    ['America/New_York', '2024-11-03T06:30:00.000Z', '2024-11-03T01:30:00.000-05:00'],
    ['Asia/Kathmandu', '2024-05-01T00:00:00.000Z', '2024-05-01T05:45:00.000+05:45'],
  ])('%s: %s → %s (same instant)', (zone, utc, local) => {
    const text = zonedIsoFormatter(zone)(ms(utc));
    expect(text).toBe(local);
    expect(Date.parse(text)).toBe(ms(utc));
  });
});

describe('summarizeByLocalDay', () => {
  it('splits a state spanning local midnight between the two days', () => {
    const days = summarizeByLocalDay(
      [change('2024-05-01T21:50:00Z', 'Available'), change('2024-05-01T22:20:00Z', 'ACW')],
      { startMs: ms('2024-05-01T21:00:00Z'), endMs: ms('2024-05-01T23:00:00Z') },
      'Europe/Berlin',
    );
    expect(days).toEqual([
      {
        date: '2024-05-01',
        start: '2024-05-01T23:00:00.000+02:00',
        end: '2024-05-02T00:00:00.000+02:00',
        byState: { Available: { count: 1, seconds: 600 } },
      },
      {
        date: '2024-05-02',
        start: '2024-05-02T00:00:00.000+02:00',
        end: '2024-05-02T01:00:00.000+02:00',
        byState: { Available: { count: 0, seconds: 1200 }, ACW: { count: 1, seconds: 2400 } },
      },
    ]);
  });

  it.each([
    ['Europe/Berlin', '2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 23],
    ['Europe/Berlin', '2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', 25],
    ['America/New_York', '2024-03-10T05:00:00Z', '2024-03-11T04:00:00Z', 23],
    ['America/New_York', '2024-11-03T04:00:00Z', '2024-11-04T05:00:00Z', 25],
  ])('%s: a DST day from %s holds %i hours of state time', (zone, from, to, hours) => {
    const days = summarizeByLocalDay(
      [change(from, 'Available')],
      { startMs: ms(from), endMs: ms(to) },
      zone,
    );
    expect(days).toHaveLength(1);
    expect(days[0].byState.Available.seconds).toBe(hours * 3600);
    expect(days[0].start.slice(11, 19)).toBe('00:00:00');
  });

  it('gives every day of the window an entry, even without changes', () => {
    const days = summarizeByLocalDay(
      [],
      { startMs: ms('2024-05-01T00:00:00Z'), endMs: ms('2024-05-03T00:00:00Z') },
      'UTC',
    );
    expect(days.map((d) => [d.date, d.byState])).toEqual([
      ['2024-05-01', {}],
      ['2024-05-02', {}],
    ]);
  });
});
