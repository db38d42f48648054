import type { IncomingHttpHeaders } from 'node:http';
import { json, noContent, text, type HandlerResult, type JsonResult } from '../sandbox-http';
import { wireStyle, type IncontactQuirks, type WireStyle } from './quirks';
import { encodeNumber, encodeRecord, pascalKeys } from './values';

/**
 * How the ACD API (`/inContactAPI/services/vNN.0/...`) writes its answers: one typed payload,
 * encoded per the quirks in force and the version in the path. Handlers build typed values;
 * every wire variant is produced here, in one place.
 */

/** A list answer: `{...meta, [arrayKey]: items}` with typed values. */
export interface AcdList {
  arrayKey: string;
  items: Record<string, unknown>[];
  /** Top-level fields besides the array: totalRecords, _links, businessUnitId, lastPollTime. */
  meta?: Record<string, unknown>;
  /** Whether an empty list may be answered 204 (windows and deltas; not lookups). */
  emptyIsNoContent: boolean;
  /** sla-summary: PascalCase under `keyCase: pascal-sla` too. */
  slaKeys?: boolean;
}

export const SUCCESS_DESCRIPTION = 'Success';

function encodeMeta(meta: Record<string, unknown>, style: WireStyle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'totalRecords' && typeof value === 'number')
      out[key] = style.totalRecordsAsString ? String(value) : value;
    else if (typeof value === 'number') out[key] = encodeNumber(value, style.values);
    else out[key] = value;
  }
  return out;
}

/** Key casing and the resultSet wrapper, the last two steps of every ACD body. */
function shape(body: Record<string, unknown>, quirks: IncontactQuirks, sla: boolean): unknown {
  let out: Record<string, unknown> = body;
  if (quirks.keyCase === 'pascal' || (quirks.keyCase === 'pascal-sla' && sla))
    out = pascalKeys(out) as Record<string, unknown>;
  return quirks.wrapper === 'none' ? out : { [quirks.wrapper]: out };
}

export function renderList(
  quirks: IncontactQuirks,
  apiVersion: number,
  list: AcdList,
  status = 200,
): HandlerResult {
  if (list.items.length === 0 && list.emptyIsNoContent && quirks.emptyAs === '204')
    return noContent({ icStatusDescription: SUCCESS_DESCRIPTION });
  const style = wireStyle(quirks, apiVersion);
  const body = {
    ...encodeMeta(list.meta ?? {}, style),
    [list.arrayKey]: list.items.map((item) => encodeRecord(item, style.values, style.booleans)),
  };
  return json(status, shape(body, quirks, list.slaKeys === true), {
    icStatusDescription: SUCCESS_DESCRIPTION,
  });
}

/** A single-object answer (agent lookups, a team's codes): flat fields plus nested lists. */
export function renderObject(
  quirks: IncontactQuirks,
  apiVersion: number,
  body: Record<string, unknown>,
  status = 200,
): HandlerResult {
  const style = wireStyle(quirks, apiVersion);
  const encoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(encodeRecord(body, style.values, style.booleans)))
    encoded[key] = Array.isArray(value)
      ? value.map((v: Record<string, unknown>) => encodeRecord(v, style.values, style.booleans))
      : value;
  return json(status, shape(encoded, quirks, false), { icStatusDescription: SUCCESS_DESCRIPTION });
}

/** The ACD error family: `{error, errorDescription}`, and the text again in icStatusDescription. */
export function acdError(status: number, error: string, description: string): JsonResult {
  return json(
    status,
    { error, errorDescription: description },
    { icStatusDescription: description },
  );
}

/** Whether the request's Accept lets the server render JSON, per the `noAccept` reading. */
export function acceptsJson(
  headers: IncomingHttpHeaders,
  rule: IncontactQuirks['noAccept'],
): boolean {
  const accept = headers.accept;
  if (rule === 'off') return true;
  if (accept === undefined) return false;
  if (rule === 'missing') return true;
  return /(^|[,\s])application\/(json|\*)/i.test(accept);
}

const NO_RENDER = 'No known way to render data';

/**
 * Last step of every ACD answer: a success to a request without a usable Accept becomes the
 * famous text (the data never arrives), and `errors: header-only` empties error bodies.
 */
export function finishAcd(
  quirks: IncontactQuirks,
  headers: IncomingHttpHeaders,
  result: HandlerResult,
): HandlerResult {
  if (result.kind === 'download' || result.kind === 'raw') return result;
  const ok = result.status >= 200 && result.status < 300;
  if (ok && !acceptsJson(headers, quirks.noAccept)) {
    const body = quirks.noAcceptBody === 'quoted' ? `"${NO_RENDER}"` : NO_RENDER;
    const usual = result.status === 204 ? 200 : result.status;
    return text(quirks.noAcceptStatus || usual, body, 'application/html', {
      icStatusDescription: SUCCESS_DESCRIPTION,
    });
  }
  if (!ok && quirks.errors === 'header-only') {
    const description =
      result.headers?.icStatusDescription ?? (result.kind === 'text' ? result.text : '');
    return text(result.status, '', undefined, {
      ...result.headers,
      icStatusDescription: description,
    });
  }
  return result;
}
