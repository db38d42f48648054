import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ExportJobStore } from './export-job.store';
import { ExportJobsGauge } from './export-jobs.gauge';
import { EXPORT_RUNNER, type ExportRunner } from './export.runner';

/**
 * Starts the export runner once the app is up (resuming unfinished exports from DATA_DIR) and
 * stops it before connections close on shutdown, so running exports stop between steps with
 * their state saved and resume on the next start.
 */
@Injectable()
export class ExportLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ExportLifecycle');

  constructor(
    private readonly store: ExportJobStore,
    private readonly gauge: ExportJobsGauge,
    @Inject(EXPORT_RUNNER) private readonly runner: ExportRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      // Seeding the gauge may fail (state in an unreachable Redis); the runner starts anyway.
      this.gauge.reset(await this.store.list().catch(() => []));
      await this.runner.start();
    } catch (err) {
      // Export resumption must not keep the rest of the gateway from starting.
      this.logger.error(`Could not start the export runner: ${(err as Error).message}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
