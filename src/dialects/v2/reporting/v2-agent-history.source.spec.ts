import { parseHistoryPage } from './v2-agent-history.source';

describe('parseHistoryPage', () => {
  const record = {
    agentId: 'a1',
    timestamp: '2026-01-15T08:00:00.123Z',
    state: { id: 6, name: 'ACW' },
    previousState: { name: 'InboundContact' },
  };

  it('normalises records (timestamps to epoch ms, previous state to its name)', () => {
    expect(parseHistoryPage({ records: [record], totalRecords: 1 })).toEqual({
      totalRecords: 1,
      records: [
        {
          timestampMs: Date.parse('2026-01-15T08:00:00.123Z'),
          agentId: 'a1',
          stateId: 6,
          stateName: 'ACW',
          previousState: 'InboundContact',
        },
      ],
    });
  });

  it('reads a timestamp without offset as UTC and a missing previous state as null', () => {
    const { records } = parseHistoryPage({
      records: [{ ...record, timestamp: '2026-01-15T08:00:00', previousState: undefined }],
      totalRecords: 1,
    });
    expect(records[0].timestampMs).toBe(Date.UTC(2026, 0, 15, 8));
    expect(records[0].previousState).toBeNull();
  });

  it('treats a missing records list as an empty page', () => {
    expect(parseHistoryPage({ totalRecords: 0 })).toEqual({ records: [], totalRecords: 0 });
  });

  it.each([
    [{ records: [] }, 'totalRecords'],
    [{ records: [{ ...record, state: null }], totalRecords: 1 }, 'records[0].state'],
    [{ records: [{ ...record, state: { id: 1 } }], totalRecords: 1 }, 'records[0].state.name'],
    [{ records: [{ ...record, timestamp: 'x' }], totalRecords: 1 }, 'records[0].timestamp'],
    [
      { records: [{ ...record, previousState: { name: 3 } }], totalRecords: 1 },
      'previousState.name',
    ],
  ])('rejects a wrong shape (%j)', (body, path) => {
    expect(() => parseHistoryPage(body)).toThrow(path);
  });
});
