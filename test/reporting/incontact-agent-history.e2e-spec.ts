import { agentIdOf } from '../../src/sandbox/incontact/ic-fixtures';
import { ACW_CODE } from '../../src/sandbox/incontact/unavailable-codes';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import {
  DAY_MS,
  gatewayGet,
  incontactEnv,
  pastDay,
  QUIRK_STYLES,
  startDialectPair,
  type DialectPair,
} from './incontact-helpers';
import { parseCsv } from './reporting-helpers';

interface HistoryRecord {
  timestamp: string;
  agentId: string;
  state: string;
  stateId: number | string;
  previousState: string | null;
  durationSeconds: number;
  reason?: string;
  skillName?: string;
  contactId?: string;
  mediaType?: string;
  teamId?: string;
}
interface HistoryBody {
  agentId: string;
  start: string;
  end: string;
  count: number;
  records: HistoryRecord[];
  summary: { byState: Record<string, { count: number; seconds: number }> };
}

const V2_FIELDS = [
  'timestamp',
  'agentId',
  'state',
  'stateId',
  'previousState',
  'durationSeconds',
] as const;
const DETAIL_FIELDS = ['reason', 'skillName', 'contactId', 'mediaType', 'teamId'];

/** The published state vocabulary names ACW and Working differently (ACW is an Unavailable code). */
function specName(v2Name: string | null): string | null {
  if (v2Name === 'ACW') return 'Unavailable';
  if (v2Name === 'Working') return 'InboundConsult';
  return v2Name;
}

