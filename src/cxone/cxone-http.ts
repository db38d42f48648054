import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { AxiosInstance, AxiosResponse, isAxiosError } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  params?: Record<string, string | number | undefined>;
  /** A JSON value, or a string sent as is (e.g. a form body). */
  data?: unknown;
  headers: Record<string, string>;
  /** Aborting it really closes the socket (per-attempt timeout, deadline, caller cancel). */
  signal: AbortSignal;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when the body is not JSON, undefined when empty. */
  body: unknown;
  /** False when the body is not JSON (a truncated or garbled answer, an HTML error page). */
  bodyParsed: boolean;
}

export interface HttpStreamResult {
  status: number;
  headers: Record<string, string>;
  stream: Readable;
}

/**
 * The one HTTP transport to CXone: a single axios instance over keep-alive agents, statuses
 * returned rather than thrown, redirects refused (a redirect would replay the bearer token to
 * another host). No policies here: the client and the token provider own retries and mapping.
 */
@Injectable()
export class CxoneHttp implements OnApplicationShutdown {
  private readonly httpAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
  private readonly axios: AxiosInstance = axios.create({
    httpAgent: this.httpAgent,
    httpsAgent: this.httpsAgent,
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
  });

  /** Sends a call and reads the whole body as text, decoding JSON when it is JSON. */
  async send(call: HttpCall): Promise<HttpResult> {
    const res: AxiosResponse<string> = await this.axios.request({
      ...this.base(call),
      responseType: 'text',
      // Parse ourselves so malformed JSON is detected instead of silently passed on as a string.
      transformResponse: [(raw: string) => raw],
    });
    return { status: res.status, headers: plainHeaders(res.headers), ...decodeBody(res.data) };
  }

  /**
   * Sends a call and hands back the raw body stream, compressed or not (`decompress: false`):
   * the caller reads Content-Encoding / Content-Type and decides how to inflate.
   */
  async stream(call: HttpCall): Promise<HttpStreamResult> {
    const res: AxiosResponse<Readable> = await this.axios.request({
      ...this.base(call),
      responseType: 'stream',
      decompress: false,
    });
    return { status: res.status, headers: plainHeaders(res.headers), stream: res.data };
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private base(call: HttpCall) {
    return {
      method: call.method,
      url: call.url,
      params: call.params,
      data: call.data,
      headers: call.headers,
      signal: call.signal,
    };
  }
}

/** A short, secret-free description of a transport error (ECONNRESET, ECONNREFUSED…). */
export function describeNetworkError(err: unknown): string {
  if (isAxiosError(err)) {
    const cause: unknown = err.cause;
    const causeCode = (cause as NodeJS.ErrnoException | undefined)?.code;
    return causeCode ?? err.code ?? 'network error';
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'network error';
}

function plainHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    out[key.toLowerCase()] = headerText(value);
  }
  return out;
}

function headerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function decodeBody(text: string | undefined): { body: unknown; bodyParsed: boolean } {
  if (text === undefined || text.trim() === '') return { body: undefined, bodyParsed: true };
  try {
    return { body: JSON.parse(text) as unknown, bodyParsed: true };
  } catch {
    return { body: text, bodyParsed: false };
  }
}

const MAX_ERROR_BODY_BYTES = 8192;

/** Reads at most a few KB of an error response's stream (for CXone's message), then closes it. */
export async function readErrorBody(stream: Readable): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      size += buf.length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // A broken error body still leaves the status to report.
  } finally {
    stream.destroy();
  }
  const text = Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** After a stream is handed over, the caller's signal still cancels the download. */
export function cancelWith(stream: Readable, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const onAbort = (): void => {
    stream.destroy(new Error('download cancelled'));
  };
  if (signal.aborted) return onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
}
