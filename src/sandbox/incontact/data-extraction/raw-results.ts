import type { ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { RawResult } from '../../sandbox-http';

/** A short `text/plain` answer (the throttle's body is not documented as JSON). */
export function textResult(status: number, text: string): RawResult {
  return {
    kind: 'raw',
    status,
    send: (res) => {
      res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    },
  };
}

/** An S3-style XML error document, as the storage host of a pre-signed URL answers. */
export function storageError(status: number, code: string, message: string): RawResult {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return {
    kind: 'raw',
    status,
    send: (res) => {
      res.writeHead(status, {
        'Content-Type': 'application/xml',
        'Content-Length': Buffer.byteLength(xml),
      });
      res.end(xml);
    },
  };
}

/**
 * Streams text chunks with backpressure. With `cut`, the socket is destroyed once the chunks
 * run out, so the client sees a body that never ended properly (a dropped connection).
 */
export function streamResult(options: {
  headers: Record<string, string>;
  chunks: Iterable<string | Buffer>;
  cut?: boolean;
  done?: () => void;
}): RawResult {
  return {
    kind: 'raw',
    status: 200,
    send: (res: ServerResponse) => {
      res.writeHead(200, options.headers);
      const source = Readable.from(options.chunks, { objectMode: false });
      if (!options.cut) {
        // A client that disconnects mid-download is normal here; the error only means "stop".
        pipeline(source, res, () => options.done?.());
        return;
      }
      source.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) {
          source.pause();
          res.once('drain', () => source.resume());
        }
      });
      // Once what was written has been flushed, drop the socket without the final empty chunk.
      source.on('end', () => res.write('', () => res.destroy()));
      source.on('error', () => res.destroy());
    },
  };
}
