import { parseIsoInstant } from '../../iso-time';
import { failure, json, parseJson, type JsonResult, type SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { dataExtractionOf } from './data-extraction.state';
import { patchDataExtractionOptions } from './de-options';
import { computeDataExtractionTruth, dayOf } from './de-truth';
import { startDateStyleOf } from './start-date.format';

/** Longest range the truth endpoint enumerates. */
export const MAX_TRUTH_DAYS = 366;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function day(text: string | null): number | undefined {
  if (text === null || !DATE_RE.test(text)) return undefined;
  const ms = parseIsoInstant(text);
  return ms === undefined ? undefined : dayOf(ms);
}

/**
 * `GET /_sandbox/truth/data-extraction?entityName&version&startDate&endDate&windowDays`: what an
 * export of [startDate, endDate) (both `YYYY-MM-DD`, endDate exclusive) in `windowDays` windows
 * must count, under the sandbox's current endDate reading.
 */
function truth(state: SandboxState, req: SandboxRequest): JsonResult {
  const de = dataExtractionOf(state);
  const entityName = req.query.get('entityName') ?? 'recording-interaction-metadata';
  const version = req.query.get('version') ?? '7';
  const firstDay = day(req.query.get('startDate'));
  const endDay = day(req.query.get('endDate'));
  const windowDays = Number(req.query.get('windowDays') ?? 1);
  if (!de.entity(entityName, version))
    return failure(400, 'bad_request', `unknown entity ${entityName} v${version}`);
  if (firstDay === undefined || endDay === undefined || endDay <= firstDay)
    return failure(400, 'bad_request', 'startDate and endDate must be YYYY-MM-DD, endDate after');
  if (endDay - firstDay > MAX_TRUTH_DAYS)
    return failure(400, 'bad_request', `the range may span at most ${MAX_TRUTH_DAYS} days`);
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 31)
    return failure(400, 'bad_request', 'windowDays must be an integer in 1..31');
  return json(
    200,
    computeDataExtractionTruth({
      entityName,
      version,
      rows: de.rows,
      firstDay,
      endDay,
      windowDays,
      endDateReading: de.options.endDateReading,
      startDates: startDateStyleOf(de.options),
    }),
  );
}

function describe(state: SandboxState): JsonResult {
  const de = dataExtractionOf(state);
  return json(200, {
    options: de.options,
    entities: de.catalogue(),
    jobs: {
      created: de.jobs.created,
      runningHighWater: de.jobs.runningHighWater,
      createsWhileRunning: de.jobs.createsWhileRunning,
    },
    throttled: { ...de.throttle.throttled },
    storage: { ...de.storage },
  });
}

function configure(state: SandboxState, req: SandboxRequest): JsonResult {
  const body = parseJson(req.body);
  if (!body.ok) return failure(400, 'bad_request', 'Body is not valid JSON');
  const de = dataExtractionOf(state);
  const patched = patchDataExtractionOptions(de.options, body.value);
  if (!patched.ok) return failure(400, 'bad_request', patched.message);
  de.setOptions(patched.options);
  return describe(state);
}

/** Control routes (under /_sandbox) of the Data Extraction simulator. */
export const DATA_EXTRACTION_CONTROL_ROUTES: Record<
  string,
  (state: SandboxState, req: SandboxRequest) => JsonResult
> = {
  'GET /truth/data-extraction': truth,
  'GET /data-extraction': describe,
  'POST /data-extraction': configure,
};

/** Part of `POST /_sandbox/stats/reset`: counters only, jobs and throttle history stay. */
export function resetDataExtractionStats(state: SandboxState): void {
  dataExtractionOf(state).resetCounters();
}

/** Part of `POST /_sandbox/reset`. */
export function resetDataExtraction(state: SandboxState): void {
  dataExtractionOf(state).reset();
}
