import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { notAllowedField } from './field-messages';

/**
 * For a route's query or body that takes nothing: any field is a 400 naming it, as an unknown
 * field is on every route with a DTO. (An empty DTO class cannot say this: with
 * forbidUnknownValues, class-validator refuses every value of a class it has no rules for.)
 */
@Injectable()
export class NoFieldsPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    const names = Object.keys(value);
    if (names.length === 0) return value;
    throw AppError.validation(names.map((field) => ({ field, message: notAllowedField(field) })));
  }
}
