import { hash, unit } from '../../hash';
import { DAY_MS } from '../../iso-time';

/**
 * How a broken row is broken. The first three leave a required value empty; the last two give
 * the row one cell fewer (the last one dropped) or one more than the header.
 */
export const ROW_DEFECTS = [
  'emptyAcdCallId',
  'emptySegmentId',
  'emptyStartDate',
  'missingLastCell',
  'extraCell',
] as const;
export type RowDefect = (typeof ROW_DEFECTS)[number];

/** One recorded segment of a contact: the unit Data Extraction files have one row per. */
export interface SegmentRow {
  day: number;
  index: number;
  startMs: number;
  /** Emitted twice in a row (the same Segment ID twice in one file). */
  duplicated: boolean;
  defect: RowDefect | undefined;
  /** Hash driving the row's field values. */
  h: number;
}

const DUPLICATE_SHARE = 0.01;
const DEFECT_SHARE = 0.01;
/** Fixed indices that make every day hold at least one duplicate and one broken row. */
const FORCED_DUPLICATE = 1;
const FORCED_DEFECT = 2;

/**
 * Segment rows of the simulated tenant. Row k (0 ≤ k < rowsPerDay) of UTC day d starts at
 * `d·DAY + floor(k·DAY/rowsPerDay) + jitter` (so rows are in start order and every row lies in
 * its day), and everything about it is a pure function of (seed, d, k): the same file is
 * produced for the same job every time, and the truth endpoint counts without downloading.
 * Per day ~1 % of rows are duplicated and a disjoint ~1 % are broken; with three rows a day or
 * more, rows 1 and 2 are always one of each.
 */
export class SegmentRowGenerator {
  private readonly slotMs: number;

  constructor(
    private readonly seed: number,
    readonly rowsPerDay: number,
  ) {
    this.slotMs = rowsPerDay > 0 ? DAY_MS / rowsPerDay : DAY_MS;
  }

  row(day: number, index: number): SegmentRow {
    const h = hash(this.seed, day, index, 0x5e6d);
    const u = unit(hash(this.seed, day, index, 0xd0b1));
    const forced = this.rowsPerDay >= 3 && (index === FORCED_DUPLICATE || index === FORCED_DEFECT);
    const duplicated = forced ? index === FORCED_DUPLICATE : u < DUPLICATE_SHARE;
    const broken = forced
      ? index === FORCED_DEFECT
      : !duplicated && u < DUPLICATE_SHARE + DEFECT_SHARE;
    const defect = broken
      ? ROW_DEFECTS[index === FORCED_DEFECT ? mod(day, ROW_DEFECTS.length) : h % ROW_DEFECTS.length]
      : undefined;
    const jitter = Math.floor(unit(hash(this.seed, day, index, 0x7a11)) * this.slotMs);
    const startMs = day * DAY_MS + Math.floor(index * this.slotMs) + jitter;
    return {
      day,
      index,
      startMs: Math.min(startMs, (day + 1) * DAY_MS - 1),
      duplicated,
      defect,
      h,
    };
  }

  /** Every row of the UTC days [firstDay, endDay), in start order. */
  *rowsOfDays(firstDay: number, endDay: number): Generator<SegmentRow> {
    for (let day = firstDay; day < endDay; day += 1) {
      for (let k = 0; k < this.rowsPerDay; k += 1) yield this.row(day, k);
    }
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
