import type { LoggedRequest } from './sandbox-stats';
import type { SandboxRequest } from './sandbox-http';

const MASK = '***';
const SECRET_FIELDS = new Set(['client_secret', 'clientSecret', 'password']);

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
    return JSON.parse(text) as unknown;
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
