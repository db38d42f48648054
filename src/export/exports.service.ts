import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/principal';
import { AppError, type FieldError } from '../common/errors/app-error';
import { Clock } from '../common/clock/clock';
import { streamRows } from '../common/format/tabular-encoders';
import type { CsvOptions } from '../common/format/csv-options';
import type { OutputFormat } from '../common/format/output-format';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { assertAllowedWebhookUrl } from '../webhooks/webhook-target';
import { ExportJobStore, isExportId } from './export-job.store';
import { ExportJobsGauge } from './export-jobs.gauge';
import { exportLinks } from './export-links';
import { ExportResultReader } from './export-result.reader';
import { missingWindows, toStatusView } from './export-view';
import { splitWindows } from './export-windows';
import type {
  CreateExportDto,
  ExportCreatedResponseDto,
  ExportStatusResponseDto,
} from './export.dto';
import { EXPORT_RUNNER, type ExportRunner } from './export.runner';
import { EXPORT_SOURCE, type ExportSource } from './export.source';
import type { ExportDataset } from './export.types';
import { FINISHED_STATUSES, type ExportJobState, type ExportStatus } from './export.types';
import { ExportProcessor } from './export.processor';
import { RECORD_COLUMNS } from './record-validator';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** What a capped key is told to wait: about one upstream window's run. */
const CAP_RETRY_AFTER_S = 30;

export interface ExportRecordsResult {
  stream: Readable;
  headers: Record<string, string>;
}

/**
 * The export use cases behind the API: create (validate, split into windows, persist, enqueue),
 * status, records (streamed from the committed window files) and cancel. An export is visible
 * only to the API key that created it; anyone else gets 404, as for an unknown id.
 */
