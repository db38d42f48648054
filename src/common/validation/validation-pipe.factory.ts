import {
  ArgumentMetadata,
  Logger,
  ValidationError,
  ValidationPipe,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { AppError, FieldError } from '../errors/app-error';
import { checkInputBounds } from './input-bounds';
import { isPrecompiledDto, PrecompiledDto } from './precompiled/precompiled-dto';
import { notAllowedField } from './field-messages';

/** Flattens class-validator's error tree into one entry per field, with dotted paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {}).map((m) =>
      m.endsWith('should not exist') ? notAllowedField(field) : m,
    );
    if (messages.length) out.push({ field, message: messages.join('; ') });
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/**
 * ValidationPipe behind a size check of the raw input (checkInputBounds): an over-long array or
 * a flood of unknown fields is refused before class-transformer builds a single element. DTOs
 * marked @PrecompiledValidation() are first checked by their compiled schema; an input it
 * accepts is the DTO at once, any other goes the class-validator way.
 */
export class BoundedValidationPipe extends ValidationPipe {
  /** By DTO class; null = its schema could not be compiled, class-validator alone checks it. */
  private readonly precompiled = new Map<unknown, PrecompiledDto | null>();
  private readonly logger = new Logger('Validation');

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && this.toValidate(metadata)) {
      const accepted = this.precompiledFor(metadata.metatype)?.accept(value);
      if (accepted) return accepted;
      const refused = checkInputBounds(metadata.metatype, value);
      if (refused.length) throw AppError.validation(refused);
    }
    return super.transform(value, metadata);
  }

  /**
   * Compiled on first use, not at startup (the marked DTOs' schemas cost ≈ 30–50 ms of a start
   * budgeted at 2 s). A DTO whose decorators the schema cannot express is validated as before,
   * never refused; precompiled-dto.spec compiles every marked DTO, so this is caught before
   * release.
   */
  private precompiledFor(metatype: unknown): PrecompiledDto | undefined {
    if (!isPrecompiledDto(metatype)) return undefined;
    let compiled = this.precompiled.get(metatype);
    if (compiled === undefined) {
      try {
        compiled = PrecompiledDto.compile(metatype);
      } catch (err) {
        this.logger.warn(
          `class-validator alone checks ${metatype.name}: ${(err as Error).message}`,
        );
        compiled = null;
      }
      this.precompiled.set(metatype, compiled);
    }
    return compiled ?? undefined;
  }
}

/**
 * The global pipe's options: strips nothing silently (unknown fields are a 400), converts query
 * strings to the DTO's types, and reports every invalid field at once as an AppError (whose
 * problem lists the first MAX_LISTED_ERRORS and counts the rest).
 */
export function validationPipeOptions(): ValidationPipeOptions {
  return {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(toFieldErrors(errors)),
  };
}

/** The global pipe (validationPipeOptions). */
export function createValidationPipe(): BoundedValidationPipe {
  return new BoundedValidationPipe(validationPipeOptions());
}
