import { AppError } from '../common/errors/app-error';

const MAX_URL_LENGTH = 2048;
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

interface AllowedHost {
  host: string;
  /** Undefined: the scheme's default port only. */
  port?: string;
}

/** Splits `host`, `host:port`, `[v6]` or `[v6]:port` (already lower-case). */
function parseEntry(entry: string): AllowedHost {
  const value = entry.trim().toLowerCase();
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(value);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(value);
  return withPort ? { host: withPort[1], port: withPort[2] } : { host: value };
}

/**
 * The host exactly as written in the URL text (lower-cased). WHATWG URL parsing rewrites
 * `http://2130706433/`, `http://0x7f.1/` or `http://0177.0.0.1/` to `127.0.0.1`; comparing the
 * written host with the parsed one is how those disguised addresses are caught.
 */
function writtenHost(url: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(url.trim())?.[1];
  if (authority === undefined) return undefined;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  const colon = hostPort.indexOf(':');
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Why a webhook target is refused, or undefined when it is allowed. Rules:
 * - an absolute `http:` or `https:` URL of at most 2048 characters, without user:password;
 * - its host is on `allowedHosts` (lower-case compare). An entry `host` allows the scheme's
 *   default port only (80 / 443); an entry `host:port` allows exactly that port. No wildcards;
 * - the host is written canonically: an IP address given in decimal, hex, octal or shortened
 *   form (or any host the URL parser rewrites, e.g. percent-encoded or IDN) is refused unless
 *   that exact spelling is listed.
 * The check is on names, not resolved addresses: list only hosts you control.
 */
export function webhookUrlProblem(
  url: unknown,
  allowedHosts: readonly string[],
): string | undefined {
  if (typeof url !== 'string' || url.length === 0) return 'must be a URL string';
  if (url.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  const parsed = parseUrl(url);
  const host = writtenHost(url);
  if (!parsed || host === undefined) return 'must be an absolute http:// or https:// URL';
  if (!(parsed.protocol in DEFAULT_PORTS)) return 'must use http or https';
  if (parsed.username || parsed.password) return 'must not contain credentials';
  const entries = allowedHosts.map(parseEntry);
  if (entries.length === 0) return 'webhooks are disabled: WEBHOOK_ALLOWED_HOSTS is empty';
  if (host !== parsed.hostname && !entries.some((e) => e.host === host)) {
    return `host "${host}" is not in canonical form (numeric IP variants are refused)`;
  }
  const port = parsed.port || DEFAULT_PORTS[parsed.protocol];
  const allowed = entries.some(
    (e) => e.host === host && (e.port === undefined ? parsed.port === '' : e.port === port),
  );
  if (!allowed) return `host "${host}:${port}" is not on WEBHOOK_ALLOWED_HOSTS`;
  return undefined;
}

/**
 * Throws a 400 (VALIDATION_FAILED naming `field`) unless `url` is an allowed webhook target (see
 * `webhookUrlProblem` for the rules); returns the parsed URL otherwise.
 */
export function assertAllowedWebhookUrl(
  url: unknown,
  allowedHosts: readonly string[],
  field: string,
): URL {
  const problem = webhookUrlProblem(url, allowedHosts);
  if (problem !== undefined) throw AppError.field(field, `${field} ${problem}`);
  return new URL(url as string);
}
