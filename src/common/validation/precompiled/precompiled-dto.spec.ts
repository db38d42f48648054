import { ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsPositive, IsString, ValidateIf } from 'class-validator';
import { AnalyticsFilterDto } from '../../../analytics/dto/analytics-filter.dto';
import { QueryAnalyticsCompatDto } from '../../../analytics/dto/query-analytics-compat.dto';
import {
  AnalyticsFormatQueryDto,
  QueryAnalyticsSummaryDto,
} from '../../../analytics/dto/query-analytics-summary.dto';
import { GetQueueStatsDto } from '../../../reporting/queue-stats/queue-stats.dto';
import { AppError } from '../../errors/app-error';
import { createValidationPipe, validationPipeOptions } from '../validation-pipe.factory';
import { UnsupportedDtoError } from './dto-json-schema';
import { PrecompiledDto, precompiledDtoClasses, PrecompiledValidation } from './precompiled-dto';

/** class-validator alone: the reference every precompiled acceptance is compared with. */
const reference = new ValidationPipe(validationPipeOptions());

/** A copy made in the test's own realm (structuredClone's arrays come from Node's). */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

type Outcome = { accepted: unknown } | { refused: unknown };

async function referenceOutcome(metatype: object, type: 'body' | 'query', value: unknown) {
  return reference.transform(clone(value), { type, metatype: metatype as never }).then(
    (accepted: unknown): Outcome => ({ accepted }),
    (err: unknown): Outcome => ({ refused: err instanceof AppError ? err.errors : err }),
  );
}

/** Same class and same own properties, all the way down. */
function expectSameInstance(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  if (typeof expected !== 'object' || expected === null) return;
  expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  for (const key of Object.keys(expected)) {
    expectSameInstance((actual as never)[key], (expected as never)[key]);
  }
}

/** A small seeded generator, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const VALID_SUMMARIES: Record<string, unknown>[] = [
  { metrics: ['handle_time'], dimensions: [], start: '2024-05-01', end: '2024-05-02' },
  {
    metrics: ['handle_time', 'talk_time'],
    dimensions: ['date', 'channel'],
    start: '2024-05-01T00:00:00Z',
    end: '2024-05-08T00:00:00Z',
    filters: [
      { dimension: 'channel', operator: 'in', values: ['voice', 'chat'] },
      { dimension: 'queue', operator: 'eq', value: 'Sales' },
    ],
    kpis: ['talk_ratio'],
    timeZone: 'Europe/Berlin',
    granularity: 'PT1H',
  },
  {
    metrics: ['a'.repeat(63) + '\u{1F600}'],
    dimensions: [],
    start: 'x',
    end: 'y',
    filters: [],
  },
];

const VALID_QUEUE_QUERIES: Record<string, unknown>[] = [
  {},
  { queueIds: 'c0000000-0000-4000-8000-000000000001,c0000000-0000-4000-8000-000000000002' },
  { queueIds: ['12', ' 34 ,56'], metrics: 'waitTime,agentCount', format: 'csv', delimiter: 'tab' },
  { metrics: 'serviceLevel', bom: 'true', format: 'ndjson', delimiter: ';' },
];

const VALID_FORMAT_QUERIES: Record<string, unknown>[] = [
  {},
  { format: 'csv', bom: 'false', delimiter: '|' },
  { format: 'json' },
];

const VALID_COMPAT_BODIES: Record<string, unknown>[] = [
  { metrics: ['handle_time'], dimensions: [], start_date: '2024-05-01', end_date: '2024-05-02' },
  {
    metrics: ['handle_time'],
    dimensions: ['date'],
    start_date: '2024-05-01T00:00:00+00:00',
    end_date: '2024-05-08T00:00:00+00:00',
    filters: [{ dimension: 'channel', operator: 'eq', value: 'voice' }],
    cache_ttl: 3600,
  },
  { metrics: ['m'], dimensions: [], start_date: 'a', end_date: 'b', cache_ttl: 0 },
];

/** Values a field is set to, in the mutations of a valid input. */
function oddValues(random: () => number): unknown[] {
  const long = 'x'.repeat(60 + Math.floor(random() * 260));
  return [
    undefined,
    null,
    0,
    -1,
    1.5,
    604_800,
    604_801,
    true,
    '',
    long,
    'a'.repeat(64) + '\uFE0F',
    [],
    [long],
    ['same', 'same'],
    Array.from({ length: 1 + Math.floor(random() * 120) }, (_, i) => `v${i}`),
    [1, 2],
    [null],
    {},
    [{}],
    [{ dimension: 'channel', operator: 'eq', value: 'voice', extra: 1 }],
    [{ dimension: 'channel', operator: 'in', values: [] }],
    'eq',
    'PT15M',
    'csv',
    'tab',
    '12,abc',
    'c0000000-0000-4000-8000-00000000000G',
    'waitTime,nope',
  ];
}

