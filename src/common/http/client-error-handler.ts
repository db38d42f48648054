import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors/error-codes';
import { PROBLEM_CONTENT_TYPE, problemShape, problemType } from '../errors/problem';

/** Node's HTTP parser codes we can explain; anything else is "not parseable HTTP". */
const PARSER_DETAILS: Record<string, string> = {
  // llhttp may report a Content-Length / Transfer-Encoding conflict under either code.
  HPE_UNEXPECTED_CONTENT_LENGTH:
    'The Content-Length header is repeated, or sent beside Transfer-Encoding; send one length header, once',
  HPE_INVALID_TRANSFER_ENCODING:
    'The Transfer-Encoding header is not valid, or is sent beside Content-Length; send one of them',
  HPE_INVALID_HEADER_TOKEN: 'A header name or value contains a character not allowed (e.g. NUL)',
  HPE_INVALID_CONTENT_LENGTH: 'The Content-Length header is not valid',
  HPE_INVALID_METHOD: 'The request method is not valid',
  HPE_INVALID_URL: 'The request target is not valid',
  HPE_INVALID_VERSION: 'The HTTP version is not valid',
  HPE_INVALID_CHUNK_SIZE: 'A chunk size of the chunked body is not valid',
};

function describe(err: NodeJS.ErrnoException): { code: ErrorCode; detail: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { code: 'HEADERS_TOO_LARGE', detail: 'The request headers exceed the size limit' };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time' };
  }
  const detail = (err.code && PARSER_DETAILS[err.code]) ?? 'The request is not valid HTTP/1.1';
  return { code: 'MALFORMED_REQUEST', detail };
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before any route runs
 * (oversized headers, Content-Length with Transfer-Encoding, NUL in a header, slow requests)
 * are answered as problem+json like every other error, instead of Fastify's plain JSON. There is
 * no request yet, so no instance; the request id is fresh and only in the answer.
 */
export function problemClientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, detail } = describe(err);
  const { status, title } = problemShape(code);
  const requestId = randomUUID();
  const body = JSON.stringify({ type: problemType(code), title, status, detail, requestId, code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? title}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}
