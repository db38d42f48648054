import { parseStateHistoryPage, toChanges } from './state-history.parse';

/** The state-history answer as the published spec shapes it (values illustrative). */
const SPEC_BODY = {
  totalRecords: 2,
  _links: {
    self: 'https://api-na1.niceincontact.com/inContactAPI/services/v30.0/agents/state-history?startDate=2024-05-01T00:00:00.000Z&endDate=2024-05-02T00:00:00.000Z&top=1000&skip=0',
    next: null,
    previous: null,
  },
  businessUnitId: 4599570,
  lastPollTime: '2024-05-02T00:00:03.123Z',
  agentStateHistory: [
    {
      stateIndex: 1,
      startDate: '2024-05-01T13:00:02.000Z',
      agentId: 1234567,
      agentStateId: 1,
      agentStateName: 'Available',
      agentSessionId: 987654321,
      contactId: 0,
      skillId: 0,
      skillName: '',
      mediaTypeId: 0,
      mediaTypeName: '',
      fromAddress: '',
      toAddress: '',
      outStateId: 0,
      outStateDescription: '',
      duration: 'PT12M5.4S',
      isOutbound: false,
      isNaturalCalling: false,
      stationId: 4455,
      stationName: 'Softphone-4455',
      teamId: 2472302,
    },
    {
      stateIndex: 2,
      startDate: '2024-05-01T13:12:07.400Z',
      agentId: 1234567,
      agentStateId: 2,
      agentStateName: 'Unavailable',
      agentSessionId: 987654321,
      contactId: 0,
      skillId: 0,
      skillName: '',
      mediaTypeId: 0,
      mediaTypeName: '',
      fromAddress: '',
      toAddress: '',
      outStateId: 17,
      outStateDescription: 'Break',
      duration: 'PT15M0S',
      isOutbound: false,
      isNaturalCalling: false,
      stationId: 4455,
      stationName: 'Softphone-4455',
      teamId: 2472302,
    },
  ],
};

/** The same answer in the v21 string style, PascalCase keys, wrapped in resultSet. */
function legacyStyle(body: typeof SPEC_BODY): unknown {
  const pascal = (k: string) => (k.startsWith('_') ? k : k[0].toUpperCase() + k.slice(1));
  const rows = body.agentStateHistory.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        pascal(k),
        typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : v,
      ]),
    ),
  );
  return { ResultSet: { TotalRecords: '2', AgentStateHistory: rows } };
}

const EXPECTED = [
  {
    timestampMs: Date.UTC(2024, 4, 1, 13, 0, 2),
    agentId: '1234567',
    stateId: 1,
    stateName: 'Available',
    previousState: null,
    durationMs: 725_400,
    teamId: '2472302',
  },
  {
    timestampMs: Date.UTC(2024, 4, 1, 13, 12, 7, 400),
    agentId: '1234567',
    stateId: 2,
    stateName: 'Unavailable',
    previousState: 'Available',
    durationMs: 900_000,
    reason: 'Break',
    teamId: '2472302',
  },
];

describe('state-history parsing', () => {
  it('reads the spec-shaped answer into changes with details and previous states', () => {
    const page = parseStateHistoryPage(SPEC_BODY, '1234567');
    expect(page).toMatchObject({ totalRecords: 2, hasLinks: true, next: undefined });
    expect(toChanges(page.rows)).toEqual(EXPECTED);
  });

  it('reads the v21 string style, PascalCase keys and a resultSet wrapper the same way', () => {
    expect(toChanges(parseStateHistoryPage(legacyStyle(SPEC_BODY), '1234567').rows)).toEqual(
      EXPECTED,
    );
  });

  it('reads seconds as durations, the SDK teamNo, contact details, and no agentId', () => {
    const [row] = parseStateHistoryPage(
      {
        agentStateHistory: [
          {
            startDate: '2024-05-01T14:00:00Z',
            agentStateName: 'InboundContact',
            agentStateId: '3',
            duration: 101,
            contactId: '612345678',
            skillName: 'Sales Support',
            mediaTypeName: 'Phone Call',
            teamNo: 2472301,
          },
        ],
      },
      '1000001',
    ).rows;
    expect(row.change).toEqual({
      timestampMs: Date.UTC(2024, 4, 1, 14),
      agentId: '1000001',
      stateId: 3,
      stateName: 'InboundContact',
      previousState: null,
      durationMs: 101_000,
      contactId: '612345678',
      skillName: 'Sales Support',
      mediaType: 'Phone Call',
      teamId: '2472301',
    });
  });

  it('treats a 204 as no rows', () => {
    expect(parseStateHistoryPage(undefined, '1').rows).toEqual([]);
  });

  it('names the row and field when a required one is missing or malformed', () => {
    const rows = SPEC_BODY.agentStateHistory;
    const { startDate: _, ...noStart } = rows[1];
    expect(() => parseStateHistoryPage({ agentStateHistory: [rows[0], noStart] }, '1')).toThrow(
      'agentStateHistory[1].startDate is required',
    );
    expect(() =>
      parseStateHistoryPage({ agentStateHistory: [{ ...rows[0], agentStateName: null }] }, '1'),
    ).toThrow('agentStateHistory[0].agentStateName is required');
    expect(() =>
      parseStateHistoryPage({ agentStateHistory: [{ ...rows[0], duration: 'P1Y' }] }, '1'),
    ).toThrow('agentStateHistory[0].duration must be a duration');
  });

  it('merges pages and days: duplicates dropped, time order, session and index break ties', () => {
    const page = parseStateHistoryPage(SPEC_BODY, '1234567');
    const [first, second] = page.rows;
    const sameInstant = {
      ...second,
      stateIndex: 3,
      change: { ...second.change, stateName: 'LoggedOut' },
    };
    const changes = toChanges([sameInstant, second, first, second]);
    expect(changes.map((c) => [c.stateName, c.previousState])).toEqual([
      ['Available', null],
      ['Unavailable', 'Available'],
      ['LoggedOut', 'Unavailable'],
    ]);
  });

  it('keeps a state once when the next day repeats it cut off at its start', () => {
    const [first, second] = parseStateHistoryPage(SPEC_BODY, '1234567').rows;
    const nextDayMs = Date.parse('2024-05-02T00:00:00.000Z');
    const cutOff = {
      ...second,
      change: { ...second.change, timestampMs: nextDayMs, durationMs: 1000 },
    };
    const changes = toChanges([cutOff, first, second]);
    expect(changes.map((c) => [c.timestampMs, c.stateName])).toEqual([
      [first.change.timestampMs, first.change.stateName],
      [second.change.timestampMs, second.change.stateName],
    ]);
    // Without the session and index there is nothing to tie the copy to: both rows stay.
    const anonymous = (r: typeof first) => ({ ...r, sessionId: 0, stateIndex: 0 });
    expect(toChanges([anonymous(cutOff), anonymous(second)])).toHaveLength(2);
  });
});
