import { addCounts, type ExportCounts, type ExportJobState, zeroCounts } from './export.types';

/** Export counts: the sum over committed windows (failed attempts never count). */
export function totalCounts(job: ExportJobState): ExportCounts {
  return job.windows.reduce((sum, w) => (w.counts ? addCounts(sum, w.counts) : sum), zeroCounts());
}

/** Final status from window outcomes: all committed → completed, none → failed, else partial. */
export function finalStatus(job: ExportJobState): 'completed' | 'partial' | 'failed' {
  const done = job.windows.filter((w) => w.status === 'completed').length;
  if (done === job.windows.length) return 'completed';
  return done === 0 ? 'failed' : 'partial';
}
