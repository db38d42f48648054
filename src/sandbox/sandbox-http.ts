import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ExportJob } from './export-jobs.store';

/** What a handler sees: the parsed request line, path params and the raw body. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface JsonResult {
  kind: 'json';
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A streamed export download; the server owns the streaming. */
export interface DownloadResult {
  kind: 'download';
  job: ExportJob;
}

/** A body that is not JSON (or no body at all: a 204 has `text: ''` and no content type). */
export interface TextResult {
  kind: 'text';
  status: number;
  text: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** An answer the handler writes itself (a streamed file); `status` is what the stats count. */
export interface RawResult {
  kind: 'raw';
  status: number;
  send(res: ServerResponse): void;
}

export type HandlerResult = JsonResult | DownloadResult | TextResult | RawResult;

export const MAX_BODY_BYTES = 1024 * 1024;

export function json(status: number, body: unknown, headers?: Record<string, string>): JsonResult {
  return { kind: 'json', status, body, headers };
}

/** The error body every upstream route uses: `{error, message}`. */
export function failure(status: number, error: string, message: string): JsonResult {
  return json(status, { error, message });
}

export function text(
  status: number,
  body: string,
  contentType?: string,
  headers?: Record<string, string>,
): TextResult {
  return { kind: 'text', status, text: body, contentType, headers };
}

/** 204 No Content (the inContact answer to an empty window). */
export function noContent(headers?: Record<string, string>): TextResult {
  return text(204, '', undefined, headers);
}

export class BodyTooLargeError extends Error {}

/** Reads the whole body, refusing more than MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty body is `undefined`. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  text: string,
  headers?: Record<string, string>,
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, result: TextResult): void {
  const headers: Record<string, string | number> = { ...result.headers };
  if (result.contentType !== undefined) headers['Content-Type'] = result.contentType;
  if (result.status !== 204 && result.status !== 304)
    headers['Content-Length'] = Buffer.byteLength(result.text);
  res.writeHead(result.status, headers);
  res.end(result.status === 204 ? undefined : result.text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
