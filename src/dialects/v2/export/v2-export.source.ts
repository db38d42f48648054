import { Injectable } from '@nestjs/common';
import { CxoneClient } from '../../../cxone/cxone.client';
import type { DateWindow } from '../../../export/export-windows';
import type {
  ExportSource,
  UpstreamDownload,
  UpstreamJob,
  UpstreamJobStatus,
} from '../../../export/export.source';

const STATUSES: readonly UpstreamJobStatus[] = ['queued', 'running', 'completed', 'failed'];
const BASE = '/api/v2/analytics/exports';

/** The seed dialect ("v2", v2 §exports): `/api/v2/analytics/exports`. */
@Injectable()
export class V2ExportSource implements ExportSource {
  constructor(private readonly cxone: CxoneClient) {}

  async create(window: DateWindow, signal?: AbortSignal): Promise<UpstreamJob> {
    const res = await this.cxone.request(
      {
        operation: 'exportCreate',
        method: 'POST',
        path: BASE,
        body: {
          query: { dateFrom: window.dateFrom, dateTo: window.dateTo, filter: "type eq 'bot'" },
          exportType: 'conversation',
          format: 'json',
          compression: 'gzip',
          includeHeaders: true,
        },
        signal,
      },
      (data) => toJob(data, 'queued'),
    );
    return res.data;
  }

  async listActive(signal?: AbortSignal): Promise<UpstreamJob[]> {
    const res = await this.cxone.request(
      {
        operation: 'exportList',
        method: 'GET',
        path: BASE,
        query: { status: 'queued,running' },
        signal,
      },
      toJobList,
    );
    return res.data.filter((j) => j.status === 'queued' || j.status === 'running');
  }

  async get(jobId: string, signal?: AbortSignal): Promise<UpstreamJob> {
    const res = await this.cxone.request(
      {
        operation: 'exportGet',
        method: 'GET',
        path: `${BASE}/${encodeURIComponent(jobId)}`,
        signal,
      },
      (data) => toJob(data),
    );
    return res.data;
  }

  async download(jobId: string, signal?: AbortSignal): Promise<UpstreamDownload> {
    const res = await this.cxone.stream({
      operation: 'exportDownload',
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(jobId)}/download`,
      headers: { 'Accept-Encoding': 'gzip' },
      signal,
    });
    return { stream: res.stream, headers: res.headers };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an export job body; `fallbackStatus` covers a create answer without a status. */
function toJob(data: unknown, fallbackStatus?: UpstreamJobStatus): UpstreamJob {
  if (!isRecord(data) || typeof data.id !== 'string' || data.id === '') {
    throw new Error('export job without an id');
  }
  const status = data.status ?? fallbackStatus;
  if (!STATUSES.includes(status as UpstreamJobStatus)) {
    throw new Error(`export job ${data.id} has an unknown status`);
  }
  const job: UpstreamJob = { id: data.id, status: status as UpstreamJobStatus };
  if (typeof data.errorMessage === 'string') job.errorMessage = data.errorMessage;
  return job;
}

function toJobList(data: unknown): UpstreamJob[] {
  if (!isRecord(data) || !Array.isArray(data.entities)) throw new Error('expected {entities: []}');
  return data.entities.map((e) => toJob(e));
}
