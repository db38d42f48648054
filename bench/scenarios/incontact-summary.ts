import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { call } from '../lib/http';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { startGateway, startSandbox } from '../lib/stack';

const SCENARIO = '9 analytics date × skill (incontact)';
const DAYS = 31;
/** Upstream time per summary call: what a real tenant costs, so overlap matters. */
const LATENCY_MS = 50;
const QUERY = {
  metrics: ['contacts_handled', 'handle_time', 'abandon_rate', 'service_level'],
  dimensions: ['date', 'skill'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-06-01T00:00:00Z',
};
/** A different range, to get the token and the code paths warm first. */
const WARM = { ...QUERY, start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' };

interface IncontactCredentials {
  clientId: string;
  clientSecret: string;
  accessKeyId: string;
  accessKeySecret: string;
}

interface Measured {
  status: number;
  ms: number;
  rows: number;
  summaryCalls: number;
  slaCalls: number;
}

/** Warms a gateway (token, code paths) on another range, then times the cold 31-day query. */
async function measure(url: string, control: SandboxControlClient): Promise<Measured | string> {
  const warm = await call(`${url}/v1/analytics/summary`, { method: 'POST', body: WARM });
  if (warm.status !== 200) {
    return `POST /v1/analytics/summary → ${warm.status}: ${warm.text.slice(0, 160)}`;
  }
  await control.resetStats();
  const answer = await call(`${url}/v1/analytics/summary`, { method: 'POST', body: QUERY });
  const { routes } = await control.stats();
  const rows =
    answer.status === 200 ? (JSON.parse(answer.text) as { rowCount: number }).rowCount : 0;
  return {
    status: answer.status,
    ms: answer.ms,
    rows,
    summaryCalls: routes.icSkillSummary.calls,
    slaCalls: routes.icSlaSummary.calls,
  };
}

/**
 * A 31-day `date × skill` summary in the incontact dialect: the real API has no metrics ×
 * dimensions query, so the gateway makes one `/skills/summary` call per UTC day (plus the SLA
 * summary for service_level), fetched with bounded concurrency inside the upstream budget,
 * against a sandbox answering each call after 50 ms. Timed with default settings (the
 * adaptive budget, no CXONE_MAX_* ceiling) and with a hard ceiling of CXONE_MAX_RPS=200.
 */
async function run(ctx: BenchContext): Promise<Row[]> {
  const sandbox = await startSandbox();
  const control = new SandboxControlClient(sandbox.url);
  const fixtures = (await (await fetch(`${sandbox.url}/_sandbox/fixtures`)).json()) as {
    incontact: { credentials: IncontactCredentials };
  };
  const { credentials } = fixtures.incontact;
  const env = {
    CXONE_DIALECT: 'incontact',
    CXONE_ISSUER: sandbox.url,
    CXONE_CLIENT_ID: credentials.clientId,
    CXONE_CLIENT_SECRET: credentials.clientSecret,
    CXONE_ACCESS_KEY_ID: credentials.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: credentials.accessKeySecret,
  };
  const byDefault = await startGateway({ sandbox, env, name: 'gateway-default' });
  const raised = await startGateway({
    sandbox,
    env: { ...env, CXONE_MAX_RPS: '200' },
    name: 'gateway-raised',
  });
  await control.addFaults([
    { route: 'icSkillSummary', kind: 'latency', latencyMs: LATENCY_MS },
    { route: 'icSlaSummary', kind: 'latency', latencyMs: LATENCY_MS },
  ]);
  const first = await measure(byDefault.url, control);
  if (typeof first === 'string') {
    return [unavailable(SCENARIO, 'upstream summary calls', `= ${DAYS}`, first)];
  }
  const second = await measure(raised.url, control);
  ctx.log(`  default settings: ${first.status}, ${first.rows} rows in ${Math.round(first.ms)} ms`);
  const calls = first.summaryCalls + first.slaCalls;
  // One call after another: every call's latency end to end.
  const sequentialMs = calls * LATENCY_MS;
  const timeRow = (m: Measured, budget: string): Row => ({
    scenario: SCENARIO,
    figure: `gateway time, ${budget} (${m.summaryCalls + m.slaCalls} calls of ${LATENCY_MS} ms; reference = one call after another)`,
    value: Math.round(m.ms),
    unit: 'ms',
    reference: sequentialMs,
    ratio: Math.round((sequentialMs / m.ms) * 100) / 100,
    target: 'info',
    pass: null,
  });
  return [
    {
      scenario: SCENARIO,
      figure: `/skills/summary calls for a ${DAYS}-day date × skill summary`,
      value: first.summaryCalls,
      unit: '',
      target: `= ${DAYS}`,
      pass: first.status === 200 && first.summaryCalls === DAYS,
      note: `${first.slaCalls} /skills/sla-summary calls beside them; answered ${first.status}, ${first.rows} rows`,
    },
    timeRow(first, 'default settings (adaptive budget, CXONE_MAX_* unset)'),
    ...(typeof second === 'string' ? [] : [timeRow(second, 'CXONE_MAX_RPS=200 as a hard ceiling')]),
  ];
}

export const incontactSummary: Scenario = {
  id: 9,
  title: '31-day date × skill analytics summary, incontact dialect → upstream calls and time',
  run,
};
