import { Type } from 'class-transformer';
import { IsArray, IsString, ValidateNested } from 'class-validator';
import { QueryAnalyticsSummaryDto } from '../../analytics/dto/query-analytics-summary.dto';
import { GetQueueStatsDto } from '../../reporting/queue-stats/queue-stats.dto';
import { AppError, MAX_LISTED_ERRORS } from '../errors/app-error';
import { DEFAULT_MAX_ARRAY } from './input-bounds';
import { createValidationPipe } from './validation-pipe.factory';

/** An array that counts how many of its elements were read. */
function countingArray<T>(items: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { array, reads: () => reads };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const summaryBody = (extra: object): Record<string, unknown> => ({
  metrics: ['handle_time'],
  dimensions: ['date'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-05-02T00:00:00Z',
  ...extra,
});

class Inner {
  @IsString() name!: string;
}
class NoDeclaredMax {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Inner) items!: Inner[];
}

describe('createValidationPipe (bounded)', () => {
  const sut = createValidationPipe();
  const asBody = (metatype: object) => ({ type: 'body' as const, metatype: metatype as never });

  it('refuses 60 000 filters from their length alone, without reading one element', async () => {
    const { array, reads } = countingArray(Array.from({ length: 60_000 }, () => ({})));
    const err = await refusal(
      sut.transform(summaryBody({ filters: array }), asBody(QueryAnalyticsSummaryDto)),
    );
    expect(reads()).toBe(0);
    expect(err.errors).toEqual([
      { field: 'filters', message: 'filters must contain no more than 20 elements' },
    ]);
    expect(JSON.stringify(err.errors).length).toBeLessThan(200);
  });

  it('still validates each element of an array within its limit', async () => {
    const err = await refusal(
      sut.transform(summaryBody({ filters: [{}, {}] }), asBody(QueryAnalyticsSummaryDto)),
    );
    expect(err.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['filters.0.dimension', 'filters.1.operator']),
    );
  });

  it('bounds nested arrays too (an `in` filter with 10 000 values)', async () => {
    const { array, reads } = countingArray(Array.from({ length: 10_000 }, () => 'x'));
    const filters = [{ dimension: 'channel', operator: 'in', values: array }];
    const err = await refusal(
      sut.transform(summaryBody({ filters }), asBody(QueryAnalyticsSummaryDto)),
    );
    expect(reads()).toBe(0);
    expect(err.errors).toEqual([
      {
        field: 'filters.0.values',
        message: 'filters.0.values must contain no more than 100 elements',
      },
    ]);
  });

  it('caps an array without @ArrayMaxSize at DEFAULT_MAX_ARRAY', async () => {
    const { array, reads } = countingArray(
      Array.from({ length: DEFAULT_MAX_ARRAY + 1 }, () => ({ name: 'a' })),
    );
    const err = await refusal(sut.transform({ items: array }, asBody(NoDeclaredMax)));
    expect(reads()).toBe(0);
    expect(err.errors?.[0]?.field).toBe('items');
  });

  it('applies to query DTOs: a repeated parameter beyond its limit keeps the DTO message', async () => {
    const queueIds = Array.from({ length: 5000 }, () => 'c0000000-0000-4000-8000-000000000001');
    const err = await refusal(
      sut.transform({ queueIds }, { type: 'query', metatype: GetQueueStatsDto }),
    );
    expect(err.errors).toEqual([
      { field: 'queueIds', message: 'queueIds must list at most 100 queues' },
    ]);
  });

  it('lists the first MAX_LISTED_ERRORS of 5 000 unknown fields and counts them all', async () => {
    const body: Record<string, unknown> = summaryBody({});
    for (let i = 0; i < 5000; i++) body[`junk${i}`] = i;
    const err = await refusal(sut.transform(body, asBody(QueryAnalyticsSummaryDto)));
    expect(err.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.errors?.[0]).toEqual({ field: 'junk0', message: 'junk0 is not an allowed field' });
    expect(err.extensions?.errorCount).toBe(5000);
    expect(err.message).toMatch(/ and 4980 more$/);
  });

  it('lets a valid body through unchanged in meaning', async () => {
    const dto = (await sut.transform(
      summaryBody({ filters: [{ dimension: 'channel', operator: 'eq', value: 'voice' }] }),
      asBody(QueryAnalyticsSummaryDto),
    )) as QueryAnalyticsSummaryDto;
    expect(dto).toBeInstanceOf(QueryAnalyticsSummaryDto);
    expect(dto.filters?.[0]?.value).toBe('voice');
  });
});

describe('AppError error-list cap', () => {
  it('keeps the first MAX_LISTED_ERRORS field errors and the total count', () => {
    const errors = Array.from({ length: 120_000 }, (_, i) => ({ field: `f${i}`, message: 'bad' }));
    const sut = AppError.validation(errors);
    expect(sut.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(sut.extensions?.errorCount).toBe(120_000);
    expect(sut.message.length).toBeLessThan(400);
  });

  it('keeps the original count when a capped error is re-thrown', () => {
    const first = AppError.validation(
      Array.from({ length: 50 }, (_, i) => ({ field: `f${i}`, message: 'bad' })),
    );
    const again = new AppError('VALIDATION_FAILED', first.message, {
      errors: first.errors,
      extensions: first.extensions,
    });
    expect(again.extensions?.errorCount).toBe(50);
  });
});
