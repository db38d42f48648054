import type { TestGateway } from '../utils/test-gateway';

/** A bearer token straight from the sandbox, to read upstream data without the gateway. */
export async function sandboxToken(t: TestGateway): Promise<string> {
  const { clientId, clientSecret } = t.sandbox.fixtures.credentials;
  const res = await fetch(`${t.sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** GETs an upstream path directly from the sandbox (not counted against the gateway's calls). */
export async function upstreamGet<T>(t: TestGateway, token: string, path: string): Promise<T> {
  const res = await fetch(`${t.sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`sandbox ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Parses the gateway's CSV (RFC 4180: quoted fields, doubled quotes, CRLF) into objects keyed
 * by the header row. Small on purpose: the tests only need to read back what the gateway wrote.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      endField();
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  const [header, ...data] = rows;
  return data.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
