import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Clock } from '../../../common/clock/clock';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig, ExportEntitySchema } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import type { DateWindow } from '../../../export/export-windows';
import type { ExportDataset } from '../../../export/export.types';
import type {
  ExportRequestRules,
  ExportSource,
  ParsedDownload,
  UpstreamJob,
} from '../../../export/export.source';
import { readCsvRecords } from './csv-records.reader';
import { DataExtractionPacer, DE_CALL_INTERVAL_MS, type DeCallKind } from './de-call.pacer';
import { parseCreatedJobId, parseJobStatus, parseRunningJobs } from './de-job.parse';
import { incontactExportRules } from './export-request.rules';
import { StorageDownloader, StorageRefusedError } from './storage-download';

const JOBS = '/data-extraction/v1/jobs';
const DAY_MS = 86_400_000;
/** Throttle answers in a row before a call gives up (403 may also mean a missing permission). */
const MAX_THROTTLE_ANSWERS = 6;
/**
 * A URL is valid 30 s from when CXone minted it; one received longer ago than this is not used
 * (the download must start well inside the validity, whatever the network took).
 */
const URL_REUSE_MS = 20_000;
const MAX_KEPT_URLS = 100;
const MAX_CREATE_ANSWER_BYTES = 4096;

/**
 * Exports from the Data Extraction API: one job per window (`POST /data-extraction/v1/jobs`
 * with the entity, its version and the window as whole UTC days, endDate exclusive), polled
 * until SUCCEEDED, then its CSV file fetched from the pre-signed storage URL — without the
 * CXone token — and parsed as it streams. Every call is paced per tenant (DataExtractionPacer:
 * creates 31 s apart, a throttle answer waits 31 s and retries); a lapsed URL is replaced by a
 * fresh poll, and a job whose file cannot be had any more is created again.
 */
@Injectable()
export class IncontactExportSource implements ExportSource {
  private readonly logger = new Logger('IncontactExport');
  readonly requestRules: ExportRequestRules;
  /** Room inside the creation lock for a paced list and a paced create, throttle retries included. */
  readonly createLockTtlMs = 2 * MAX_THROTTLE_ANSWERS * DE_CALL_INTERVAL_MS + 60_000;
  /** The last URL each job was polled with, and when (bounded: only recent jobs matter). */
  private readonly urls = new Map<string, { url: string; receivedAt: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly cxone: CxoneClient,
    private readonly pacer: DataExtractionPacer,
    private readonly storage: StorageDownloader,
  ) {
    this.requestRules = incontactExportRules(config.export);
  }

  async create(
    window: DateWindow,
    signal?: AbortSignal,
    dataset?: ExportDataset,
  ): Promise<UpstreamJob> {
    const { entity, version } = dataset ?? {
      entity: this.config.export.entity,
      version: this.config.export.entityVersion,
    };
    const body = {
      entityName: entity,
      version,
      startDate: utcDay(Date.parse(window.dateFrom)),
      // Exclusive: the day after the window's last day (a partial day counts as a whole one).
      endDate: utcDay(Math.ceil(Date.parse(window.dateTo) / DAY_MS) * DAY_MS),
    };
    const id = await this.paced('create', signal, async () => {
      const res = await this.cxone.stream({
        operation: 'exportCreate',
        method: 'POST',
        path: JOBS,
        body,
        headers: { 'Content-Type': 'application/json' },
        signal,
      });
      // Read as text: the answer is a bare JSON string, which is data here, not a protocol error.
      const text = await readSmallText(res.stream, res.headers['content-encoding']);
      try {
        return parseCreatedJobId(text);
      } catch (err) {
        throw new AppError(
          'UPSTREAM_ERROR',
          `unexpected answer from CXone for exportCreate: ${(err as Error).message}`,
        );
      }
    });
    this.logger.log(
      `Data Extraction job ${id} created for ${body.startDate}..${body.endDate} (exclusive)`,
    );
    return { id, status: 'running' };
  }

  listActive(signal?: AbortSignal): Promise<UpstreamJob[]> {
    return this.paced('list', signal, async () => {
      const res = await this.cxone.request(
        { operation: 'exportList', method: 'GET', path: JOBS, signal },
        parseRunningJobs,
      );
      return res.data;
    });
  }

  async get(jobId: string, signal?: AbortSignal): Promise<UpstreamJob> {
    const job = await this.paced('get', signal, async () => {
      const res = await this.cxone.request(
        {
          operation: 'exportGet',
          method: 'GET',
          path: `${JOBS}/${encodeURIComponent(jobId)}`,
          signal,
        },
        (data) => parseJobStatus(data, jobId),
      );
      return res.data;
    });
    if (job.url) this.remember(jobId, job.url);
    const { url: _url, ...mapped } = job;
    return mapped;
  }