@Injectable()
export class ExportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: ExportJobStore,
    private readonly reader: ExportResultReader,
    private readonly processor: ExportProcessor,
    private readonly gauge: ExportJobsGauge,
    @Inject(EXPORT_RUNNER) private readonly runner: ExportRunner,
    @Inject(EXPORT_SOURCE) private readonly source: ExportSource,
  ) {}

  async create(dto: CreateExportDto, principal: Principal): Promise<ExportCreatedResponseDto> {
    const { startMs, endMs } = this.checkRange(dto);
    const dataset = this.resolveDataset(dto, startMs, endMs);
    if (dto.webhookUrl !== undefined) {
      assertAllowedWebhookUrl(dto.webhookUrl, this.config.webhook.allowedHosts, 'webhookUrl');
    }
    const windows = splitWindows(startMs, endMs, this.config.export.windowDays);
    const now = new Date(this.clock.now()).toISOString();
    const job: ExportJobState = {
      version: 1,
      id: randomUUID(),
      owner: principal.name,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      status: 'queued',
      windows: windows.map((w, index) => ({
        ...w,
        index,
        status: 'pending',
        upstreamJobId: null,
        attempts: 0,
        counts: null,
      })),
      webhook: {
        url: dto.webhookUrl ?? null,
        state: dto.webhookUrl ? 'pending' : 'none',
        attempts: 0,
      },
      ...(dataset ? { dataset } : {}),
      createdAt: now,
      updatedAt: now,
    };
    const { maxPerKey } = this.config.export;
    const outcome = await this.store.createWithinCap(job, maxPerKey);
    if (!outcome.created) throw capReached(principal.name, maxPerKey, outcome.active);
    this.gauge.created('queued');
    await this.runner.enqueue(job.id);
    return { id: job.id, status: job.status, windows, links: exportLinks(job.id) };
  }

  async status(id: string, principal: Principal): Promise<ExportStatusResponseDto> {
    return this.view(await this.owned(id, principal));
  }

  /** The result as a stream in `format`; 409 NOT_READY unless completed or partial. */
  async records(
    id: string,
    principal: Principal,
    format: OutputFormat,
    csv?: CsvOptions,
  ): Promise<ExportRecordsResult> {
    const job = await this.readableJob(id, principal);
    const headers: Record<string, string> = {};
    if (job.status === 'partial') headers['X-Export-Missing-Windows'] = missingWindows(job);
    const columns = job.dataset ? datasetColumns(job) : RECORD_COLUMNS;
    return { stream: streamRows(this.reader.records(job), format, columns, csv), headers };
  }

  /** The caller's exports, newest first (the OData feed's Exports set). */
  async list(principal: Principal): Promise<ExportStatusResponseDto[]> {
    const jobs = await this.store.list();
    return jobs
      .filter((j) => j.owner === principal.name)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .map((j) => this.view(j));
  }

  /** The records of a completed or partial export as objects, for feeds that page through them. */
  async recordRows(
    id: string,
    principal: Principal,
  ): Promise<AsyncIterable<Record<string, unknown>>> {
    return this.reader.records(await this.readableJob(id, principal));
  }

  private async readableJob(id: string, principal: Principal): Promise<ExportJobState> {
    const job = await this.owned(id, principal);
    if (job.status !== 'completed' && job.status !== 'partial') {
      throw new AppError(
        'NOT_READY',
        `Export ${job.id} is ${job.status}; records are available once it has completed`,
        {
          extensions: { status: job.status },
        },
      );
    }
    if (job.resultsRemoved) throw resultsGone(job, this.config.export.retentionHours);
    return job;
  }

  private view(job: ExportJobState): ExportStatusResponseDto {
    return toStatusView(job, { retentionMs: this.config.export.retentionHours * HOUR_MS });
  }

  /**
   * DELETE: cancels a queued or running export, or removes a finished one's result files (its
   * status stays, saying so; records then answer 410). Repeating it changes nothing.
   */
  async remove(id: string, principal: Principal): Promise<ExportStatusResponseDto> {
    const job = await this.owned(id, principal);
    if (!FINISHED_STATUSES.has(job.status)) {
      const cancelled = await this.cancel(job);
      if (cancelled) return this.view(cancelled);
    }
    // Finished (possibly just now, by the worker or a cancel elsewhere): its files go.
    const reason = job.status === 'cancelled' ? 'cancelled' : 'deleted';
    const discarded = await this.store.discardResults(job.id, reason);
    if (!discarded) throw new AppError('NOT_FOUND', `Export ${id} not found`);
    return this.view(discarded);
  }

  /**
   * Cancels a queued or running export; undefined when it has already finished. The store
   * re-applies the cancel when a worker (on any replica) wrote in between, so it is never lost;
   * the worker sees it at its next write or poll and removes the partial windows it wrote.
   */
  private async cancel(job: ExportJobState): Promise<ExportJobState | undefined> {
    const at = new Date(this.clock.now()).toISOString();
    let from: ExportStatus | undefined;
    const updated = await this.store.update(job.id, (j) => {
      from = undefined;
      if (FINISHED_STATUSES.has(j.status)) return false;
      from = j.status;
      j.status = 'cancelled';
      // One write: nothing of a cancelled export is served, so its windows count as removed.
      j.resultsRemoved = { at, reason: 'cancelled' };
      if (j.webhook.state === 'pending') j.webhook.state = 'none';
    });
    if (!updated || !from) return undefined;
    this.gauge.moved(from, 'cancelled');
    this.processor.stop(job.id, 'cancelled');
    // A queued export has no worker writing: its files (if any) go now. A running one's go once
    // its worker has stopped writing; the sweeper removes them again in any case.
    if (from === 'queued') await this.store.removeResults(job.id);
    return updated;
  }

  private async owned(id: string, principal: Principal): Promise<ExportJobState> {
    const job = isExportId(id) ? await this.store.get(id) : undefined;
    if (!job || job.owner !== principal.name) {
      throw new AppError('NOT_FOUND', `Export ${id} not found`);
    }
    return job;
  }

  /** The dialect's data set for this export; its fields are refused where the dialect has none. */
  private resolveDataset(
    dto: CreateExportDto,
    startMs: number,
    endMs: number,
  ): ExportDataset | undefined {
    const rules = this.source.requestRules;
    if (!rules) {
      const given = (['entity', 'version'] as const).filter((f) => dto[f] !== undefined);
      if (given.length === 0) return undefined;
      const dialect = this.config.cxone.dialect;
      throw AppError.validation(
        given.map((field) => ({
          field,
          message: `${field} is not accepted with CXONE_DIALECT=${dialect}: its exports have no data sets to choose from`,
        })),
      );
    }
    const resolved = rules.resolve({ startMs, endMs, entity: dto.entity, version: dto.version });
    if ('errors' in resolved) throw AppError.validation(resolved.errors);
    return resolved.dataset;
  }

  private checkRange(dto: CreateExportDto): { startMs: number; endMs: number } {
    const startMs = Date.parse(dto.start);
    const endMs = Date.parse(dto.end);
    const errors: FieldError[] = [];
    if (Number.isNaN(startMs))
      errors.push({ field: 'start', message: 'start is not a valid date' });
    if (Number.isNaN(endMs)) errors.push({ field: 'end', message: 'end is not a valid date' });
    if (errors.length === 0 && endMs <= startMs) {
      errors.push({ field: 'end', message: 'end must be after start' });
    }
    const { maxSpanDays } = this.config.export;
    if (errors.length === 0 && endMs - startMs > maxSpanDays * DAY_MS) {
      errors.push({ field: 'end', message: `the range may span at most ${maxSpanDays} days` });
    }
    // An export is read once and then final: a window still in the future would complete
    // without the records that have not happened yet, and nothing would say it is short.
    const latestEndMs = this.clock.now() + FUTURE_END_SKEW_MS;
    if (errors.length === 0 && endMs > latestEndMs) {
      errors.push({
        field: 'end',
        message: `end must not be in the future (an export is final once done); use an end at or before ${new Date(this.clock.now()).toISOString()}`,
      });
    }
    if (errors.length > 0) throw AppError.validation(errors);
    return { startMs, endMs };
  }
}

/** How far ahead of this server's clock an export's end may be (a caller's clock may run fast). */
const FUTURE_END_SKEW_MS = 60_000;

/** The CSV columns of a data-set export: every committed window's fields, in first-seen order. */
function datasetColumns(job: ExportJobState): string[] {
  const columns = new Set<string>();
  for (const w of job.windows) for (const c of w.columns ?? []) columns.add(c);
  return [...columns];
}

function capReached(owner: string, cap: number, active: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    `API key ${owner} already has ${active} queued or running exports, the most allowed per key ` +
      `(EXPORT_MAX_PER_KEY=${cap}); retry once one has finished, or cancel one`,
    { retryAfterS: CAP_RETRY_AFTER_S, extensions: { limit: cap, active } },
  );
}

function resultsGone(job: ExportJobState, retentionHours: number): AppError {
  const removal = job.resultsRemoved;
  const why =
    removal?.reason === 'expired'
      ? `they are kept ${retentionHours} h after the export finished (EXPORT_RETENTION_HOURS)`
      : 'the export was deleted';
  return new AppError(
    'GONE',
    `The records of export ${job.id} were removed at ${removal?.at ?? 'an unknown time'}: ${why}`,
    { extensions: { expiredAt: removal?.at, reason: removal?.reason } },
  );
}
