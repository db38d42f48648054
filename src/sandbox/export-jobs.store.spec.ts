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