describe('GET /v1/agents/{agentId}/state-history, incontact dialect (e2e)', () => {
  let pair: DialectPair;
  let v21: TestGateway;
  const agents = () => pair.sandbox.fixtures.agents;
  const icId = (v2Id: string) => String(agentIdOf(v2Id));

  beforeAll(async () => {
    pair = await startDialectPair();
    v21 = await startTestGateway({
      sharedSandbox: pair.sandbox,
      env: { ...incontactEnv(pair.sandbox), CXONE_API_VERSION: '21.0' },
    });
  });
  afterAll(async () => {
    await v21.close();
    await pair.close();
  });
  beforeEach(async () => {
    await pair.control.resetQuirks();
    await pair.control.clearFaults();
  });

  describe.each(QUIRK_STYLES)('in the style "$name"', (style) => {
    const gateway = () => (style.apiVersion === '21.0' ? v21 : pair.ic);
    const extended = style.quirks.stateNames === 'extended';
    const straddle = style.quirks.historyStraddle === 'include';
    const secondsOnly = style.quirks.durations === 'seconds';

    beforeEach(() => pair.control.setQuirks(style.quirks));

    it('answers the same records as v2, field by field, over the same world', async () => {
      const window = pastDay();
      const v2 = (
        await gatewayGet(pair.v2, `/v1/agents/${agents().moderate}/state-history`, window).expect(
          200,
        )
      ).body as HistoryBody;
      const res = await gatewayGet(
        gateway(),
        `/v1/agents/${icId(agents().moderate)}/state-history`,
        window,
      ).expect(200);
      const ic = res.body as HistoryBody;

      expect(v2.count).toBeGreaterThan(10);
      expect(ic).toMatchObject({
        agentId: icId(agents().moderate),
        start: v2.start,
        end: v2.end,
        count: v2.count,
      });
      ic.records.forEach((record, i) => {
        const expected = v2.records[i];
        // Same fields, same types (previousState: a name or null); the feed's details on top.
        for (const field of V2_FIELDS) {
          if (field === 'previousState') continue;
          expect(typeof record[field]).toBe(typeof expected[field]);
        }
        expect(record.previousState === null || typeof record.previousState === 'string').toBe(
          true,
        );
        for (const k of Object.keys(record)) expect([...V2_FIELDS, ...DETAIL_FIELDS]).toContain(k);
        expect(record.timestamp).toBe(expected.timestamp);
        expect(record.agentId).toBe(icId(agents().moderate));
        expect(record.state).toBe(extended ? expected.state : specName(expected.state));
        if (extended) expect(record.stateId).toBe(expected.stateId);
        // The feed has no previous state: the row before it says, so the window's first has none
        // unless CXone also sends the state already open at the start.
        const previous = i === 0 && !straddle ? null : expected.previousState;
        expect(record.previousState).toBe(extended ? previous : specName(previous));
        if (secondsOnly) {
          // Upstream's own duration, whole seconds in this style.
          expect(Math.abs(record.durationSeconds - expected.durationSeconds)).toBeLessThanOrEqual(
            0.5,
          );
        } else {
          expect(record.durationSeconds).toBe(expected.durationSeconds);
        }
        if (!extended && expected.state === 'ACW') expect(record.reason).toBe(ACW_CODE.name);
        if (record.state === 'InboundContact') {
          expect(record).toMatchObject({
            skillName: expect.any(String),
            contactId: expect.any(String),
          });
        }
        expect(record.teamId).toMatch(/^\d+$/);
      });
      expect(Object.keys(ic.summary.byState).length).toBeGreaterThan(1);
      const icCount = Object.values(ic.summary.byState).reduce((s, t) => s + t.count, 0);
      expect(icCount).toBe(v2.count);
    });
  });

  it('reads every page of the busy agent (10 000 changes a day) across capped pages', async () => {
    await pair.control.setQuirks({ pageCap: 500 });
    const window = pastDay(3);
    await pair.control.resetStats();
    const res = await gatewayGet(
      pair.ic,
      `/v1/agents/${icId(agents().busy)}/state-history`,
      window,
    ).expect(200);
    const body = res.body as HistoryBody;
    expect(body.count).toBe(10_000);
    const calls = (await pair.control.stats()).routes.icAgentStateHistory.calls;
    expect(calls).toBeGreaterThanOrEqual(20);
    const stamps = body.records.map((r) => Date.parse(r.timestamp));
    expect(stamps.every((t, i) => i === 0 || t >= stamps[i - 1])).toBe(true);
  });

  it('reads every page when totalRecords says rows remain but no page links a next one', async () => {
    await pair.control.setQuirks({ pageCap: 700, nextLinks: 'never' });
    const res = await gatewayGet(
      pair.ic,
      `/v1/agents/${icId(agents().busy)}/state-history`,
      pastDay(3),
    ).expect(200);
    expect((res.body as HistoryBody).count).toBe(10_000);
  });

  it('adds no change at a day boundary when CXone repeats the open state cut off there', async () => {
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
    const window = {
      start: new Date(end - 3 * DAY_MS).toISOString(),
      end: new Date(end).toISOString(),
    };
    const path = (id: string) => `/v1/agents/${id}/state-history`;
    const v2 = (await gatewayGet(pair.v2, path(agents().moderate), window).expect(200))
      .body as HistoryBody;
    await pair.control.setQuirks({ historyStraddle: 'clip', stateNames: 'extended' });
    const ic = (await gatewayGet(pair.ic, path(icId(agents().moderate)), window).expect(200))
      .body as HistoryBody;
    // The state open at the range's start comes first, at the start; every other record is v2's.
    const [opening, ...rest] = ic.records;
    expect(Date.parse(opening.timestamp)).toBe(Date.parse(window.start));
    expect(opening.state).toBe(v2.records[0].previousState);
    expect(rest.map((r) => [r.timestamp, r.state, r.previousState])).toEqual(
      v2.records.map((r) => [r.timestamp, r.state, r.previousState]),
    );
  });

  it('cuts a long range into day-sized upstream calls with literal-Z dates', async () => {
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
    const window = {
      start: new Date(end - 3 * DAY_MS - 6 * 3_600_000).toISOString(),
      end: new Date(end).toISOString(),
    };
    await pair.control.resetStats();
    const v2 = (
      await gatewayGet(pair.v2, `/v1/agents/${agents().moderate}/state-history`, window).expect(200)
    ).body as HistoryBody;
    const ic = (
      await gatewayGet(
        pair.ic,
        `/v1/agents/${icId(agents().moderate)}/state-history`,
        window,
      ).expect(200)
    ).body as HistoryBody;
    expect(ic.records.map((r) => r.timestamp)).toEqual(v2.records.map((r) => r.timestamp));
    const logged = await pair.control.requests('icAgentStateHistory');
    const windows = logged.map((r) => `${r.query.startDate}..${r.query.endDate}`);
    expect(new Set(windows).size).toBe(4);
    for (const r of logged) {
      expect(r.query.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(r.query.endDate) - Date.parse(r.query.startDate)).toBeLessThanOrEqual(
        DAY_MS,
      );
      expect(r.headers.accept).toBe('application/json');
    }
  });

  it('writes the detail columns into CSV when the feed has them', async () => {
    const res = await gatewayGet(pair.ic, `/v1/agents/${icId(agents().moderate)}/state-history`, {
      ...pastDay(),
      format: 'csv',
    }).expect(200);
    const rows = parseCsv(res.text);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['teamId', 'skillName', 'reason']));
  });

  it('answers a quiet agent with an empty history (204 upstream)', async () => {
    const body = (
      await gatewayGet(
        pair.ic,
        `/v1/agents/${icId(agents().quiet)}/state-history`,
        pastDay(),
      ).expect(200)
    ).body as HistoryBody;
    expect(body).toMatchObject({ count: 0, records: [] });
  });

  it('answers 400 naming agentId for anything but a positive integer, without calling CXone', async () => {
    await pair.control.resetStats();
    for (const bad of [agents().busy, '0', '-5', '1.5', 'abc']) {
      const res = await gatewayGet(pair.ic, `/v1/agents/${bad}/state-history`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'agentId', message: 'agentId must be a positive integer' },
      ]);
    }
    expect((await pair.control.stats()).routes.icAgentStateHistory.calls).toBe(0);
  });

  it('answers 404 naming an unknown agent', async () => {
    const unknown = pair.sandbox.fixtures.incontact.agents.unknown;
    const res = await gatewayGet(pair.ic, `/v1/agents/${unknown}/state-history`).expect(404);
    expect(res.body.detail).toBe(`Agent ${unknown} not found`);
  });
});
