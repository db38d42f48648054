import { AppError } from '../../common/errors/app-error';
import { canonicalUuid, isUuid } from '../../common/validation/uuid';

/**
 * How a dialect's ids look: the seed surface uses UUIDs, the real inContact API positive
 * integers (ACD agent ids, skill ids). Ports declare theirs so bad input is a 400 naming the
 * field before any upstream call, whichever dialect is bound.
 */
export type IdFormat = 'uuid' | 'positive-integer';

const POSITIVE_INTEGER = /^[1-9]\d{0,14}$/;

export function matchesIdFormat(format: IdFormat, value: string): boolean {
  return format === 'uuid' ? isUuid(value) : POSITIVE_INTEGER.test(value);
}

/** The one spelling of a matching id: UUIDs are read in any case and written in lower case. */
export function canonicalId(format: IdFormat, value: string): string {
  return format === 'uuid' ? canonicalUuid(value) : value;
}

/** The 400 for ids that do not match: `field must be a UUID` (or a positive integer). */
export function badIdError(format: IdFormat, field: string, plural = false): AppError {
  const what =
    format === 'uuid'
      ? plural
        ? 'a comma-separated list of UUIDs'
        : 'a UUID'
      : plural
        ? 'a comma-separated list of positive integers'
        : 'a positive integer';
  return AppError.field(field, `${field} must be ${what}`);
}
