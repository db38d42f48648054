import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from '../errors/app-error';
import { checkInputBounds } from './input-bounds';

/** Flattens class-validator's error tree into one entry per field, with dotted paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {}).map((m) =>
      m.endsWith('should not exist') ? `${field} is not an allowed field` : m,
    );
    if (messages.length) out.push({ field, message: messages.join('; ') });
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/**
 * ValidationPipe behind a size check of the raw input (checkInputBounds): an over-long array or
 * a flood of unknown fields is refused before class-transformer builds a single element.
 */
export class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && this.toValidate(metadata)) {
      const refused = checkInputBounds(metadata.metatype, value);
      if (refused.length) throw AppError.validation(refused);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global pipe: strips nothing silently (unknown fields are a 400), converts query strings
 * to the DTO's types, and reports every invalid field at once as an AppError (whose problem
 * lists the first MAX_LISTED_ERRORS and counts the rest).
 */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(toFieldErrors(errors)),
  });
}
