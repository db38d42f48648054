import { AppError } from '../../../common/errors/app-error';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import { FakeAcdClient, queryOf } from './acd-client.fake';
import { acdRoot, fetchAcdPages, readAcdPage } from './acd-paging';

const PATH = `${acdRoot({ apiVersion: '30.0', apiVersions: {} }, 'agents/state-history')}/agents/state-history`;
const HOST = 'https://api-na1.niceincontact.com';
const request: UpstreamRequest = {
  operation: 'agentHistory',
  method: 'GET',
  path: PATH,
  query: { startDate: '2024-05-01T00:00:00.000Z' },
};
const parse = (body: unknown) => readAcdPage(body, 'items', (raw) => raw as number);

/**
 * A server of `total` rows capping pages at `cap`, with the paging signals of `style`;
 * `count-no-next`: `totalRecords` and `_links` on every page, but never a `next`.
 */
function server(
  total: number,
  cap: number,
  style: 'both' | 'links' | 'offset' | 'bare' | 'count-no-next',
) {
  return (req: UpstreamRequest): unknown => {
    const q = queryOf(req);
    const top = Number(q.get('top'));
    const skip = Number(q.get('skip'));
    const items = Array.from(
      { length: Math.max(0, Math.min(top, cap, total - skip)) },
      (_, i) => skip + i,
    );
    if (items.length === 0) return undefined; // 204 for an empty window
    const body: Record<string, unknown> = { items };
    if (style === 'both' || style === 'offset' || style === 'count-no-next')
      body.totalRecords = String(total);
    if (style === 'count-no-next') body._links = { self: `${HOST}${PATH}`, next: null };
    if (style === 'both' || style === 'links') {
      const more = skip + items.length < total;
      const next = `${HOST}${PATH}?startDate=x&top=${top}&skip=${skip + items.length}`;
      body._links = { self: `${HOST}${PATH}`, next: more ? next : null };
    }
    return body;
  };
}

/** Every page of the fake client's list, `pageSize` asked per page. */
const readAll = (client: FakeAcdClient, pageSize: number, maxPages: number) =>
  fetchAcdPages({ client: client.asClient(), request, pageSize, parse, maxPages });

describe('fetchAcdPages', () => {
  it.each(['both', 'links', 'offset', 'bare'] as const)(
    'reads every row of a capped list with %s paging signals',
    async (style) => {
      const client = new FakeAcdClient(server(2500, 400, style));
      const { rows } = await readAll(client, 1000, 50);
      expect(rows).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      // Seven pages of 400 (never stopping on a page shorter than top); bare needs the empty one.
      expect(client.requests).toHaveLength(style === 'bare' ? 8 : 7);
    },
  );

  it('pages on by skip while totalRecords says rows remain, though the links give no next', async () => {
    const client = new FakeAcdClient(server(2500, 1000, 'count-no-next'));
    const { rows } = await readAll(client, 1000, 50);
    expect(rows).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(client.requests.map((r) => r.query?.skip)).toEqual([0, 1000, 2000]);
  });

  it('takes links without a next as the last page when no totalRecords comes', async () => {
    const client = new FakeAcdClient(() => ({ items: [0, 1], _links: { self: PATH, next: null } }));
    const { rows } = await readAll(client, 2, 5);
    expect(rows).toEqual([0, 1]);
    expect(client.requests).toHaveLength(1);
  });

  it('follows _links.next as-is on our own host, path and query only', async () => {
    const client = new FakeAcdClient(server(150, 100, 'links'));
    await fetchAcdPages({ client: client.asClient(), request, pageSize: 100, parse, maxPages: 5 });
    expect(client.requests[0].query).toMatchObject({ top: 100, skip: 0 });
    expect(client.requests[1]).toMatchObject({
      path: `${PATH}?startDate=x&top=100&skip=100`,
      query: undefined,
    });
  });

  it('stops at once on a 204', async () => {
    const client = new FakeAcdClient(() => undefined);
    const { rows } = await readAll(client, 100, 5);
    expect(rows).toEqual([]);
    expect(client.requests).toHaveLength(1);
  });

  it('falls back to skip when a next link is not an API path', async () => {
    let calls = 0;
    const client = new FakeAcdClient((req) => {
      calls += 1;
      const skip = Number(queryOf(req).get('skip'));
      if (skip >= 4) return { items: [] };
      return { items: [skip, skip + 1], _links: { next: 'https://elsewhere.example/steal' } };
    });
    const { rows } = await readAll(client, 2, 5);
    expect(rows).toEqual([0, 1, 2, 3]);
    expect(calls).toBe(3);
    expect(client.requests.every((r) => r.path === PATH)).toBe(true);
  });

  it('fails as an upstream error when next links loop or paging never ends', async () => {
    const looping = new FakeAcdClient(() => ({
      items: [1],
      _links: { next: `${HOST}${PATH}?skip=1` },
    }));
    const loop = readAll(looping, 1, 9);
    await expect(loop).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    const endless = new FakeAcdClient(() => ({ items: [1] }));
    const err = await readAll(endless, 1, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('did not end after 3 pages');
  });

  it('reads rows from a resultSet wrapper with a string totalRecords', () => {
    const page = parse({ resultSet: { items: [7], totalRecords: '1' } });
    expect(page).toMatchObject({ rows: [7], totalRecords: 1, hasLinks: false });
  });
});
