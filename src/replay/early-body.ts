import type { IncomingMessage, ServerResponse } from 'node:http';

const JSON_MEDIA_TYPE = 'application/json';
const DIGITS = /^\d{1,9}$/;

/**
 * The length of a POST body the replay may read before the router, or undefined when Fastify
 * is to read it: a JSON body (`application/json`, parameters allowed; what Fastify hands to the
 * gateway's JSON parser) of a known, non-zero length up to `max`, not chunked, not encoded, no
 * `Expect`. Anything unusual takes the normal way in, which answers it as it always has.
 */
export function smallJsonBodyLength(req: IncomingMessage, max: number): number | undefined {
  const { headers } = req;
  if (
    headers['transfer-encoding'] !== undefined ||
    headers['content-encoding'] !== undefined ||
    headers.expect !== undefined ||
    !isJsonMediaType(headers['content-type'])
  ) {
    return undefined;
  }
  const declared = headers['content-length'];
  if (declared === undefined || !DIGITS.test(declared)) return undefined;
  const length = Number(declared);
  return length > 0 && length <= max ? length : undefined;
}

function isJsonMediaType(type: string | undefined): boolean {
  if (type === undefined || type.length < JSON_MEDIA_TYPE.length) return false;
  const head = type.slice(0, JSON_MEDIA_TYPE.length).toLowerCase();
  return head === JSON_MEDIA_TYPE && (type.length === head.length || type[head.length] === ';');
}

/**
 * Reads a body of `length` bytes (Node's parser never gives more than Content-Length) and hands
 * it to `then`, or undefined when the client leaves first. The request is paused on its last
 * chunk, before 'end': so the bytes can still be handed back with `req.unshift(body)` for
 * Fastify to read, exactly as they came, when the normal route is to answer.
 */
export function readSmallJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  length: number,
  then: (body: Buffer | undefined) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const stop = (): void => {
    req.removeListener('data', onData);
    res.removeListener('close', onClose);
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    received += chunk.length;
    if (received < length) return;
    req.pause();
    stop();
    then(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
  };
  const onClose = (): void => {
    stop();
    then(undefined);
  };
  req.on('data', onData);
  res.on('close', onClose); // removed by stop(); 'close' comes once anyway
}