  /**
   * The job's file as records. A URL the storage refuses (lapsed) is replaced by polling the
   * job again; refused twice, or a job that no longer has a file, is UPSTREAM_NOT_FOUND, which
   * makes the export create the window's job again.
   */
  async download(
    jobId: string,
    signal?: AbortSignal,
    target?: { window: DateWindow; dataset?: ExportDataset },
  ): Promise<ParsedDownload> {
    if (!target) throw new Error('a Data Extraction download needs its window');
    const schema = this.schemaFor(target.dataset);
    for (let round = 0; round < 2; round += 1) {
      const url = await this.downloadUrl(jobId, round > 0, signal);
      let body: Readable;
      try {
        body = await this.storage.fetch(url, signal);
      } catch (err) {
        if (!(err instanceof StorageRefusedError)) throw err;
        this.logger.warn(`Data Extraction job ${jobId}: ${err.message}; polling for a fresh URL`);
        this.urls.delete(jobId);
        continue;
      }
      return readCsvRecords(body, {
        schema,
        fromMs: Date.parse(target.window.dateFrom),
        toMs: Date.parse(target.window.dateTo),
        maxBytes: this.config.export.maxDecompressedBytes,
        onOutsideWindow: (rows) => {
          if (rows > 0)
            this.logger.log(
              `Data Extraction job ${jobId}: skipped ${rows} row(s) dated outside the window (counts.outsideWindow)`,
            );
        },
      });
    }
    throw new AppError(
      'UPSTREAM_NOT_FOUND',
      `the storage refused two fresh download URLs of Data Extraction job ${jobId}; the job is created again`,
    );
  }

  /** A URL from a poll at most URL_REUSE_MS ago, or from a new poll. */
  private async downloadUrl(jobId: string, fresh: boolean, signal?: AbortSignal): Promise<string> {
    const known = this.urls.get(jobId);
    if (!fresh && known && this.clock.now() - known.receivedAt < URL_REUSE_MS) return known.url;
    const job = await this.get(jobId, signal);
    const url = this.urls.get(jobId)?.url;
    if (job.status === 'completed' && url) return url;
    const why =
      job.status === 'completed' ? 'it has no download URL' : (job.errorMessage ?? job.status);
    throw new AppError(
      'UPSTREAM_NOT_FOUND',
      `Data Extraction job ${jobId} has no file to download: ${why}`,
    );
  }

  private schemaFor(dataset: ExportDataset | undefined): ExportEntitySchema {
    const entity = dataset?.entity ?? this.config.export.entity;
    const schema = this.config.export.entitySchemas[entity];
    if (!schema)
      throw new AppError(
        'CONFLICT',
        `entity ${entity} has no schema any more (EXPORT_ENTITY_SCHEMAS)`,
      );
    return schema;
  }

  private remember(jobId: string, url: string): void {
    this.urls.delete(jobId);
    this.urls.set(jobId, { url, receivedAt: this.clock.now() });
    if (this.urls.size > MAX_KEPT_URLS) this.urls.delete(this.urls.keys().next().value as string);
  }

  /**
   * One Data Extraction call under the tenant's pacing; a throttle answer (403 or 429) waits 31 s
   * and sends it again, at most MAX_THROTTLE_ANSWERS times.
   */
  private async paced<T>(
    kind: DeCallKind,
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    for (let answers = 1; ; answers += 1) {
      await this.pacer.beforeCall(kind, signal);
      try {
        return await call();
      } catch (err) {
        const status = throttleStatus(err);
        if (status === undefined) throw err;
        await this.pacer.throttled(kind);
        if (answers >= MAX_THROTTLE_ANSWERS) {
          throw new AppError(
            'RATE_LIMITED',
            `Data Extraction refused ${answers} ${kind} calls in a row (HTTP ${status}): its one-call-per-30-s limit, or an access key without the Data Extraction permission`,
            { retryAfterS: DE_CALL_INTERVAL_MS / 1000, cause: err },
          );
        }
        this.logger.warn(
          `Data Extraction throttled a ${kind} (HTTP ${status}); sending it again in 31 s`,
        );
      }
    }
  }
}

/** The HTTP status when `err` is a Data Extraction throttle answer (403 or 429). */
function throttleStatus(err: unknown): number | undefined {
  if (!(err instanceof AppError)) return undefined;
  const upstream = err.extensions?.upstream as { status?: number } | undefined;
  const status = upstream?.status;
  if (status === 403 || status === 429) return status;
  return err.code === 'RATE_LIMITED' ? 429 : undefined;
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A short answer body as text, inflated when the server compressed it. */
async function readSmallText(stream: Readable, encoding: string | undefined): Promise<string> {
  const decoded =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? stream.pipe(createGunzip())
      : encoding === 'deflate'
        ? stream.pipe(createInflate())
        : encoding === 'br'
          ? stream.pipe(createBrotliDecompress())
          : stream;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_CREATE_ANSWER_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
