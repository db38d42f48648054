/**
 * Last line of defence against secrets in logs: applied to every serialized log line, so it also
 * catches secrets nested in error objects (e.g. an axios error carrying request headers or a
 * form body) whatever their key's case.
 */
const SECRET_KEYS = [
  'authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'client_secret',
  'clientsecret',
  'access_token',
  'accesstoken',
  'refresh_token',
  'id_token',
  'access_key_secret',
  'password',
  'api_key',
  'apikey',
  'x-signature',
];
const KEY_PATTERN = new RegExp(
  `("(?:${SECRET_KEYS.map((k) => k.replace(/[-_]/g, '[-_]?')).join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`,
  'gi',
);
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const FORM_PATTERN = /\b(client_secret|access_token|password)=[^&\s"]+/gi;

/** Any word the three patterns above can match; lines without one skip them. */
const TRIGGER_PATTERN =
  /authorization|api[-_]?key|cookie|secret|token|password|signature|bearer|basic/i;

export const REDACTED = '[REDACTED]';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the redaction function for a set of configured secrets (client secret, HMAC key…). */
export function createRedactor(secrets: readonly string[]): (line: string) => string {
  const literal = secrets.filter((s) => s.length >= 4).map(escapeRegExp);
  const secretPattern = literal.length ? new RegExp(literal.join('|'), 'g') : undefined;
  return (line: string): string => {
    // One cheap test first: most lines (an audit line per request) name no secret-bearing field.
    let out = line;
    if (TRIGGER_PATTERN.test(line)) {
      out = out.replace(KEY_PATTERN, `$1"${REDACTED}"`);
      out = out.replace(BEARER_PATTERN, `$1 ${REDACTED}`);
      out = out.replace(FORM_PATTERN, `$1=${REDACTED}`);
    }
    if (secretPattern) out = out.replace(secretPattern, REDACTED);
    return out;
  };
}
