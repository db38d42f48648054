import { hash, mix32 } from '../../hash';
import type { SegmentRow } from './segment-rows.generator';

/**
 * The entities the simulated Data Extraction API knows. A file's header row holds the entity's
 * human-readable column names; the gateway's per-entity schema names the required ones and the
 * key. `line` renders one row as a CSV record (no terminator), its defect applied.
 */
export interface SandboxEntity {
  entityName: string;
  version: string;
  columns: readonly string[];
  /** Columns a row must not leave empty; `dateColumn` places a row in a day. */
  requiredColumns: readonly string[];
  keyColumn: string;
  dateColumn: string;
  line(row: SegmentRow, dates: { format(ms: number): string }): string;
}

/** RFC 4180 quoting: only fields holding a comma, a quote or a line break are quoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const quotedPool = (values: string[]): string[] => values.map(csvField);

/** The columns the documented `recording-interaction-metadata` files carry, in file order. */
const RECORDING_COLUMNS = [
  'ACD Call ID',
  'Start Date',
  'Voice Recording Status',
  'Agent 1 Skills',
  'Agent 1 ACD ID',
  'Agent 1 Name',
  'Agent 1 Team',
  'ANI',
  'DNIS',
  'Disposition',
  'Agent 1 Contact Number',
  'Segment ID',
] as const;

/** The agents of the rows: ACD id, name (commas, quotes, non-ASCII), team, skills. */
const AGENTS = [
  ['1100101', 'Smith, John', 'Team Alpha', 'Sales, Tier 1'],
  ['1100102', 'O\'Brien, Jack "JJ"', 'Team Alpha', 'Billing'],
  ['1100103', 'Müller, Jürgen', 'Team Beta', 'Technical Support, "VIP"'],
  ['1100104', 'García, José', 'Team Beta', 'Retention'],
  ['1100105', 'Nguyễn, Anh', 'Team Gamma', 'Sales, Tier 2'],
  ['1100106', 'Okafor, Chioma', 'Team Gamma', 'Billing, Collections'],
].map((fields) => quotedPool(fields));
const RECORDING_STATUSES = quotedPool([
  'Recorded',
  'Not Recorded',
  'Partially Recorded',
  'Deleted',
]);
const DNIS = ['8005550100', '8005550101', '8665550199'];
/** Dispositions, some with embedded commas, quotes or a line break; one empty (optional). */
const DISPOSITIONS = quotedPool([
  'Resolved',
  'Callback requested',
  'Escalated\nTier 2 review',
  'Sale, upsell',
  'Customer said "thanks"',
  '',
]);
const CONTACT_NUMBERS = quotedPool(['+1 (555) 010-0001', '+1 (555) 010-0002', 'ext. 204', '']);
const CALL_ID_BASE = 700_000_000_000;
/** About one segment in five is the second leg of the previous row's contact (a transfer). */
const TRANSFER_MASK = 7;
const EXTRA_CELL = csvField('unexpected, extra');

const HEX1 = '0123456789abcdef';
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex8(v: number): string {
  return HEX[(v >>> 24) & 255] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255];
}

/**
 * A UUID-shaped Segment ID unique per (day, index) by construction: its first and last groups
 * are bijections of the index and of the day, so no two rows of any range ever share one.
 */
export function segmentId(seed: number, day: number, index: number): string {
  const a = mix32((index ^ seed) >>> 0);
  const b = hash(seed, day, index, 0x5e9);
  const d = mix32((day ^ 0x2545f491) >>> 0);
  const mid = `${HEX[(b >>> 24) & 255]}${HEX[(b >>> 16) & 255]}-4${HEX1[(b >>> 8) & 15]}${HEX[b & 255]}`;
  return `${hex8(a)}-${mid}-${HEX[0x80 | ((b >>> 4) & 0x3f)]}${HEX[(b >>> 12) & 255]}-${hex8(d)}${HEX[(b >>> 20) & 255]}${HEX[b & 255]}`;
}

function recordingLine(seed: number): SandboxEntity['line'] {
  return (row, dates) => {
    const { h } = row;
    const transfer = row.index > 0 && (h & TRANSFER_MASK) === 0;
    const callId = String(CALL_ID_BASE + row.day * 1_000_000 + row.index - (transfer ? 1 : 0));
    const agent = AGENTS[(h >>> 3) % AGENTS.length];
    const ani = `+1555${String((h >>> 5) % 10_000_000).padStart(7, '0')}`;
    const cells = [
      row.defect === 'emptyAcdCallId' ? '' : callId,
      row.defect === 'emptyStartDate' ? '' : dates.format(row.startMs),
      RECORDING_STATUSES[(h >>> 8) % RECORDING_STATUSES.length],
      agent[3],
      agent[0],
      agent[1],
      agent[2],
      ani,
      DNIS[(h >>> 11) % DNIS.length],
      DISPOSITIONS[(h >>> 13) % DISPOSITIONS.length],
      CONTACT_NUMBERS[(h >>> 17) % CONTACT_NUMBERS.length],
      row.defect === 'emptySegmentId' ? '' : segmentId(seed, row.day, row.index),
    ];
    if (row.defect === 'missingLastCell') cells.pop();
    if (row.defect === 'extraCell') cells.push(EXTRA_CELL);
    return cells.join(',');
  };
}

/** Every known `entityName` → version → entity, for a seed. */
export function sandboxEntities(seed: number): Map<string, Map<string, SandboxEntity>> {
  const recording: SandboxEntity = {
    entityName: 'recording-interaction-metadata',
    version: '7',
    columns: RECORDING_COLUMNS,
    requiredColumns: ['ACD Call ID', 'Segment ID', 'Start Date'],
    keyColumn: 'Segment ID',
    dateColumn: 'Start Date',
    line: recordingLine(seed),
  };
  return new Map([[recording.entityName, new Map([[recording.version, recording]])]]);
}
