import { Injectable } from '@nestjs/common';
import { MetricsService } from '../observability/metrics.service';
import { EXPORT_STATUSES, type ExportJobState, type ExportStatus } from './export.types';

/**
 * Feeds the `gateway_export_jobs{status}` gauge: seeded from DATA_DIR at startup, then moved on
 * every status change this replica makes (with several replicas, each reports what it saw).
 */
@Injectable()
export class ExportJobsGauge {
  constructor(private readonly metrics: MetricsService) {}

  reset(jobs: readonly ExportJobState[]): void {
    for (const status of EXPORT_STATUSES) {
      this.metrics.jobs.set({ status }, jobs.filter((j) => j.status === status).length);
    }
  }

  created(status: ExportStatus): void {
    this.metrics.jobs.inc({ status });
  }

  moved(from: ExportStatus, to: ExportStatus): void {
    if (from === to) return;
    this.metrics.jobs.dec({ status: from });
    this.metrics.jobs.inc({ status: to });
  }
}
