import type { OutputFormat } from './output-format';

const EXTENSIONS: Record<OutputFormat, string> = { json: 'json', csv: 'csv', ndjson: 'ndjson' };
/** Path segments that say nothing about the content. */
const NOISE = new Set(['api', 'v1', 'v2']);
const MAX_NAME = 120;

/** Only characters every file system and every Content-Disposition parser takes literally. */
function safePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
}

/**
 * A file name for a download, from the route and its parameters:
 * `/v1/agents/:agentId/state-history` → `agents-<agentId>-state-history.csv`,
 * `/v1/exports/:id/records` → `exports-<id>-records.ndjson`. Route-derived, so every tabular
 * endpoint gets a sensible name without each service having to invent one.
 */
export function downloadFileName(
  routeUrl: string | undefined,
  params: Record<string, unknown> | undefined,
  format: OutputFormat,
): string {
  const parts = (routeUrl ?? '')
    .split('/')
    .filter((s) => s !== '' && !NOISE.has(s.toLowerCase()))
    .map((s) => {
      if (!s.startsWith(':')) return safePart(s);
      const value = params?.[s.slice(1)];
      return typeof value === 'string' ? safePart(value) : '';
    })
    .filter((s) => s !== '');
  const base = (parts.join('-') || 'download').slice(0, MAX_NAME);
  return `${base}.${EXTENSIONS[format]}`;
}

/** `Content-Disposition` for a download: always an ASCII name, so no RFC 5987 form is needed. */
export function attachmentHeader(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
