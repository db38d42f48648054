import { isoDay, DAY_MS } from '../../iso-time';
import type { DataExtractionOptions } from './de-options';
import {
  ROW_DEFECTS,
  type RowDefect,
  type SegmentRow,
  type SegmentRowGenerator,
} from './segment-rows.generator';
import {
  UTC_START_DATES,
  wallClockMs,
  writtenSpanMs,
  type StartDateStyle,
} from './start-date.format';

export interface TruthWindow {
  startDate: string;
  /** Exclusive: the day after the window's last day, as the gateway sends it. */
  endDate: string;
  /** Data rows in the file a job for this window returns, under the current endDate reading. */
  fileRows: number;
  /** Rows of that file whose Start Date lies outside the window (the inclusive reading's extra day). */
  outsideWindow: number;
}

/**
 * What a correct pipeline ends up with when it exports [startDate, endDate) as consecutive
 * windows of `windowDays` (the last one cut at endDate), one job per window with `endDate` = the
 * day after the window's last day, and reads each file like this:
 *   1. a row whose Start Date can be read and lies outside the window is skipped (counted as
 *      `outsideWindow` only); a Start Date without a zone (the local formats) only when no UTC
 *      offset from −12 h to +14 h places it inside, so under the inclusive reading some rows
 *      of the next day are kept (and are duplicates in the next window, or extra records past
 *      the range's end);
 *   2. a row with a cell count other than the header's, or an empty required value, is a schema
 *      error (every copy);
 *   3. a valid row whose Segment ID was already seen (in this window or an earlier one) is a
 *      duplicate; the first one is kept.
 *   received = valid + duplicates + schemaErrors
 */
export interface DataExtractionTruth {
  entityName: string;
  version: string;
  startDate: string;
  endDate: string;
  windowDays: number;
  endDateReading: DataExtractionOptions['endDateReading'];
  startDates: StartDateStyle;
  windows: TruthWindow[];
  received: number;
  valid: number;
  duplicates: number;
  schemaErrors: number;
  schemaErrorsByDefect: Record<RowDefect, number>;
  outsideWindow: number;
}

export interface TruthInput {
  entityName: string;
  version: string;
  rows: SegmentRowGenerator;
  firstDay: number;
  endDay: number;
  windowDays: number;
  endDateReading: DataExtractionOptions['endDateReading'];
  /** How the files write Start Date; UTC with `Z` when absent. */
  startDates?: StartDateStyle;
}

const HOUR_MS = 3_600_000;

/**
 * Whether a correct reader keeps a dated row in the window [fromMs, toMs): a UTC value exactly,
 * a zone-less one unless even the farthest zones (UTC−12, UTC+14) put it outside.
 */
function readInWindow(row: SegmentRow, style: StartDateStyle, fromMs: number, toMs: number) {
  if (style.format === 'iso-utc') return row.startMs >= fromMs && row.startMs < toMs;
  const span = writtenSpanMs(style);
  const wall = Math.floor(wallClockMs(row.startMs, style) / span) * span;
  return wall - 14 * HOUR_MS < toMs && wall + span + 12 * HOUR_MS > fromMs;
}

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
export const dayString = (day: number): string => isoDay(day * DAY_MS);

/** Computed from the row generator alone, never through the CSV download path. */
export function computeDataExtractionTruth(input: TruthInput): DataExtractionTruth {
  const byDefect = Object.fromEntries(ROW_DEFECTS.map((d) => [d, 0])) as Record<RowDefect, number>;
  const truth: DataExtractionTruth = {
    entityName: input.entityName,
    version: input.version,
    startDate: dayString(input.firstDay),
    endDate: dayString(input.endDay),
    windowDays: input.windowDays,
    endDateReading: input.endDateReading,
    startDates: input.startDates ?? UTC_START_DATES,
    windows: [],
    received: 0,
    valid: 0,
    duplicates: 0,
    schemaErrors: 0,
    schemaErrorsByDefect: byDefect,
    outsideWindow: 0,
  };
  const extraDay = input.endDateReading === 'inclusive' ? 1 : 0;
  const key = (row: SegmentRow): number => row.day * input.rows.rowsPerDay + row.index;
  // Rows of the next window's first day a window kept (zone-less dates, inclusive reading).
  let carried = new Set<number>();
  for (let first = input.firstDay; first < input.endDay; first += input.windowDays) {
    const end = Math.min(first + input.windowDays, input.endDay);
    const window: TruthWindow = {
      startDate: dayString(first),
      endDate: dayString(end),
      fileRows: 0,
      outsideWindow: 0,
    };
    const seenBefore = carried;
    carried = new Set<number>();
    for (const row of input.rows.rowsOfDays(first, end + extraDay)) {
      const copies = row.duplicated ? 2 : 1;
      window.fileRows += copies;
      const dated = row.defect !== 'emptyStartDate';
      if (dated && !readInWindow(row, truth.startDates, first * DAY_MS, end * DAY_MS)) {
        window.outsideWindow += copies;
        continue;
      }
      truth.received += copies;
      if (row.defect) {
        truth.schemaErrors += copies;
        byDefect[row.defect] += copies;
        continue;
      }
      if (row.day >= end) carried.add(key(row));
      if (seenBefore.has(key(row))) {
        truth.duplicates += copies;
      } else {
        truth.valid += 1;
        truth.duplicates += copies - 1;
      }
    }
    truth.outsideWindow += window.outsideWindow;
    truth.windows.push(window);
  }
  return truth;
}
