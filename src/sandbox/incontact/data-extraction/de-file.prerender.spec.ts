import { sandboxEntities, type SandboxEntity } from './de-entities';
import { csvFileChunks, type FilePlan } from './de-file';
import { DeFilePrerender } from './de-file.prerender';
import { DeJobStore } from './de-jobs.store';
import { SegmentRowGenerator } from './segment-rows.generator';

const entity = sandboxEntities(42).get('recording-interaction-metadata')?.get('7') as SandboxEntity;
// Enough rows for several ~64 KiB chunks, so the render takes several turns.
const plan: FilePlan = {
  entity,
  rows: new SegmentRowGenerator(42, 2000),
  firstDay: 19_723,
  endDay: 19_724,
};

describe('DeFilePrerender', () => {
  let now = 5000;

  it('renders exactly the bytes the streamed file has', async () => {
    const prerender = DeFilePrerender.start(plan, () => now);
    expect(prerender.parts).toBeUndefined();
    await prerender.ended;
    const streamed = Buffer.from([...csvFileChunks(plan)].join(''), 'utf8');
    expect(prerender.parts!.length).toBeGreaterThan(1);
    expect(Buffer.concat(prerender.parts!).equals(streamed)).toBe(true);
    expect(prerender.finishedAtMs).toBe(5000);
  });

  it('keeps its job RUNNING until the file is ready, and counts retention from then', async () => {
    const jobs = new DeJobStore(() => now);
    const prerender = DeFilePrerender.start(plan, () => now);
    const job = jobs.create({
      tenant: 't',
      plan,
      runningMs: 100,
      retentionMs: 1000,
      willFail: false,
      prerender,
    });
    now += 200;
    expect(jobs.status(job)).toBe('RUNNING');
    await prerender.ended;
    expect(jobs.status(job)).toBe('SUCCEEDED');
    expect(jobs.succeededAtMs(job)).toBe(now);
    now += 999;
    expect(jobs.status(job)).toBe('SUCCEEDED');
    now += 1;
    expect(jobs.status(job)).toBe('EXPIRED');
  });

  it('drops its bytes when released, even mid-render', async () => {
    const prerender = DeFilePrerender.start(plan, () => now);
    prerender.release();
    await prerender.ended;
    expect(prerender.parts).toBeUndefined();
  });
});
