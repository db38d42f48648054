import { parseConfig } from '../config/app-config';
import {
  answeringGroup,
  combinationErrors,
  configCapabilities,
  kpiDimensions,
  unsupportedMetricsError,
} from './analytics-capabilities';
import { AnalyticsQueryValidator } from './analytics-query.validator';
import type { AnalyticsCapabilities, AnalyticsSource } from './analytics.source';
import { AppError } from '../common/errors/app-error';

const grouped: AnalyticsCapabilities = {
  metrics: ['handle_time', 'abandon_rate', 'occupancy'],
  dimensions: ['skill', 'channel', 'agent', 'team', 'date'],
  dimensionGroups: [
    {
      source: 'the skills',
      dimensions: ['skill', 'channel', 'date'],
      metrics: ['handle_time', 'abandon_rate'],
    },
    {
      source: 'the agents',
      dimensions: ['agent', 'team', 'date'],
      metrics: ['handle_time', 'occupancy'],
    },
  ],
  unavailableMetrics: { first_contact_resolution: 'not in these summaries' },
};

const q = (metrics: string[], dimensions: string[], filterDimensions: string[] = []) => ({
  metrics,
  dimensions,
  filterDimensions,
});

describe('analytics capabilities', () => {
  it('without a declaration: the tenant lists of config, any combination', () => {
    const caps = configCapabilities(parseConfig({}).analytics);
    expect(caps.metrics).toContain('first_contact_resolution');
    expect(caps.dimensionGroups).toBeUndefined();
    expect(answeringGroup(caps, q(['handle_time'], ['agent', 'channel']))).toBeNull();
    expect(combinationErrors(caps, q(['handle_time'], ['agent', 'channel']))).toEqual([]);
  });

  it('names a refused metric with its reason and lists what is allowed', () => {
    expect(
      unsupportedMetricsError(grouped, ['handle_time', 'first_contact_resolution', 'csat']),
    ).toEqual({
      field: 'metrics',
      message:
        'unsupported metrics: first_contact_resolution (not in these summaries), csat. ' +
        'Allowed: handle_time, abandon_rate, occupancy',
    });
    expect(unsupportedMetricsError(grouped, ['occupancy'])).toBeUndefined();
  });

  it('picks the first group that answers dimensions, filters and metrics together', () => {
    expect(answeringGroup(grouped, q(['handle_time'], ['date']))?.source).toBe('the skills');
    expect(answeringGroup(grouped, q(['occupancy'], []))?.source).toBe('the agents');
    expect(answeringGroup(grouped, q(['handle_time'], ['date'], ['team']))?.source).toBe(
      'the agents',
    );
    expect(answeringGroup(grouped, q(['handle_time'], ['agent', 'channel']))).toBeUndefined();
  });

  it('refuses dimensions of two groups, naming them and what goes together', () => {
    const [error] = combinationErrors(grouped, q(['handle_time'], ['agent', 'channel']));
    expect(error.field).toBe('dimensions');
    expect(error.message).toBe(
      'dimensions agent, channel cannot be answered together in this dialect: the skills answer ' +
        'skill, channel, date with metrics handle_time, abandon_rate; the agents answer agent, ' +
        'team, date with metrics handle_time, occupancy. Choose the dimensions and filters of one group',
    );
  });

  it('refuses a filter from the other group under `filters`', () => {
    const [error] = combinationErrors(grouped, q(['handle_time'], ['agent'], ['skill']));
    expect(error.field).toBe('filters');
    expect(error.message).toMatch(
      /^dimensions agent with filters on skill cannot be answered together/,
    );
  });

  it('refuses metrics the dimensions’ group lacks, naming only those metrics', () => {
    const [error] = combinationErrors(grouped, q(['handle_time', 'occupancy'], ['skill']));
    expect(error.field).toBe('metrics');
    expect(error.message).toMatch(
      /^metrics occupancy cannot be answered with dimensions skill in this dialect: /,
    );
    const [mixed] = combinationErrors(grouped, q(['abandon_rate', 'occupancy'], []));
    expect(mixed.message).toMatch(
      /^metrics abandon_rate, occupancy cannot be answered together in this dialect: /,
    );
  });

  it('gives each KPI the dimensions of the groups that hold all its inputs', () => {
    expect(kpiDimensions(grouped, { requires: ['handle_time'] })).toEqual([
      'skill',
      'channel',
      'agent',
      'team',
      'date',
    ]);
    expect(kpiDimensions(grouped, { requires: ['occupancy'] })).toEqual(['agent', 'team', 'date']);
    expect(
      kpiDimensions(grouped, { requires: ['abandon_rate'], requiresDimensions: ['agent'] }),
    ).toBeUndefined();
    expect(kpiDimensions(grouped, { requires: ['abandon_rate', 'occupancy'] })).toBeUndefined();
    expect(kpiDimensions(grouped, { requires: ['first_contact_resolution'] })).toBeUndefined();
  });

  it('the validator applies the bound source’s lists and combinations', () => {
    const source: AnalyticsSource = {
      capabilities: () => grouped,
      query: () => Promise.resolve({ rows: [], pages: 0 }),
    };
    const sut = new AnalyticsQueryValidator(parseConfig({}), source);
    const base = { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' };
    expect(
      sut.normalize({ ...base, metrics: ['occupancy'], dimensions: ['team'] }).metrics,
    ).toEqual(['occupancy']);
    const refused = (input: { metrics: string[]; dimensions: string[] }) => {
      try {
        sut.normalize({ ...base, ...input });
      } catch (err) {
        return (err as AppError).errors?.map((e) => e.field);
      }
      return [];
    };
    expect(refused({ metrics: ['first_contact_resolution'], dimensions: [] })).toEqual(['metrics']);
    expect(refused({ metrics: ['handle_time'], dimensions: ['agent', 'channel'] })).toEqual([
      'dimensions',
    ]);
    // An unknown name is reported alone: what goes together is said once every name is known.
    expect(refused({ metrics: ['handle_time'], dimensions: ['agent', 'planet'] })).toEqual([
      'dimensions',
    ]);
    expect(sut.capabilities).toBe(grouped);
  });
});
