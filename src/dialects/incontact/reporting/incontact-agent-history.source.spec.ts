import type { AppConfig } from '../../../config/app-config.types';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import { FakeAcdClient, queryOf } from './acd-client.fake';
import { IncontactAgentHistorySource } from './incontact-agent-history.source';

const DAY = 86_400_000;
const START = Date.UTC(2024, 4, 1);

/** One row per hour of the asked window, typed, the Available/Unavailable pair alternating. */
function hourlyRows(req: UpstreamRequest): unknown {
  const q = queryOf(req);
  const from = Date.parse(q.get('startDate') ?? '');
  const to = Date.parse(q.get('endDate') ?? '');
  const rows = [];
  for (let t = from; t < to; t += 3_600_000) {
    const unavailable = ((t - START) / 3_600_000) % 2 === 1;
    rows.push({
      startDate: new Date(t).toISOString(),
      agentId: 1000001,
      agentStateId: unavailable ? 2 : 1,
      agentStateName: unavailable ? 'Unavailable' : 'Available',
      outStateDescription: unavailable ? 'Break' : '',
      duration: 'PT1H',
    });
  }
  return rows.length ? { totalRecords: rows.length, agentStateHistory: rows } : undefined;
}

function source(client: FakeAcdClient, maxConcurrency = 2): IncontactAgentHistorySource {
  const config = {
    cxone: { maxConcurrency, incontact: { apiVersion: '30.0', apiVersions: {} } },
  } as unknown as AppConfig;
  return new IncontactAgentHistorySource(client.asClient(), config);
}

describe('IncontactAgentHistorySource', () => {
  it('declares positive-integer agent ids', () => {
    expect(source(new FakeAcdClient(() => undefined)).agentIdFormat).toBe('positive-integer');
  });

  it('cuts a long range into day calls with literal-Z dates, at most maxConcurrency at once', async () => {
    const client = new FakeAcdClient(hourlyRows);
    const sut = source(client, 2);
    const changes = await sut.fetchChanges({
      agentId: '1000001',
      startMs: START,
      endMs: START + 3 * DAY + 6 * 3_600_000,
    });
    expect(client.requests.map((r) => r.path)).toEqual(
      Array(4).fill('/inContactAPI/services/v30.0/agents/1000001/state-history'),
    );
    expect(client.requests.map((r) => [r.query?.startDate, r.query?.endDate])).toEqual([
      ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z'],
      ['2024-05-02T00:00:00.000Z', '2024-05-03T00:00:00.000Z'],
      ['2024-05-03T00:00:00.000Z', '2024-05-04T00:00:00.000Z'],
      ['2024-05-04T00:00:00.000Z', '2024-05-04T06:00:00.000Z'],
    ]);
    expect(client.maxInFlight).toBe(2);
    expect(changes).toHaveLength(3 * 24 + 6);
    // Continuity across the day calls: the first row of a day knows the last state of the one before.
    const firstOfDay2 = changes.find((c) => c.timestampMs === START + DAY);
    expect(firstOfDay2).toMatchObject({ stateName: 'Available', previousState: 'Unavailable' });
    expect(changes[1]).toMatchObject({ reason: 'Break', durationMs: 3_600_000 });
  });

  it('drops the repeated state open at each day start (the straddling reading)', async () => {
    const hourBefore = (req: UpstreamRequest, from: number) =>
      hourlyRows({
        ...req,
        query: {
          startDate: new Date(from - 3_600_000).toISOString(),
          endDate: new Date(from).toISOString(),
        },
      }) as { agentStateHistory: unknown[] };
    const client = new FakeAcdClient((req) => {
      const body = hourlyRows(req) as { agentStateHistory: unknown[] };
      const from = Date.parse(queryOf(req).get('startDate') ?? '');
      const rows = [...hourBefore(req, from).agentStateHistory, ...body.agentStateHistory];
      return { totalRecords: rows.length, agentStateHistory: rows };
    });
    const changes = await source(client).fetchChanges({
      agentId: '1000001',
      startMs: START,
      endMs: START + 2 * DAY,
    });
    // 48 hours plus the hour before the window (the service cuts that one at the window edge).
    expect(changes).toHaveLength(49);
    expect(new Set(changes.map((c) => c.timestampMs)).size).toBe(49);
  });

  it('fails as an upstream error naming the field when a row lacks its start', async () => {
    const client = new FakeAcdClient(() => ({
      agentStateHistory: [{ agentStateName: 'Available' }],
    }));
    await expect(
      source(client).fetchChanges({ agentId: '1', startMs: START, endMs: START + DAY }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('agentStateHistory[0].startDate is required') as string,
    });
  });
});
