import { AppError, FieldError } from '../../common/errors/app-error';
import { ISO_INSTANT_HINT } from '../../common/validation/iso-instant';
import { parseIsoInstant } from '../common/iso-instant';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Window used when the caller gives no `start`: the 24 h before `end`. */
export const DEFAULT_WINDOW_MS = DAY_MS;

export interface HistoryRangeInput {
  start?: string;
  end?: string;
}

export interface HistoryRangeLimits {
  nowMs: number;
  maxDays: number;
}

/** The effective [startMs, endMs) window; `clamped` when a future `end` was cut to now. */
export interface HistoryRange {
  startMs: number;
  endMs: number;
  clamped: boolean;
}

const FORMAT_HINT = ISO_INSTANT_HINT;

/**
 * Resolves the history window from the query: defaults (end = now, start = end − 24 h), a future
 * `end` clamped to now, then `end` after `start` and at most `maxDays` long — measured on the
 * window actually queried, i.e. after clamping. Every violation is a 400 naming its field.
 */
export function resolveHistoryRange(
  input: HistoryRangeInput,
  limits: HistoryRangeLimits,
): HistoryRange {
  const errors: FieldError[] = [];
  const requestedEnd = parseField('end', input.end, errors);
  const requestedStart = parseField('start', input.start, errors);
  if (errors.length) throw AppError.validation(errors);

  const endMs = Math.min(requestedEnd ?? limits.nowMs, limits.nowMs);
  const clamped = requestedEnd !== undefined && requestedEnd > limits.nowMs;
  const startMs = requestedStart ?? endMs - DEFAULT_WINDOW_MS;
  if (startMs >= limits.nowMs) throw AppError.field('start', 'start must be in the past');
  if (endMs <= startMs) throw AppError.field('end', 'end must be after start');
  if (endMs - startMs > limits.maxDays * DAY_MS) {
    // Blame the field the caller actually sent: with a defaulted end, start is too early.
    const field = input.end !== undefined ? 'end' : 'start';
    throw AppError.field(
      field,
      `the range from start to end must not exceed ${limits.maxDays} days`,
    );
  }
  return { startMs, endMs, clamped };
}

function parseField(
  field: string,
  value: string | undefined,
  errors: FieldError[],
): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoInstant(value);
  if (ms === undefined) errors.push({ field, message: `${field} must be ${FORMAT_HINT}` });
  return ms;
}
