import { IsIsoInstant } from './iso-instant.decorator';
import { MAX_OFFSET_MINUTES, normalizeIsoInstant, parseIsoInstant } from './iso-instant';
import { createValidationPipe } from './validation-pipe.factory';
import { AppError } from '../errors/app-error';

const CASES: [string, string][] = [
  ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ['2024-05-01T00:00:00', '2024-05-01T00:00:00.000Z'],
  ['2024-05-01T10:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T05:30:00-0430', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T12:00:00 02:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-02T04:00:00+18:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00.123456789012Z', '2024-05-01T10:00:00.123Z'],
];

describe('parseIsoInstant (the one date parser)', () => {
  it.each(CASES)('%s → %s (no offset = UTC)', (text, iso) => {
    expect(normalizeIsoInstant(text)).toBe(iso);
  });

  it.each([
    // Impossible offsets: refused instead of shifting the range by a day or more.
    '2024-05-01T00:00:00+25:00',
    '2024-05-01T00:00:00+99:99',
    '2024-05-01T00:00:00-19:00',
    '2024-05-01T00:00:00+18:01',
    '2024-05-01T00:00:00+05:60',
    '2024-05-01T00:00:00+2500',
    // Impossible calendar and clock values.
    '2024-02-30',
    '2023-02-29T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:60Z',
    // Not ISO 8601 at all.
    'yesterday',
    '',
    '2024-5-1',
    '1714521600',
    'Wed, 01 May 2024 00:00:00 GMT',
    '2024-05-01T00:00:00+02',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });

  it('accepts offsets up to ±18:00 exactly', () => {
    const h = MAX_OFFSET_MINUTES / 60;
    expect(parseIsoInstant(`2024-05-01T00:00:00-${h}:00`)).toBe(Date.UTC(2024, 4, 1, h));
  });

  // Independence from the process TZ is proven in a child process under other zones
  // (test/hardening/dates.e2e-spec.ts): Jest's sandbox does not pass TZ changes through.
});

class RangeDto {
  @IsIsoInstant() start!: string;
}

describe('@IsIsoInstant', () => {
  const sut = createValidationPipe();
  const run = (start: unknown) =>
    sut.transform({ start }, { type: 'body', metatype: RangeDto }) as Promise<RangeDto>;

  it('hands the service the canonical UTC form', async () => {
    const dto = await run('2024-05-01T00:00:00');
    expect(dto.start).toBe('2024-05-01T00:00:00.000Z');
  });

  it.each(['2024-05-01T00:00:00+25:00', '2024-05-01T00:00:00+99:99', 42, null])(
    'refuses %j naming the field',
    async (start) => {
      const err = await run(start).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).errors).toEqual([
        { field: 'start', message: expect.stringMatching(/^start must be an ISO 8601 date/) },
      ]);
    },
  );
});
