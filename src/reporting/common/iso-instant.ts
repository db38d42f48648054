/**
 * Reporting reads dates with the gateway's one parser (no offset = UTC, impossible offsets
 * refused); re-exported here for the reporting modules that import it from this place.
 */
export { parseIsoInstant } from '../../common/validation/iso-instant';

/** Epoch ms as `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function toIsoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
