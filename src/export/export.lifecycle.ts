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

  private starting: Promise<string[]> | undefined;

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

  /**
   * The exports the start found unfinished and queued again (none when the start failed); an
   * export not among them is left alone by this process until someone queues it.
   */
  async resumed(): Promise<string[]> {
    return (await this.starting) ?? [];
  }

  private async start(): Promise<string[]> {
    try {
      // Seeding the gauge may fail (state in an unreachable Redis); the runner starts anyway.
      this.gauge.reset(await this.store.list().catch(() => []));
      return await this.runner.start();
    } catch (err) {
      // Export resumption must not keep the rest of the gateway from starting.
      this.logger.error(`Could not start the export runner: ${(err as Error).message}`);
      return [];
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A runner still starting must finish before it can stop cleanly.
    await this.starting;
    await this.runner.stop();
  }
}
