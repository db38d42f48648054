import { sandboxEntities, type SandboxEntity } from './de-entities';
import { DeCallThrottle, DeJobStore } from './de-jobs.store';
import { SegmentRowGenerator } from './segment-rows.generator';

const entity = sandboxEntities(42).get('recording-interaction-metadata')?.get('7') as SandboxEntity;
const plan = { entity, rows: new SegmentRowGenerator(42, 10), firstDay: 19_723, endDay: 19_724 };

describe('DeJobStore', () => {
  let now = 1_000_000;
  const sut = new DeJobStore(() => now);
  beforeEach(() => sut.clear());

  it('moves RUNNING → SUCCEEDED → EXPIRED with the clock', () => {
    const job = sut.create({
      tenant: 't',
      plan,
      runningMs: 5000,
      retentionMs: 60_000,
      willFail: false,
    });
    expect(sut.status(job)).toBe('RUNNING');
    now += 4999;
    expect(sut.status(job)).toBe('RUNNING');
    now += 1;
    expect(sut.status(job)).toBe('SUCCEEDED');
    expect(sut.succeededAtMs(job)).toBe(now);
    now += 59_999;
    expect(sut.status(job)).toBe('SUCCEEDED');
    now += 1;
    expect(sut.status(job)).toBe('EXPIRED');
  });

  it('ends a scripted job FAILED, and keeps tenants apart', () => {
    const job = sut.create({ tenant: 'a', plan, runningMs: 0, retentionMs: 1000, willFail: true });
    expect(sut.status(job)).toBe('FAILED');
    expect(sut.get('a', job.id)).toBe(job);
    expect(sut.get('b', job.id)).toBeUndefined();
    expect(sut.list('b')).toEqual([]);
  });

  it('counts creates made while another job of the tenant runs', () => {
    sut.create({ tenant: 'a', plan, runningMs: 5000, retentionMs: 1000, willFail: false });
    sut.create({ tenant: 'b', plan, runningMs: 5000, retentionMs: 1000, willFail: false });
    expect(sut.createsWhileRunning).toBe(0);
    expect(sut.runningHighWater).toBe(1);
    sut.create({ tenant: 'a', plan, runningMs: 5000, retentionMs: 1000, willFail: false });
    expect(sut.createsWhileRunning).toBe(1);
    expect(sut.runningHighWater).toBe(2);
  });
});

describe('DeCallThrottle', () => {
  let now = 0;
  const sut = new DeCallThrottle(() => now);
  beforeEach(() => {
    sut.reset();
    now = 0;
  });

  it('with scope create, spaces creates per tenant and lets polls through', () => {
    expect(sut.admit('a', 'create', 'create', 30_000)).toBe(true);
    expect(sut.admit('a', 'get', 'create', 30_000)).toBe(true);
    expect(sut.admit('b', 'create', 'create', 30_000)).toBe(true);
    now = 29_999;
    expect(sut.admit('a', 'create', 'create', 30_000)).toBe(false);
    now = 30_000;
    expect(sut.admit('a', 'create', 'create', 30_000)).toBe(true);
    expect(sut.throttled).toEqual({ create: 1, list: 0, get: 0 });
  });

  it('with scope all, counts every call, and a throttled call does not restart the window', () => {
    expect(sut.admit('a', 'create', 'all', 30_000)).toBe(true);
    now = 10_000;
    expect(sut.admit('a', 'get', 'all', 30_000)).toBe(false);
    now = 29_000;
    expect(sut.admit('a', 'list', 'all', 30_000)).toBe(false);
    now = 30_000;
    expect(sut.admit('a', 'get', 'all', 30_000)).toBe(true);
    expect(sut.throttled).toEqual({ create: 0, list: 1, get: 1 });
  });
});
