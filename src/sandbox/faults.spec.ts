import { FaultEngine, parseFaultSpecs } from './faults';

describe('FaultEngine', () => {
  it('fires a fault only `times` times, on its route or on "*"', () => {
    const sut = new FaultEngine(42, []);
    sut.add([{ route: 'queueStats', kind: 'rateLimit', times: 2 }]);
    expect(sut.beforeHandler('agentHistory').terminal).toBeUndefined();
    expect(sut.beforeHandler('queueStats').terminal?.kind).toBe('rateLimit');
    expect(sut.beforeHandler('queueStats').terminal?.kind).toBe('rateLimit');
    expect(sut.beforeHandler('queueStats').terminal).toBeUndefined();
    expect(sut.list()[0].remaining).toBe(0);
  });

  it('adds latency faults up and stops at the first terminal fault', () => {
    const sut = new FaultEngine(42, [
      { route: '*', kind: 'latency', latencyMs: 10 },
      { route: 'token', kind: 'latency', latencyMs: 5 },
      { route: 'token', kind: 'status', status: 500, times: 1 },
      { route: 'token', kind: 'hang' },
    ]);
    expect(sut.beforeHandler('token')).toEqual({
      latencyMs: 15,
      terminal: { route: 'token', kind: 'status', status: 500, times: 1 },
    });
    expect(sut.beforeHandler('token').terminal?.kind).toBe('hang');
  });

  it('draws probabilities from the seed, reproducibly', () => {
    const run = (): boolean[] => {
      const sut = new FaultEngine(42, [{ route: '*', kind: 'status', probability: 0.3 }]);
      return Array.from({ length: 200 }, () => sut.beforeHandler('userGet').terminal !== undefined);
    };
    const first = run();
    expect(run()).toEqual(first);
    const rate = first.filter(Boolean).length / first.length;
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.45);
  });

  it('takes response faults separately and resets to the configured baseline', () => {
    const sut = new FaultEngine(1, [{ route: 'exportCreate', kind: 'failJob', times: 1 }]);
    expect(sut.take('exportCreate', 'failJob')).toBe(true);
    expect(sut.take('exportCreate', 'failJob')).toBe(false);
    sut.add([{ route: '*', kind: 'malformedJson' }]);
    sut.reset();
    expect(sut.list()).toEqual([
      { route: 'exportCreate', kind: 'failJob', times: 1, remaining: 1 },
    ]);
    sut.clear();
    expect(sut.list()).toEqual([]);
  });
});

describe('parseFaultSpecs', () => {
  it('accepts valid specs and names every problem of invalid ones', () => {
    expect(parseFaultSpecs([{ route: '*', kind: 'reset' }])).toEqual({
      ok: true,
      faults: [{ route: '*', kind: 'reset' }],
    });
    const result = parseFaultSpecs([{ route: 'x', kind: 'y', extra: 1, times: -1 }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/unknown field "extra".*route.*kind.*times/);
  });
});
