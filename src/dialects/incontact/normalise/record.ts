import { toInstantMs } from './dates';
import { toSeconds } from './durations';
import { field } from './keys';
import { toBoolean, toIdText, toNumber, toText } from './values';

type Names = string | readonly string[];
const list = (names: Names): string[] => (typeof names === 'string' ? [names] : [...names]);

/**
 * One upstream JSON object read through the normalisation rules: case-insensitive keys with
 * aliases, tolerant scalars, and `required*` readers that throw an Error naming the field's
 * path when it is missing (the client turns it into an upstream error naming the operation).
 */
export class CxoneRecord {
  private constructor(
    private readonly raw: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): CxoneRecord {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${path} must be an object`);
    }
    return new CxoneRecord(value as Record<string, unknown>, path);
  }

  /** The raw value of the first alias present (any case). */
  value(names: Names): unknown {
    return field(this.raw, ...list(names));
  }

  number(names: Names): number | null {
    return toNumber(this.value(names), this.at(names));
  }

  boolean(names: Names): boolean | null {
    return toBoolean(this.value(names), this.at(names));
  }

  text(names: Names): string | null {
    return toText(this.value(names), this.at(names));
  }

  id(names: Names): string | null {
    return toIdText(this.value(names), this.at(names));
  }

  seconds(names: Names): number | null {
    return toSeconds(this.value(names), this.at(names));
  }

  instantMs(names: Names): number | null {
    return toInstantMs(this.value(names), this.at(names));
  }

  requiredNumber(names: Names): number {
    return this.required(names, this.number(names));
  }

  requiredText(names: Names): string {
    return this.required(names, this.text(names));
  }

  requiredId(names: Names): string {
    return this.required(names, this.id(names));
  }

  requiredInstantMs(names: Names): number {
    return this.required(names, this.instantMs(names));
  }

  private required<T>(names: Names, value: T | null): T {
    if (value === null) throw new Error(`${this.at(names)} is required`);
    return value;
  }

  private at(names: Names): string {
    return `${this.path}.${list(names)[0]}`;
  }
}
