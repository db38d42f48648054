import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { ISO_INSTANT_HINT, normalizeIsoInstant, parseIsoInstant } from './iso-instant';

/**
 * A DTO date field read by the shared parser (parseIsoInstant): a valid value reaches the
 * service in canonical UTC form (`2024-05-01T00:00:00.000Z`), so no later `Date.parse` can read
 * it in the server's local time; anything else is a 400 naming the field.
 */
export function IsIsoInstant(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (normalizeIsoInstant(value) ?? value) : value,
    ),
    ValidateBy({
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseIsoInstant(value) !== undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be ${ISO_INSTANT_HINT}`,
      },
    }),
  );
}
