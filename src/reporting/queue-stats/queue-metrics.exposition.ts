import type { TabularResult } from '../../common/format/tabular-result';
import type { QueueStatsEnvelope, QueueStatsRow } from './queue-stats.flatten';

/** The media type Prometheus scrapers expect for the text exposition format. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface GaugeSample {
  /** Extra labels after the queue's own (e.g. `state`). */
  labels?: Record<string, string>;
  value: number;
}

interface GaugeFamily {
  name: string;
  help: string;
  /** The samples one queue row yields; an empty list when the dialect has no such figure. */
  samples(row: QueueStatsRow): GaugeSample[];
}

/** A row's figure as a finite number, or undefined when the dialect has none (never faked). */
function figure(row: QueueStatsRow, field: string): number | undefined {
  const value = row[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function one(value: number | undefined, labels?: Record<string, string>): GaugeSample[] {
  return value === undefined ? [] : [{ labels, value }];
}

/** Row field → agent state label; a dialect that lacks a field simply yields no sample for it. */
const AGENT_STATES: readonly [state: string, field: string][] = [
  ['available', 'agentCount'],
  ['working', 'agentsWorking'],
  ['logged_in', 'agentsLoggedIn'],
  ['acw', 'agentsAcw'],
];

const FAMILIES: readonly GaugeFamily[] = [
  {
    name: 'cxone_queue_contacts_queued',
    help: 'Contacts waiting in the queue now.',
    samples: (row) => one(figure(row, 'queueCount')),
  },
  {
    name: 'cxone_queue_longest_wait_seconds',
    help: 'How long the longest-waiting contact in the queue has waited, in seconds.',
    samples: (row) => one(figure(row, 'waitTime')),
  },
  {
    name: 'cxone_queue_agents',
    help: 'Agents of the queue by state (available, working, logged_in, acw).',
    samples: (row) => AGENT_STATES.flatMap(([state, field]) => one(figure(row, field), { state })),
  },
  {
    name: 'cxone_queue_service_level_ratio',
    help: 'Share of contacts answered within the service-level threshold (0 to 1).',
    samples: (row) => {
      const percent = figure(row, 'serviceLevel');
      return one(percent === undefined ? undefined : percent / 100);
    },
  },
];

/**
 * Escapes a label value for the text exposition format: backslash, double quote and line feed
 * are the only characters it escapes (any other character, a carriage return included, is
 * valid inside the quotes as it is).
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

function queueLabels(row: QueueStatsRow): string {
  const parts = [
    `queue_id="${escapeLabelValue(String(row.queueId))}"`,
    `queue_name="${escapeLabelValue(String(row.queueName))}"`,
  ];
  const media = row.mediaType;
  if (typeof media === 'string' && media !== '') {
    parts.push(`media_type="${escapeLabelValue(media)}"`);
  }
  return parts.join(',');
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/**
 * The `{asOf, queues}` snapshot inside a queue-stats result (the tabular result keeps its JSON
 * envelope untyped, so the one field this needs is checked rather than assumed).
 */
export function queueSnapshotOf(result: TabularResult<QueueStatsRow>): QueueStatsEnvelope {
  const asOf = (result.envelope as { asOf?: unknown }).asOf;
  if (typeof asOf !== 'string') throw new Error('queue stats result has no asOf');
  return { asOf, queues: [...result.rows] };
}

/**
 * Renders a queue-stats snapshot as Prometheus gauges: one family per figure with HELP and TYPE
 * lines, one sample per queue (and agent state) that the dialect reports. A family no queue
 * has a value for is left out entirely. `cxone_queue_snapshot_timestamp_seconds` says when the
 * gateway fetched the figures, so a panel can show their age.
 */
export function renderQueueMetrics(envelope: QueueStatsEnvelope): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const samples = envelope.queues.flatMap((row) => {
      const base = queueLabels(row);
      return family.samples(row).map((s) => {
        const extra = Object.entries(s.labels ?? {})
          .map(([k, v]) => `,${k}="${escapeLabelValue(v)}"`)
          .join('');
        return `${family.name}{${base}${extra}} ${formatValue(s.value)}`;
      });
    });
    if (samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`, ...samples);
  }
  const asOfMs = Date.parse(envelope.asOf);
  if (Number.isFinite(asOfMs)) {
    lines.push(
      '# HELP cxone_queue_snapshot_timestamp_seconds When the gateway fetched these queue figures from CXone (Unix time).',
      '# TYPE cxone_queue_snapshot_timestamp_seconds gauge',
      `cxone_queue_snapshot_timestamp_seconds ${formatValue(asOfMs / 1000)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
