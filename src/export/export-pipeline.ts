import { pipeline as pipelineCb, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { type ExportCounts, zeroCounts } from './export.types';
import { JsonArrayScanner } from './json-array-scanner';
import { validateRecord } from './record-validator';

/** A window attempt's download could not be used (gzip, JSON, size or transport problem). */
export class WindowDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WindowDownloadError';
  }
}

export interface WindowPipelineInput {
  body: Readable;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** Ids already committed by earlier windows of the same export (read only here). */
  seen: ReadonlySet<string>;
  /** Where the window's gzip NDJSON goes (the job store's result writer; the caller commits it). */
  sink: Writable;
  maxDecompressedBytes: number;
  signal?: AbortSignal;
}

export interface WindowPipelineResult {
  counts: ExportCounts;
  /** Ids this window wrote, to be added to the export's seen-set once committed. */
  ids: Set<string>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const CHUNK_BYTES = 256 * 1024;

/**
 * Streams one window's download end to end: inflate (when gzip by Content-Type, Content-Encoding
 * or magic bytes) with a cap on the inflated size, split the JSON array, validate each record,
 * drop ids already seen (in earlier windows or earlier in this one) and write the rest as gzip
 * NDJSON to `sink`. Memory holds one chunk, one element and the id sets. Any
 * failure rejects with WindowDownloadError (or the abort reason when `signal` fired); what reached
 * the sink is then garbage for the caller to remove.
 */
export async function runWindowPipeline(input: WindowPipelineInput): Promise<WindowPipelineResult> {
  const counts = zeroCounts();
  const ids = new Set<string>();
  const { seen } = input;
  async function* toNdjson(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
    const scanner = new JsonArrayScanner();
    for await (const chunk of chunks) {
      let out = '';
      scanner.push(chunk, (value, text) => {
        counts.received += 1;
        const record = validateRecord(value);
        if (!record) {
          counts.schemaErrors += 1;
        } else if (seen.has(record.id) || ids.has(record.id)) {
          counts.duplicates += 1;
        } else {
          ids.add(record.id);
          counts.valid += 1;
          // The source text is kept verbatim unless it spans lines (NDJSON needs one per record).
          out += (hasLineBreak(text) ? JSON.stringify(record) : text) + '\n';
        }
      });
      if (out !== '') yield out;
    }
    scanner.end();
  }
  try {
    await pipeline(
      decodedBody(input.body, input.headers, input.maxDecompressedBytes),
      toNdjson,
      createGzip({ level: 1, chunkSize: CHUNK_BYTES }),
      input.sink,
      { signal: input.signal },
    );
  } catch (err) {
    input.body.destroy();
    if (input.signal?.aborted) throw input.signal.reason;
    throw asDownloadError(err);
  }
  return { counts, ids };
}

function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}

/** The body as raw JSON bytes: inflated when gzip, never more than `maxBytes`. */
async function* decodedBody(
  body: Readable,
  headers: Record<string, string>,
  maxBytes: number,
): AsyncGenerator<Buffer> {
  const source = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await readHead(source);
  const replay = async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  };
  const gzip = isGzipHeader(headers) || (head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1);
  const bytes: AsyncIterable<Buffer> = gzip
    ? pipelineCb(
        Readable.from(replay(), { objectMode: false }),
        createGunzip({ chunkSize: CHUNK_BYTES }),
        () => undefined,
      )
    : replay();
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.length;
    if (total > maxBytes) {
      throw new WindowDownloadError(
        `the download inflates beyond EXPORT_MAX_DECOMPRESSED_BYTES (${maxBytes} bytes)`,
      );
    }
    yield chunk;
  }
}

/** Reads until at least two bytes (enough for the gzip magic) or the end of the body. */
async function readHead(source: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < 2) {
    const next = await source.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    parts.push(chunk);
    length += chunk.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

function isGzipHeader(headers: Record<string, string>): boolean {
  const type = headers['content-type'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  return /gzip/i.test(type) || /gzip/i.test(encoding);
}

function asDownloadError(err: unknown): WindowDownloadError {
  if (err instanceof WindowDownloadError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  if (e?.name === 'JsonArrayParseError')
    return new WindowDownloadError(`malformed JSON: ${message}`, { cause: err });
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new WindowDownloadError(`corrupt or truncated gzip: ${message}`, { cause: err });
  }
  return new WindowDownloadError(`download failed: ${message}`, { cause: err });
}

/** Every record of a committed window (its gzip NDJSON, as the job store reads it), in order. */
export async function* readWindowRecords(
  gzipped: Readable,
): AsyncGenerator<Record<string, unknown>> {
  // pipeline, not pipe: a read error reaches the consumer, and an early stop closes the file.
  const lines = readLines(pipelineCb(gzipped, createGunzip(), () => undefined));
  for await (const line of lines) {
    yield JSON.parse(line) as Record<string, unknown>;
  }
}

/** Ids of a committed window (rebuilding the seen-set on resume). */
export async function* readWindowIds(gzipped: Readable): AsyncGenerator<string> {
  for await (const record of readWindowRecords(gzipped)) yield String(record.id);
}

async function* readLines(stream: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') yield line;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}
