import type { LoggedRequest } from './sandbox-stats';
import type { SandboxRequest } from './sandbox-http';

const MASK = '***';
/** Credentials a request may carry in its body (OAuth forms and the legacy JSON token calls). */
const SECRET_FIELDS = new Set([
  'client_secret',
  'clientSecret',
  'password',
  'accessKeySecret',
  'refresh_token',
  'token',
]);

function maskJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? MASK : v]),
  );
}

/** Body as the test wants to assert on it: parsed JSON or form fields, secrets masked. */
function loggedBody(req: SandboxRequest): unknown {
  if (req.body.length === 0) return undefined;
  const text = req.body.toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(text));
    for (const key of Object.keys(form)) if (SECRET_FIELDS.has(key)) form[key] = MASK;
    return form;
  }
  try {
    return maskJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** A log entry for GET /_sandbox/requests: never the Authorization header or a client secret. */
export function describeRequest(req: SandboxRequest, at: string): LoggedRequest {
  const headers = { ...req.headers };
  delete headers.authorization;
  return {
    at,
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.query),
    body: loggedBody(req),
    headers,
  };
}