/** Each valid input with one field changed, removed or added, plus whole random objects. */
function mutations(valid: Record<string, unknown>[], seed: number): unknown[] {
  const random = prng(seed);
  const keys = [...new Set(valid.flatMap((v) => Object.keys(v))), 'unknownField', 'constructor'];
  const out: unknown[] = [null, [], 'text', 42];
  for (const base of valid) {
    for (const key of keys) {
      for (const odd of oddValues(random)) {
        const copy: Record<string, unknown> = { ...base, [key]: odd };
        if (odd === undefined) delete copy[key];
        out.push(copy);
      }
    }
  }
  for (let i = 0; i < 400; i += 1) {
    const odd = oddValues(random);
    const object: Record<string, unknown> = {};
    for (const key of keys) {
      if (random() < 0.5) object[key] = odd[Math.floor(random() * odd.length)];
    }
    out.push(object);
  }
  return out;
}

describe('PrecompiledDto', () => {
  it('compiles every DTO marked @PrecompiledValidation (the hot routes)', () => {
    const marked = precompiledDtoClasses();
    expect(marked).toEqual(
      expect.arrayContaining([
        QueryAnalyticsSummaryDto,
        AnalyticsFormatQueryDto,
        GetQueueStatsDto,
        QueryAnalyticsCompatDto,
      ]),
    );
    for (const metatype of marked) expect(PrecompiledDto.compile<object>(metatype)).toBeDefined();
  });

  it.each([
    ['summary body', QueryAnalyticsSummaryDto, 'body', VALID_SUMMARIES],
    ['queue stats query', GetQueueStatsDto, 'query', VALID_QUEUE_QUERIES],
    ['format query', AnalyticsFormatQueryDto, 'query', VALID_FORMAT_QUERIES],
    ['compat body', QueryAnalyticsCompatDto, 'body', VALID_COMPAT_BODIES],
  ] as const)(
    '%s: accepts only what class-validator accepts, as the same instance',
    async (_name, metatype, type, valid) => {
      const sut = PrecompiledDto.compile<object>(metatype);
      let fast = 0;
      const inputs = [...valid, ...mutations([...valid], 17)];
      for (const input of inputs) {
        const accepted = sut.accept(clone(input));
        if (accepted === undefined) continue;
        fast += 1;
        const outcome = await referenceOutcome(metatype, type, input);
        expect({ input, outcome }).toEqual({ input, outcome: { accepted: expect.anything() } });
        expectSameInstance(accepted, (outcome as { accepted: unknown }).accepted);
      }
      // The schema is not a stand-in that refuses everything: each valid input goes fast.
      for (const input of valid) expect(sut.accept(clone(input))).toBeDefined();
      expect(fast).toBeGreaterThanOrEqual(valid.length);
    },
  );

  it('builds nested filters as AnalyticsFilterDto and transforms comma lists to arrays', () => {
    const summary = PrecompiledDto.compile(QueryAnalyticsSummaryDto).accept(VALID_SUMMARIES[1]);
    expect(summary).toBeInstanceOf(QueryAnalyticsSummaryDto);
    expect(summary?.filters?.[0]).toBeInstanceOf(AnalyticsFilterDto);
    const query = PrecompiledDto.compile(GetQueueStatsDto).accept({ queueIds: ' 12, ,34' });
    expect(query).toBeInstanceOf(GetQueueStatsDto);
    expect(query?.queueIds).toEqual(['12', '34']);
  });

  it('leaves an input it is stricter about to class-validator, which may accept it', async () => {
    const sut = PrecompiledDto.compile(QueryAnalyticsSummaryDto);
    // 65 UTF-16 units, 64 characters for class-validator (which forgives U+FE0F).
    const body = { ...VALID_SUMMARIES[0], kpis: null, timeZone: 'a'.repeat(64) + '\uFE0F' };
    expect(sut.accept(body)).toBeUndefined();
    const outcome = await referenceOutcome(QueryAnalyticsSummaryDto, 'body', body);
    expect(outcome).toEqual({ accepted: expect.any(QueryAnalyticsSummaryDto) });
    const piped = await createValidationPipe().transform(body, {
      type: 'body',
      metatype: QueryAnalyticsSummaryDto,
    });
    expectSameInstance(piped, (outcome as { accepted: unknown }).accepted);
  });

  it('keeps class-validator’s refusal, message for message, behind the global pipe', async () => {
    const body = { ...VALID_SUMMARIES[1], granularity: 'PT2H', metrics: ['a', 'a'], extra: 1 };
    const piped = await createValidationPipe()
      .transform(body, { type: 'body', metatype: QueryAnalyticsSummaryDto })
      .then(
        () => undefined,
        (err: unknown) => (err as AppError).errors,
      );
    const outcome = await referenceOutcome(QueryAnalyticsSummaryDto, 'body', body);
    expect(piped).toEqual((outcome as { refused: unknown }).refused);
    expect(piped).toEqual(
      expect.arrayContaining([
        { field: 'metrics', message: 'metrics must not repeat' },
        { field: 'extra', message: 'extra is not an allowed field' },
      ]),
    );
  });

  it('spares class-validator an input the schema accepts, behind the global pipe', async () => {
    const sut = createValidationPipe();
    const classValidator = jest.spyOn(ValidationPipe.prototype as never, 'validate');
    try {
      const asBody = { type: 'body' as const, metatype: QueryAnalyticsSummaryDto };
      await sut.transform(clone(VALID_SUMMARIES[1]), asBody);
      expect(classValidator).not.toHaveBeenCalled();
      await sut.transform({ ...clone(VALID_SUMMARIES[1]), kpis: null }, asBody);
      expect(classValidator).toHaveBeenCalledTimes(1);
    } finally {
      classValidator.mockRestore();
    }
  });

  describe('refuses to precompile what the schema cannot express', () => {
    class WithPositive {
      @IsPositive() count!: number;
    }
    class WithCondition {
      @ValidateIf(() => true) @IsString() name!: string;
    }
    class WithGroups {
      @IsString({ groups: ['admin'] }) name!: string;
    }
    class WithLooseType {
      @Type(() => Date) @IsString() when!: string;
    }
    it.each([
      ['@IsPositive', WithPositive, 'WithPositive.count: @isPositive cannot be precompiled'],
      ['@ValidateIf', WithCondition, 'WithCondition.name: a conditionalValidation rule'],
      ['groups', WithGroups, 'WithGroups.name: a rule with groups or always'],
      ['@Type alone', WithLooseType, 'WithLooseType.when: @Type without @ValidateNested'],
    ])('%s', (_name, metatype, message) => {
      expect(() => PrecompiledDto.compile<object>(metatype)).toThrow(UnsupportedDtoError);
      expect(() => PrecompiledDto.compile<object>(metatype)).toThrow(message);
    });
  });

  // Last: the class it marks stays marked, and the first test compiles every marked class.
  it('validates a marked DTO it cannot compile with class-validator alone, never refusing', async () => {
    @PrecompiledValidation()
    class MarkedWithPositive {
      @IsPositive() count!: number;
    }
    const sut = createValidationPipe();
    const asBody = { type: 'body' as const, metatype: MarkedWithPositive };
    await expect(sut.transform({ count: 3 }, asBody)).resolves.toEqual({ count: 3 });
    const err = await sut.transform({ count: -1 }, asBody).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    expect(err?.errors).toEqual([{ field: 'count', message: 'count must be a positive number' }]);
  });
});
