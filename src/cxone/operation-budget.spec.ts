import { AppError } from '../common/errors/app-error';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { CallerGoneError, OperationBudget } from './operation-budget';

describe('OperationBudget', () => {
  let clock: FakeClock;
  const make = (overrides: { maxCalls?: number; caller?: AbortSignal } = {}) =>
    new OperationBudget({
      clock,
      deadlineMs: 5000,
      maxCalls: overrides.maxCalls ?? 3,
      caller: overrides.caller,
      what: 'this history',
      limitName: 'HISTORY_MAX_UPSTREAM_CALLS',
      deadlineName: 'HISTORY_DEADLINE_MS',
      shrink: 'request a shorter range (start/end)',
    });

  beforeEach(() => {
    clock = new FakeClock();
  });

  it('refuses up front an estimate above the limit with a 422 naming the limit and the fix', () => {
    const sut = make({ maxCalls: 10 });
    expect(() => sut.refuseIfMore(10)).not.toThrow();
    let error: unknown;
    try {
      sut.refuseIfMore(3100);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('UNPROCESSABLE');
    expect(appError.message).toContain('3100');
    expect(appError.message).toContain('HISTORY_MAX_UPSTREAM_CALLS');
    expect(appError.extensions).toMatchObject({
      limit: { name: 'HISTORY_MAX_UPSTREAM_CALLS', value: 10 },
      estimatedUpstreamCalls: 3100,
      shrink: 'request a shorter range (start/end)',
    });
    sut.dispose();
  });

  it('counts calls and refuses the one past the limit', () => {
    const sut = make({ maxCalls: 2 });
    sut.spend();
    sut.spend();
    expect(sut.spent).toBe(2);
    expect(() => sut.spend()).toThrow(/needs more than 2 upstream calls/);
    expect(sut.spent).toBe(2);
    sut.dispose();
  });

  it('aborts its signal on the clock deadline with a 504 naming the deadline variable', async () => {
    const sut = make();
    await clock.advance(4999);
    expect(sut.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(sut.signal.aborted).toBe(true);
    const reason = sut.signal.reason as AppError;
    expect(reason.code).toBe('UPSTREAM_TIMEOUT');
    expect(reason.message).toContain('HISTORY_DEADLINE_MS');
    expect(() => sut.spend()).toThrow(reason);
    sut.dispose();
  });

  it('aborts when the caller goes away, with a 4xx reason that is no upstream fault', () => {
    const caller = new AbortController();
    const sut = make({ caller: caller.signal });
    caller.abort();
    expect(sut.signal.aborted).toBe(true);
    expect(sut.signal.reason).toBeInstanceOf(CallerGoneError);
    expect((sut.signal.reason as AppError).code).toBe('MALFORMED_REQUEST');
    sut.dispose();
  });

  it('is aborted from the start when the caller has already gone', () => {
    const caller = new AbortController();
    caller.abort();
    const sut = make({ caller: caller.signal });
    expect(() => sut.spend()).toThrow(CallerGoneError);
    sut.dispose();
  });

  it('dispose stops the deadline timer', async () => {
    const sut = make();
    sut.dispose();
    await clock.advance(10_000);
    expect(sut.signal.aborted).toBe(false);
  });
});
