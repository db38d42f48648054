import type { Readable } from 'node:stream';
import type { DateWindow } from './export-windows';

export type UpstreamJobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface UpstreamJob {
  id: string;
  status: UpstreamJobStatus;
  errorMessage?: string;
}

export interface UpstreamDownload {
  stream: Readable;
  headers: Record<string, string>;
}

/**
 * The export capability of an upstream dialect. Services depend on this, not on CxoneClient, so
 * each upstream dialect (src/dialects/*) answers it its own way.
 */
export interface ExportSource {
  /** Starts one upstream export job for a window. A 409 surfaces as UPSTREAM_CONFLICT. */
  create(window: DateWindow, signal?: AbortSignal): Promise<UpstreamJob>;
  /** Upstream jobs that are queued or running (for the concurrency limit). */
  listActive(signal?: AbortSignal): Promise<UpstreamJob[]>;
  get(jobId: string, signal?: AbortSignal): Promise<UpstreamJob>;
  /** The raw (possibly gzip) download body, streamed. */
  download(jobId: string, signal?: AbortSignal): Promise<UpstreamDownload>;
}
export const EXPORT_SOURCE = Symbol('EXPORT_SOURCE');
