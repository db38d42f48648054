import request from 'supertest';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import { CountingProxy } from './counting-proxy';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export interface TruthGroup {
  key: Record<string, string>;
  upstreamRows: number;
  metrics: Record<string, number>;
}
export interface Truth {
  family: string;
  upstreamCalls: number;
  groups: TruthGroup[];
}

export const START = '2024-05-01T00:00:00Z';
export const WEEK_END = '2024-05-08T00:00:00Z';
export const MONTH_END = '2024-06-01T00:00:00Z';
/** The budget the gateway runs with here: fewer slots than the bucket planner's 4 workers. */
export const MAX_CONCURRENCY = 3;

type SummaryRoute = 'icSkillSummary' | 'icSlaSummary' | 'icAgentPerformance' | 'icTeamPerformance';

/**
 * A sandbox, a counting proxy in front of it (every call of the gateway goes through it; it
 * measures `/skills/summary` calls in flight) and a gateway in the incontact dialect with a
 * small upstream budget.
 */
export interface IncontactAnalyticsStack {
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  proxy: CountingProxy;
  t: TestGateway;
  /** Skill id → name, from the fixtures. */
  skillNames: Map<string, string>;
  summary(body: Record<string, unknown>, headers?: Record<string, string>): request.Test;
  calls(route: SummaryRoute): Promise<number>;
  /** Calls to any of the four summary families. */
  summaryCalls(): Promise<number>;
  truth(start: string, end: string, dimensions: string[]): Promise<Truth>;
  close(): Promise<void>;
}

export async function startIncontactAnalytics(): Promise<IncontactAnalyticsStack> {
  const sandbox = await startSandbox({ port: 0 });
  const control = new SandboxControlClient(sandbox.url);
  const proxy = await CountingProxy.start(sandbox.url, /\/skills\/summary\?/);
  const t = await startTestGateway({
    sharedSandbox: sandbox,
    env: {
      ...incontactEnv(sandbox),
      CXONE_ISSUER: proxy.url,
      CXONE_MAX_CONCURRENCY: String(MAX_CONCURRENCY),
    },
  });
  const calls = async (route: SummaryRoute) => (await control.stats()).routes[route].calls;
  return {
    sandbox,
    control,
    proxy,
    t,
    skillNames: new Map(
      sandbox.fixtures.incontact.skills.map((s) => [String(s.skillId), s.skillName]),
    ),
    summary: (body, headers = {}) =>
      request(t.url)
        .post('/v1/analytics/summary')
        .set({ ...t.auth(), ...headers })
        .send(body),
    calls,
    async summaryCalls() {
      const { routes } = await control.stats();
      return (
        routes.icSkillSummary.calls +
        routes.icSlaSummary.calls +
        routes.icAgentPerformance.calls +
        routes.icTeamPerformance.calls
      );
    },
    async truth(start, end, dimensions) {
      const query = new URLSearchParams({
        startDate: start,
        endDate: end,
        dimensions: dimensions.join(','),
      });
      const res = await fetch(`${sandbox.url}/_sandbox/truth/summaries?${query.toString()}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Truth;
    },
    async close() {
      await t.close();
      await proxy.close();
      await sandbox.close();
    },
  };
}

/**
 * Every answer row equals its truth group metric by metric (to 0.01: the truth averages the
 * wire's rounded per-row averages). The truth says 0 where a denominator is 0; the gateway
 * says null there, never a made-up 0.
 */
export function expectMatchesTruth(
  rows: Row[],
  groups: TruthGroup[],
  keyOf: (row: Row) => string,
): void {
  const byKey = new Map(groups.map((g) => [JSON.stringify(g.key), g]));
  expect(rows).toHaveLength(groups.length);
  let compared = 0;
  for (const row of rows) {
    const group = byKey.get(keyOf(row));
    expect(group).toBeDefined();
    for (const [metric, expected] of Object.entries(group?.metrics ?? {})) {
      if (!(metric in row)) continue;
      const value = row[metric];
      if (value === null) expect(expected).toBe(0);
      else expect(value as number).toBeCloseTo(expected, 2);
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(rows.length);
}
