import type { SandboxEntity } from './de-entities';
import type { SegmentRowGenerator } from './segment-rows.generator';
import { StartDateFormatter, UTC_START_DATES, type StartDateStyle } from './start-date.format';

/** What one job's file holds: an entity's rows of the UTC days [firstDay, endDay). */
export interface FilePlan {
  entity: SandboxEntity;
  rows: SegmentRowGenerator;
  firstDay: number;
  endDay: number;
  /** How `Start Date` is written (`startDateFormat` when the job was created); UTC when absent. */
  startDates?: StartDateStyle;
}

const BOM = '\uFEFF';
const CRLF = '\r\n';
const CHUNK_CHARS = 64 * 1024;

/**
 * The CSV file as real tenants serve it: UTF-8 with a byte-order mark, a header row of the
 * entity's human-readable column names, CRLF between records (line breaks inside quoted fields
 * stay bare LF), duplicated rows twice in a row. Produced in ~64 KiB chunks, so memory stays
 * flat for any row count. With `cutAfterRows`, it stops in the middle of the record after that
 * many rows (what a dropped connection leaves).
 */
export function* csvFileChunks(plan: FilePlan, cutAfterRows?: number): Generator<string> {
  const dates = new StartDateFormatter(plan.startDates ?? UTC_START_DATES);
  let buffer = BOM + plan.entity.columns.join(',') + CRLF;
  let written = 0;
  for (const row of plan.rows.rowsOfDays(plan.firstDay, plan.endDay)) {
    const line = plan.entity.line(row, dates) + CRLF;
    if (cutAfterRows !== undefined && written >= cutAfterRows) {
      yield buffer + line.slice(0, Math.ceil(line.length / 2));
      return;
    }
    buffer += row.duplicated ? line + line : line;
    written += row.duplicated ? 2 : 1;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

/** Data rows (not the header) in the file: duplicated rows count twice. */
export function fileRowCount(plan: FilePlan): number {
  let count = 0;
  for (const row of plan.rows.rowsOfDays(plan.firstDay, plan.endDay))
    count += row.duplicated ? 2 : 1;
  return count;
}
