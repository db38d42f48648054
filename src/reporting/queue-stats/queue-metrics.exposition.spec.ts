import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { escapeLabelValue, renderQueueMetrics } from './queue-metrics.exposition';
import type { QueueStatsRow } from './queue-stats.flatten';

const AS_OF = '2026-01-15T12:00:00.120Z';
const HOSTILE = [
  'Say "hi"',
  'C:\\queues\\new',
  'line one\nline two',
  'trailing backslash \\',
  '\\"already escaped\\"',
  '} 1\nfake_metric{x="y"} 2',
  'tab\there, cr\rthere, nul\u0000, emoji 📞, lone surrogate \ud800',
];

/** Reads a label value back the way the exposition format defines its escapes. */
function unescapeLabelValue(escaped: string): string {
  return escaped.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function promtoolCheck(text: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('/usr/bin/promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const v2Row = (queueId: string, queueName: string): QueueStatsRow => ({
  queueId,
  queueName,
  timestamp: AS_OF,
  waitTime: 42.5,
  agentCount: 12,
  conversationCount: 37,
  abandonCount: 3,
  serviceLevel: 87.4,
});

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('tab\tcr\r📞')).toBe('tab\tcr\r📞');
  });

  it('round-trips any string and never leaves a raw line feed or an unescaped quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const escaped = escapeLabelValue(s);
        expect(escaped).not.toContain('\n');
        expect(/(^|[^\\])(\\\\)*"/.test(escaped)).toBe(false);
        expect(unescapeLabelValue(escaped)).toBe(s);
      }),
    );
  });
});

describe('renderQueueMetrics', () => {
  it('renders the v2 figures with HELP and TYPE, omitting what the dialect lacks', () => {
    const text = renderQueueMetrics({ asOf: AS_OF, queues: [v2Row('q1', 'Sales')] });
    expect(text.split('\n')).toEqual([
      '# HELP cxone_queue_longest_wait_seconds How long the longest-waiting contact in the queue has waited, in seconds.',
      '# TYPE cxone_queue_longest_wait_seconds gauge',
      'cxone_queue_longest_wait_seconds{queue_id="q1",queue_name="Sales"} 42.5',
      '# HELP cxone_queue_agents Agents of the queue by state (available, working, logged_in, acw).',
      '# TYPE cxone_queue_agents gauge',
      'cxone_queue_agents{queue_id="q1",queue_name="Sales",state="available"} 12',
      '# HELP cxone_queue_service_level_ratio Share of contacts answered within the service-level threshold (0 to 1).',
      '# TYPE cxone_queue_service_level_ratio gauge',
      'cxone_queue_service_level_ratio{queue_id="q1",queue_name="Sales"} 0.874',
      '# HELP cxone_queue_snapshot_timestamp_seconds When the gateway fetched these queue figures from CXone (Unix time).',
      '# TYPE cxone_queue_snapshot_timestamp_seconds gauge',
      'cxone_queue_snapshot_timestamp_seconds 1768478400.12',
      '',
    ]);
    expect(text).not.toContain('cxone_queue_contacts_queued');
    expect(text).not.toContain('state="working"');
  });

  it('renders every figure and the media type where the dialect has them', () => {
    const row: QueueStatsRow = {
      ...v2Row('8408918', 'Concierge Inbound'),
      queueCount: 2,
      agentsWorking: 5,
      agentsLoggedIn: 9,
      agentsAcw: 1,
      mediaType: 'Phone Call',
    };
    const text = renderQueueMetrics({ asOf: AS_OF, queues: [row] });
    const labels = 'queue_id="8408918",queue_name="Concierge Inbound",media_type="Phone Call"';
    expect(text).toContain(`cxone_queue_contacts_queued{${labels}} 2\n`);
    expect(text).toContain(`cxone_queue_agents{${labels},state="available"} 12\n`);
    expect(text).toContain(`cxone_queue_agents{${labels},state="working"} 5\n`);
    expect(text).toContain(`cxone_queue_agents{${labels},state="logged_in"} 9\n`);
    expect(text).toContain(`cxone_queue_agents{${labels},state="acw"} 1\n`);
    expect(promtoolCheck(text)).toEqual({ ok: true, output: '' });
  });

  it('leaves out samples whose value is null instead of inventing one', () => {
    const row = { ...v2Row('q1', 'Sales'), waitTime: null, serviceLevel: null };
    const text = renderQueueMetrics({ asOf: AS_OF, queues: [row, v2Row('q2', 'Billing')] });
    expect(text).not.toContain('queue_id="q1",queue_name="Sales"} ');
    expect(text).toContain(
      'cxone_queue_longest_wait_seconds{queue_id="q2",queue_name="Billing"} 42.5',
    );
    expect(text).toContain(
      'cxone_queue_agents{queue_id="q1",queue_name="Sales",state="available"} 12',
    );
  });

  it('passes promtool check metrics with hostile queue names, each name read back intact', () => {
    const rows = HOSTILE.map((name, i) => v2Row(`q-${i}`, name));
    const text = renderQueueMetrics({ asOf: AS_OF, queues: rows });
    expect(promtoolCheck(text)).toEqual({ ok: true, output: '' });
    const names = [
      ...text.matchAll(/^cxone_queue_longest_wait_seconds\{.*queue_name="((?:\\.|[^\\"])*)"\}/gm),
    ].map((m) => unescapeLabelValue(m[1]));
    expect(names).toEqual(HOSTILE);
  });

  it('is caught by promtool when a value is not escaped (the check can fail)', () => {
    const raw = '# TYPE x gauge\nx{queue_name="a"b"} 1\n';
    expect(promtoolCheck(raw).ok).toBe(false);
  });
});
