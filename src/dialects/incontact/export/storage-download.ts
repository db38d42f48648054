import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';

/** The storage host refused the URL (403: lapsed, or its signature no longer holds). */
export class StorageRefusedError extends Error {
  constructor(
    readonly status: number,
    host: string,
  ) {
    super(`the storage host ${host} refused the download URL (HTTP ${status})`);
    this.name = 'StorageRefusedError';
  }
}

/** The download failed for another reason (the same URL may work again). */
export class StorageDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageDownloadError';
  }
}

const MAX_ERROR_BYTES = 4096;

/**
 * Fetches a Data Extraction file from its pre-signed storage URL. Deliberately apart from the
 * CXone client: the URL points at a third-party storage host, so this request carries no
 * Authorization header (the CXone token would leak there, and the storage refuses a request
 * with two credentials), follows no redirect, and never puts the URL (its signature is a
 * credential) in an error or a log; only the host is named. The per-call timeout covers the wait
 * for the answer's headers; the caller's signal cancels the body afterwards.
 */
@Injectable()
export class StorageDownloader implements OnApplicationShutdown {
  private readonly httpAgent = new http.Agent({ keepAlive: false });
  private readonly httpsAgent = new https.Agent({ keepAlive: false });
  private readonly axios: AxiosInstance = axios.create({
    httpAgent: this.httpAgent,
    httpsAgent: this.httpsAgent,
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The file's body, streamed; throws StorageRefusedError on 403/404, StorageDownloadError else. */
  async fetch(url: string, signal?: AbortSignal): Promise<Readable> {
    const host = safeHost(url);
    const headersTimeout = new AbortController();
    const timer = this.clock.setTimer(this.config.cxone.timeoutMs, () => headersTimeout.abort());
    const onAbort = () => headersTimeout.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let res: AxiosResponse<Readable>;
    try {
      res = await this.axios.get<Readable>(url, {
        responseType: 'stream',
        signal: headersTimeout.signal,
        // Only what the storage needs; nothing that identifies us to CXone.
        headers: { Accept: 'text/csv, */*' },
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const why = headersTimeout.signal.aborted
        ? `no answer within ${this.config.cxone.timeoutMs} ms`
        : describe(err);
      throw new StorageDownloadError(`the file download from ${host} failed (${why})`, {
        cause: err,
      });
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
    if (res.status >= 200 && res.status < 300) {
      signal?.addEventListener('abort', () => res.data.destroy(signal.reason as Error), {
        once: true,
      });
      return res.data;
    }
    await drain(res.data);
    if (res.status === 403 || res.status === 404) throw new StorageRefusedError(res.status, host);
    throw new StorageDownloadError(`the storage host ${host} answered HTTP ${res.status}`);
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  return e?.cause?.code ?? e?.code ?? 'network error';
}

/** Reads (and drops) a few KB of an error body so the socket is released. */
async function drain(stream: Readable): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size >= MAX_ERROR_BYTES) break;
    }
  } catch {
    // The status is what matters here.
  } finally {
    stream.destroy();
  }
}
