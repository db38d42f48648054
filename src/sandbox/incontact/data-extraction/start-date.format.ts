import { IsoFormatter } from '../../iso-time';
import type { DataExtractionOptions } from './de-options';

/** How a file writes its `Start Date` cells (set when the job is created). */
export interface StartDateStyle {
  format: DataExtractionOptions['startDateFormat'];
  /** The business unit's offset from UTC, minutes (used by the local formats). */
  offsetMinutes: number;
}

export const UTC_START_DATES: StartDateStyle = { format: 'iso-utc', offsetMinutes: 0 };

export function startDateStyleOf(options: DataExtractionOptions): StartDateStyle {
  return { format: options.startDateFormat, offsetMinutes: options.buUtcOffsetMinutes };
}

/** The wall-clock time of `ms` in the style's zone, as epoch ms read as if UTC. */
export function wallClockMs(ms: number, style: StartDateStyle): number {
  return style.format === 'iso-utc' ? ms : ms + style.offsetMinutes * 60_000;
}

/** Precision of the written value: ISO keeps milliseconds, the US form whole seconds. */
export function writtenSpanMs(style: StartDateStyle): number {
  return style.format === 'us-local' ? 1000 : 1;
}

/** Writes instants in one style; one per file (it caches the current day's prefix). */
export class StartDateFormatter {
  private readonly iso = new IsoFormatter();

  constructor(private readonly style: StartDateStyle) {}

  format(ms: number): string {
    const { format } = this.style;
    if (format === 'iso-utc') return this.iso.format(ms);
    const wall = wallClockMs(ms, this.style);
    if (format === 'iso-local') return this.iso.format(wall).slice(0, -1);
    const d = new Date(wall);
    const h24 = d.getUTCHours();
    const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    const ss = String(d.getUTCSeconds()).padStart(2, '0');
    const half = h24 < 12 ? 'AM' : 'PM';
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${mm}:${ss} ${half}`;
  }
}
