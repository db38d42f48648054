import { IANAZone } from 'luxon';

/** What a bad `timeZone` is told, wherever the option is taken. */
export const TIME_ZONE_RULE =
  'timeZone must be an IANA time-zone name such as Europe/Berlin or UTC';

/** Whether a text is an IANA time-zone name this runtime knows (`UTC` included). */
export function isValidTimeZone(name: string): boolean {
  return name.length > 0 && name.length <= 64 && IANAZone.isValidZone(name);
}
