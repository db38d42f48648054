/** The text of an RFC 4122 UUID, for patterns that accept a UUID among other id forms. */
export const UUID_TEXT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** An RFC 4122 UUID in any case (the form of v2 ids, export ids and CXone user ids). */
export const UUID_PATTERN = new RegExp(`^${UUID_TEXT}$`, 'i');

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A UUID in its one spelling, lower case (read in any case); any other id as it is. */
export function canonicalUuid(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}
