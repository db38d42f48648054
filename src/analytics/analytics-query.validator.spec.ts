import { AppError } from '../common/errors/app-error';
import { parseConfig } from '../config/app-config';
import { analyticsCacheKey } from './analytics-query';
import { AnalyticsQueryInput, AnalyticsQueryValidator } from './analytics-query.validator';

const config = parseConfig({ ANALYTICS_MAX_RANGE_DAYS: '31' });
const sut = new AnalyticsQueryValidator(config);

const valid: AnalyticsQueryInput = {
  metrics: ['talk_time', 'handle_time'],
  dimensions: ['date', 'channel'],
  start: '2024-05-01',
  end: '2024-05-08T00:00:00Z',
};

function errorsOf(input: Partial<AnalyticsQueryInput>): { field: string; message: string }[] {
  try {
    sut.normalize({ ...valid, ...input });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    return (err as AppError).errors ?? [];
  }
  throw new Error('expected a validation error');
}

describe('AnalyticsQueryValidator', () => {
  it('normalizes: metrics sorted, dimensions kept, dates ISO UTC, filters canonical', () => {
    const q = sut.normalize({
      ...valid,
      start: '2024-05-01T02:00:00+02:00',
      filters: [
        { dimension: 'channel', operator: 'in', values: ['voice', 'chat'] },
        { dimension: 'agent', operator: 'eq', value: 'a1' },
      ],
      kpis: ['talk_ratio'],
    });
    expect(q).toEqual({
      metrics: ['handle_time', 'talk_time'],
      dimensions: ['date', 'channel'],
      start: '2024-05-01T00:00:00.000Z',
      end: '2024-05-08T00:00:00.000Z',
      filters: [
        { dimension: 'agent', operator: 'eq', values: ['a1'] },
        { dimension: 'channel', operator: 'in', values: ['chat', 'voice'] },
      ],
      kpis: ['talk_ratio'],
    });
  });

  it('gives equivalent requests one cache key', () => {
    const a = sut.normalize({
      ...valid,
      filters: [{ dimension: 'channel', operator: 'eq', value: 'voice' }],
    });
    const b = sut.normalize({
      ...valid,
      metrics: ['handle_time', 'talk_time'],
      start: '2024-05-01T00:00:00Z',
      end: '2024-05-08T02:00:00+02:00',
      filters: [{ dimension: 'channel', operator: 'in', values: ['voice'] }],
    });
    expect(analyticsCacheKey(a)).toBe(analyticsCacheKey(b));
  });

  it('names unknown metrics and dimensions with the allowed lists', () => {
    const errors = errorsOf({ metrics: ['handle_time', 'csat'], dimensions: ['planet'] });
    expect(errors).toEqual([
      { field: 'metrics', message: expect.stringContaining('csat') },
      { field: 'dimensions', message: expect.stringContaining('planet') },
    ]);
    expect(errors[0].message).toContain('Allowed: handle_time, talk_time');
    expect(errors[1].message).toContain('Allowed: channel, skill, queue, agent, campaign, date');
  });

  it('uses the tenant lists from config', () => {
    const tenant = new AnalyticsQueryValidator(
      parseConfig({
        ANALYTICS_ALLOWED_METRICS: 'handle_time',
        ANALYTICS_ALLOWED_DIMENSIONS: 'date',
      }),
    );
    expect(() =>
      tenant.normalize({ ...valid, metrics: ['handle_time'], dimensions: ['date'] }),
    ).not.toThrow();
    expect(() => tenant.normalize(valid)).toThrow(AppError);
  });

  it('checks dates: ISO 8601, end after start, range limit', () => {
    expect(errorsOf({ start: 'yesterday', end: '2024-02-30' }).map((e) => e.field)).toEqual([
      'start',
      'end',
    ]);
    expect(errorsOf({ end: '2024-05-01' })).toEqual([
      { field: 'end', message: 'end must be after start' },
    ]);
    expect(errorsOf({ end: '2024-06-02' })[0].message).toContain('at most 31 days');
  });

  it('names the seed route date fields when asked', () => {
    try {
      sut.normalize({ ...valid, end: '2024-04-01' }, { start: 'start_date', end: 'end_date' });
    } catch (err) {
      expect((err as AppError).errors).toEqual([
        { field: 'end_date', message: 'end_date must be after start_date' },
      ]);
    }
    expect.assertions(1);
  });

  it('checks filters: allowed dimension, eq takes value, in takes values', () => {
    const errors = errorsOf({
      filters: [
        { dimension: 'planet', operator: 'eq', value: 'x' },
        { dimension: 'channel', operator: 'eq', values: ['voice'] },
        { dimension: 'channel', operator: 'in', value: 'voice' },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'filters.0.dimension',
      'filters.1.value',
      'filters.2.values',
    ]);
  });

  it('lists the catalogue for an unknown KPI and the missing inputs for an inapplicable one', () => {
    const errors = errorsOf({ kpis: ['nps', 'hold_ratio', 'channel_efficiency'] });
    expect(errors[0]).toEqual({
      field: 'kpis.0',
      message: expect.stringContaining('Catalogue: total_interaction_time, talk_ratio'),
    });
    expect(errors[1].message).toBe('KPI hold_ratio needs metrics hold_time in the query');
    expect(errors[2].message).toBe(
      'KPI channel_efficiency needs metrics service_level, abandon_rate in the query',
    );
  });

  it('reports every violation at once', () => {
    const errors = errorsOf({ metrics: ['x'], dimensions: ['y'], end: 'z', kpis: ['w'] });
    expect(errors.map((e) => e.field)).toEqual(['metrics', 'dimensions', 'end', 'kpis.0']);
  });
});
