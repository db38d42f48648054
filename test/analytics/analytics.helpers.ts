import type { SandboxHandle } from '../../src/sandbox/sandbox.server';

export interface SummaryBody {
  metrics: string[];
  dimensions: string[];
  start: string;
  end: string;
  filters?: unknown[];
  kpis?: string[];
}

type Row = Record<string, unknown>;

/** The same query straight from the sandbox upstream (token + every cursor page), no gateway. */
export async function fetchUpstreamRows(
  sandbox: SandboxHandle,
  body: SummaryBody,
): Promise<{ rows: Row[]; pages: number }> {
  const { clientId, clientSecret } = sandbox.fixtures.credentials;
  const tokenRes = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const rows: Row[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    const res = await fetch(`${sandbox.url}/api/v2/analytics/summary/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        metrics: body.metrics,
        dimensions: body.dimensions,
        dateRange: { start: body.start, end: body.end },
        filters: body.filters ?? [],
        paging: { pageSize: 100, next },
      }),
    });
    if (res.status !== 200) throw new Error(`sandbox answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { data: Row[]; paging?: { next?: string | null } };
    rows.push(...page.data);
    next = page.paging?.next ?? undefined;
    pages += 1;
  } while (next);
  return { rows, pages };
}

const num = (v: unknown): number => (typeof v === 'string' ? parseFloat(v) : (v as number));
const div = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const r4 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 1e4);
const r2 = (v: number): number => Math.round(v * 100) / 100;

/** KPIs computed here, independently of the gateway's engine, from one upstream row. */
export function expectedKpis(row: Row, hasChannel: boolean): Record<string, number | null> {
  const h = num(row.handle_time);
  const t = num(row.talk_time);
  const hold = num(row.hold_time);
  const q = num(row.queue_time);
  const w = num(row.wrap_time);
  const ab = num(row.abandon_rate);
  const sl = num(row.service_level);
  const fcr = num(row.first_contact_resolution);
  const out: Record<string, number | null> = {
    total_interaction_time: r2(h + q),
    talk_ratio: r4(div(t, h)),
    hold_impact_score: r4(div(hold, h + q)),
    acw_ratio: r4(div(w, h)),
    hold_ratio: r4(div(hold, h)),
    talk_share_of_interaction: r4(div(t, h + q)),
    queue_share_of_interaction: r4(div(q, h + q)),
    non_talk_handle_time: r2(h - t),
    fcr_rate: r4(fcr / 100),
    abandon_ratio: r4(ab / 100),
    answer_ratio: r4(1 - ab / 100),
    service_level_ratio: r4(sl / 100),
  };
  if (hasChannel) out.channel_efficiency = r4((sl / 100) * (1 - ab / 100));
  return out;
}

/** A small RFC 4180 parser (quotes, doubled quotes, CRLF), to read CSV answers back. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
