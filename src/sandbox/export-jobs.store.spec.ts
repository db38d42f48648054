import { ExportJobStore, MAX_ACTIVE_EXPORTS } from './export-jobs.store';

describe('ExportJobStore', () => {
  let now = 1_000_000;
  const clock = (): number => now;
  const input = {
    fromMs: 0,
    toMs: 1,
    query: { dateFrom: 'a', dateTo: 'b' },
    gzip: true,
    willFail: false,
  };

  beforeEach(() => {
    now = 1_000_000;
  });

  it('moves queued → running → completed with time', () => {
    const sut = new ExportJobStore(clock, { queuedMs: 100, runningMs: 200 });
    const job = sut.create(input);
    if (!job) throw new Error('not created');
    expect(sut.status(job)).toBe('queued');
    now += 100;
    expect(sut.status(job)).toBe('running');
    expect(sut.updatedAtMs(job)).toBe(job.createdAtMs + 100);
    now += 200;
    expect(sut.status(job)).toBe('completed');
    expect(sut.updatedAtMs(job)).toBe(job.createdAtMs + 300);
  });

  it('ends scripted jobs failed', () => {
    const sut = new ExportJobStore(clock, { queuedMs: 0, runningMs: 0 });
    const job = sut.create({ ...input, willFail: true });
    expect(job && sut.status(job)).toBe('failed');
  });

  it('refuses a fourth active job and records the peak', () => {
    const sut = new ExportJobStore(clock, { queuedMs: 100, runningMs: 100 });
    for (let i = 0; i < MAX_ACTIVE_EXPORTS; i += 1) expect(sut.create(input)).toBeDefined();
    expect(sut.create(input)).toBeUndefined();
    expect(sut.activeMax).toBe(3);
    now += 200;
    expect(sut.activeCount()).toBe(0);
    expect(sut.create(input)).toBeDefined();
    expect(sut.activeMax).toBe(3);
  });
});

describe('ExportJobStore with prerendered jobs', () => {
  let now = 1_000_000;
  const input = {
    fromMs: 0,
    toMs: 1,
    query: { dateFrom: 'a', dateTo: 'b' },
    gzip: true,
    willFail: false,
  };
  const prerender = (): {
    finishedAtMs: number | undefined;
    body: Buffer | undefined;
    release: jest.Mock;
  } => ({ finishedAtMs: undefined, body: Buffer.from('x'), release: jest.fn() });

  it('keeps a job running until its render has finished, then dates completion after it', () => {
    const sut = new ExportJobStore(() => now, { queuedMs: 100, runningMs: 200 });
    const job = sut.create(input);
    if (!job) throw new Error('not created');
    const render = prerender();
    job.prerender = render;
    now += 1000;
    expect(sut.status(job)).toBe('running');
    expect(sut.activeCount()).toBe(1);
    render.finishedAtMs = now;
    expect(sut.status(job)).toBe('completed');
    expect(sut.updatedAtMs(job)).toBe(now);
  });

  it('completes on time when the render finished first', () => {
    const sut = new ExportJobStore(() => now, { queuedMs: 100, runningMs: 200 });
    const job = sut.create(input);
    if (!job) throw new Error('not created');
    job.prerender = { ...prerender(), finishedAtMs: now + 1 };
    now += 300;
    expect(sut.status(job)).toBe('completed');
    expect(sut.updatedAtMs(job)).toBe(job.createdAtMs + 300);
  });

  it('releases renders on clear and on eviction', () => {
    const sut = new ExportJobStore(() => now, { queuedMs: 0, runningMs: 0 });
    const first = sut.create(input);
    if (!first) throw new Error('not created');
    const render = prerender();
    first.prerender = { ...render, finishedAtMs: now };
    for (let i = 0; i < 1000; i += 1) sut.create(input);
    expect(sut.get(first.id)).toBeUndefined();
    expect(render.release).toHaveBeenCalledTimes(1);
    const last = sut.list()[0];
    const other = prerender();
    last.prerender = other;
    sut.clear();
    expect(other.release).toHaveBeenCalledTimes(1);
  });
});
