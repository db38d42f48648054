import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock, type ClockTimer } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { ExportJobStore } from './export-job.store';
import { finishedAtMs } from './export-view';
import { FINISHED_STATUSES, type ExportJobState } from './export.types';

const HOUR_MS = 3_600_000;

/** What one sweep did. */
export interface SweepSummary {
  /** Finished exports whose results ran past EXPORT_RETENTION_HOURS and were removed. */
  expired: number;
  /** Cancelled exports whose partial windows were removed. */
  cancelled: number;
  /** Exports forgotten altogether (results removed more than EXPORT_RETENTION_HOURS ago). */
  forgotten: number;
}

/**
 * Keeps DATA_DIR from filling up with export results. Every EXPORT_SWEEP_INTERVAL_S (on the
 * injected Clock) it removes the result files of exports that finished more than
 * EXPORT_RETENTION_HOURS ago, and the partial windows of cancelled ones; their status stays,
 * naming when and why (`expiredAt`, `expiredReason`), for another EXPORT_RETENTION_HOURS, after
 * which the export is forgotten (404). Every replica sweeps; the store's compare-and-set lets one
 * of them mark an export and removing a file twice is harmless.
 */
@Injectable()
export class ExportRetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ExportRetention');
  private timer?: ClockTimer;
  private sweeping?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: ExportJobStore,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.sweeping;
  }

  /** Resolves once the sweep the timer started (if any) has ended. */
  async idle(): Promise<void> {
    await this.sweeping;
  }

  /** One pass over every export (also what the timer runs). */
  async sweep(): Promise<SweepSummary> {
    const summary: SweepSummary = { expired: 0, cancelled: 0, forgotten: 0 };
    const retentionMs = this.config.export.retentionHours * HOUR_MS;
    const now = this.clock.now();
    for (const job of await this.store.list()) {
      if (!FINISHED_STATUSES.has(job.status)) continue;
      if (job.resultsRemoved) {
        if (Date.parse(job.resultsRemoved.at) + retentionMs <= now) {
          await this.store.delete(job.id);
          summary.forgotten += 1;
        } else {
          // Idempotent: catches a removal interrupted between marking and deleting the files.
          await this.store.removeResults(job.id);
        }
      } else if (job.status === 'cancelled') {
        await this.store.discardResults(job.id, 'cancelled');
        summary.cancelled += 1;
      } else if ((finishedAtMs(job) ?? now) + retentionMs <= now) {
        await this.expire(job);
        summary.expired += 1;
      }
    }
    return summary;
  }

  private async expire(job: ExportJobState): Promise<void> {
    await this.store.discardResults(job.id, 'expired');
    this.logger.log(
      `Export ${job.id} (${job.status}, finished ${job.finishedAt ?? job.updatedAt}): results ` +
        `removed after EXPORT_RETENTION_HOURS=${this.config.export.retentionHours}`,
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(this.config.export.sweepIntervalS * 1000, () => {
      this.sweeping = this.sweep()
        .then((s) => {
          if (s.expired + s.cancelled + s.forgotten > 0) {
            this.logger.debug(
              `Swept: ${s.expired} expired, ${s.cancelled} cancelled, ${s.forgotten} forgotten`,
            );
          }
        })
        .catch((err: unknown) => {
          // The state store may be down; the next round tries again.
          this.logger.warn(`Export retention sweep failed: ${(err as Error).message}`);
        })
        .finally(() => this.schedule());
    });
  }
}
