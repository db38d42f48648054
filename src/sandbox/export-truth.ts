import { ExportEventGenerator, type BotEvent } from './export-events.generator';
import { DAY_MS } from './iso-time';

/** Longest range the truth endpoint will enumerate. */
export const MAX_TRUTH_RANGE_DAYS = 3660;

export interface TruthWindow {
  dateFrom: string;
  dateTo: string;
  /** Raw records one export of this window returns (duplicates and invalid records included). */
  records: number;
}

/**
 * What a correct download → validate → dedupe pipeline must end up with for a range exported as
 * consecutive windows of `windowDays` (the last one cut at dateTo), validating each record before
 * de-duplicating by id:
 *   received       = Σ raw records over all windows
 *   schemaInvalid  = records failing the schema (counted per record, every copy)
 *   duplicates     = schema-valid records whose id was already seen (intra + cross window)
 *   uniqueValidIds = distinct ids among schema-valid records
 *   received = uniqueValidIds + duplicates + schemaInvalid
 */
export interface ExportTruth {
  dateFrom: string;
  dateTo: string;
  windowDays: number;
  windows: TruthWindow[];
  /** Distinct events overlapping the range. */
  events: number;
  received: number;
  uniqueValidIds: number;
  duplicates: number;
  intraWindowDuplicates: number;
  crossWindowDuplicates: number;
  schemaInvalid: number;
  /** Distinct schema-invalid events (what a dedupe-before-validate pipeline would count). */
  schemaInvalidEvents: number;
}

interface WindowPlan {
  fromMs: number;
  toMs: number;
  windowMs: number;
  count: number;
  /** Windows whose anchor (first schema-valid event) has been seen. */
  anchored: boolean[];
}

/** Consecutive windows exactly like the v2 §exports `split_date_range`. */
export function splitWindows(fromMs: number, toMs: number, windowDays: number): TruthWindow[] {
  const windows: TruthWindow[] = [];
  for (let start = fromMs; start < toMs; start += windowDays * DAY_MS) {
    const end = Math.min(start + windowDays * DAY_MS, toMs);
    windows.push({
      dateFrom: new Date(start).toISOString(),
      dateTo: new Date(end).toISOString(),
      records: 0,
    });
  }
  return windows;
}

/** Indices of the windows an event overlaps (half-open windows, integer ms). */
function overlappedWindows(plan: WindowPlan, event: BotEvent): [number, number] {
  const first =
    event.startMs < plan.fromMs ? 0 : Math.floor((event.startMs - plan.fromMs) / plan.windowMs);
  const lastRaw = Math.floor((Math.min(event.endMs, plan.toMs) - 1 - plan.fromMs) / plan.windowMs);
  return [first, Math.min(plan.count - 1, lastRaw)];
}

/** Computes the truth from the event generator alone, never through the HTTP download path. */
export function computeExportTruth(options: {
  seed: number;
  eventsPerDay: number;
  fromMs: number;
  toMs: number;
  windowDays: number;
}): ExportTruth {
  const { fromMs, toMs, windowDays } = options;
  const windows = splitWindows(fromMs, toMs, windowDays);
  const plan: WindowPlan = {
    fromMs,
    toMs,
    windowMs: windowDays * DAY_MS,
    count: windows.length,
    anchored: windows.map(() => false),
  };
  const truth: ExportTruth = {
    dateFrom: new Date(fromMs).toISOString(),
    dateTo: new Date(toMs).toISOString(),
    windowDays,
    windows,
    events: 0,
    received: 0,
    uniqueValidIds: 0,
    duplicates: 0,
    intraWindowDuplicates: 0,
    crossWindowDuplicates: 0,
    schemaInvalid: 0,
    schemaInvalidEvents: 0,
  };
  const generator = new ExportEventGenerator(options.seed, options.eventsPerDay);
  for (const event of generator.eventsIn(fromMs, toMs)) countEvent(truth, plan, event);
  return truth;
}

function countEvent(truth: ExportTruth, plan: WindowPlan, event: BotEvent): void {
  const [first, last] = overlappedWindows(plan, event);
  const copiesPerWindow = event.duplicated ? 2 : 1;
  for (let w = first; w <= last; w += 1) truth.windows[w].records += copiesPerWindow;
  const windowCount = last - first + 1;
  const records = windowCount * copiesPerWindow;
  truth.events += 1;
  truth.received += records;
  if (event.defect) {
    truth.schemaInvalid += records;
    truth.schemaInvalidEvents += 1;
    return;
  }
  truth.uniqueValidIds += 1;
  truth.duplicates += records - 1;
  truth.crossWindowDuplicates += windowCount - 1;
  truth.intraWindowDuplicates += windowCount * (copiesPerWindow - 1);
  for (let w = first; w <= last; w += 1) {
    if (plan.anchored[w]) continue;
    // The window's anchor: one more intact copy (a duplicate) and one broken copy (invalid).
    plan.anchored[w] = true;
    truth.windows[w].records += 2;
    truth.received += 2;
    truth.duplicates += 1;
    truth.intraWindowDuplicates += 1;
    truth.schemaInvalid += 1;
  }
}
