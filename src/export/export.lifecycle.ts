import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { withTimeout } from '../common/concurrency/with-timeout';
import { ExportJobStore } from './export-job.store';
import { ExportJobsGauge } from './export-jobs.gauge';
import { EXPORT_RUNNER, type ExportRunner } from './export.runner';

/**
 * Starts the export runner once the app is up (resuming unfinished exports from DATA_DIR) and
 * stops it before connections close on shutdown, so running exports stop between steps with
 * their state saved and resume on the next start.
 */
/** How long startup waits for the runner before letting it finish in the background. */
const STARTUP_WAIT_MS = 1500;

@Injectable()
export class ExportLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ExportLifecycle');

  private starting: Promise<void> | undefined;

  constructor(
    private readonly store: ExportJobStore,
    private readonly gauge: ExportJobsGauge,
    @Inject(EXPORT_RUNNER) private readonly runner: ExportRunner,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.starting = this.start();
    try {
      // With the export state's Redis unreachable, seeding and resuming wait for reconnects:
      // the rest of the gateway (and readiness, which then reports Redis down) must not wait.
      await withTimeout(this.starting, {
        ms: STARTUP_WAIT_MS,
        clock: this.clock,
        what: 'export runner start',
      });
    } catch (err) {
      this.logger.warn(`Export runner still starting in the background: ${(err as Error).message}`);
    }
  }

  private async start(): Promise<void> {
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
    // A runner still starting must finish before it can stop cleanly.
    await this.starting;
    await this.runner.stop();
  }
}
