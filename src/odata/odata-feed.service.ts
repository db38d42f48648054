import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AnalyticsService } from '../analytics/analytics.service';
import type { Principal } from '../auth/principal';
import { WithResponseMeta } from '../common/http/response-meta';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { ODATA_VERSION_HEADER } from './odata-error.filter';
import { notImplemented, ODataQueryError } from './odata-errors';
import { renderMetadata, serviceDocument } from './odata-metadata';
import { buildODataModel, EntitySetDef, EntityTypeDef, ODataModel } from './odata-model';
import { ODataSetsService } from './odata-sets.service';
import {
  applyQuery,
  DEFAULT_PAGE_SIZE,
  EntityRow,
  PagedRows,
  preferredPageSize,
  projectRow,
} from './query/apply-query';
import { matches } from './query/filter-eval';
import { ODataQuery, parseQueryOptions } from './query/query-options';

const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/**
 * The protocol side of the feed: options checked against the model, rows loaded through the
 * /v1 services, then filtered, sorted, paged and wrapped with @odata.context, @odata.count and
 * @odata.nextLink (absolute URLs, as Power BI expects).
 */
@Injectable()
export class ODataFeedService {
  /** The bound dialect's model; the OpenAPI document describes the feed from it too. */
  readonly model: ODataModel;
  private readonly metadataXml: Buffer;

  constructor(
    private readonly sets: ODataSetsService,
    analytics: AnalyticsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.model = buildODataModel(config, analytics.capabilities);
    this.metadataXml = Buffer.from(renderMetadata(this.model), 'utf8');
  }

  serviceDocument(req: FastifyRequest): WithResponseMeta<object> {
    parseQueryOptions(queryOf(req), { name: 'service', key: [], properties: [] }, []);
    return json(serviceDocument(this.model, rootOf(req)));
  }

  /** CSDL XML; a file body, so it goes out as the bytes it is rather than as a JSON string. */
  metadata(req: FastifyRequest): StreamableFile {
    const { $format, ...rest } = queryOf(req);
    if ($format !== undefined && $format !== 'xml' && $format !== 'application/xml') {
      throw notImplemented('$format', '$metadata is served as CSDL XML only');
    }
    parseQueryOptions(rest, { name: 'metadata', key: [], properties: [] }, []);
    return new StreamableFile(this.metadataXml, { type: 'application/xml; charset=utf-8' });
  }

  async entitySet(
    req: FastifyRequest,
    name: string,
    principal?: Principal,
  ): Promise<WithResponseMeta<object>> {
    const set = this.model.set(name);
    if (!set) {
      throw new ODataQueryError(
        'resource path',
        `${name} is not offered by this dialect`,
        'NOT_FOUND',
      );
    }
    const q = parseQueryOptions(queryOf(req), set.type, set.customOptions);
    const rows = await this.load(set, q, principal);
    const pageSize = preferredPageSize(header(req, 'prefer'));
    const page = applyQuery(rows, q, set.type, pageSize ?? DEFAULT_PAGE_SIZE);
    return this.answer(req, `${name}${selectSuffix(q)}`, q, page, pageSize);
  }

  /** Records are streamed from the export files and paged on the way, never all in memory. */
  async records(
    req: FastifyRequest,
    id: string,
    principal: Principal,
  ): Promise<WithResponseMeta<object>> {
    const type = this.model.contained[0];
    const q = parseQueryOptions(queryOf(req), type, []);
    if (q.orderby.length > 0) {
      throw notImplemented('$orderby', 'records come in export order and cannot be re-sorted');
    }
    const pageSize = preferredPageSize(header(req, 'prefer'));
    const page = await pageStream(
      await this.sets.recordRows(id, principal),
      q,
      type,
      pageSize ?? DEFAULT_PAGE_SIZE,
    );
    return this.answer(req, `Exports('${id}')/Records${selectSuffix(q)}`, q, page, pageSize);
  }

  private load(set: EntitySetDef, q: ODataQuery, principal?: Principal): Promise<EntityRow[]> {
    switch (set.name) {
      case 'Queues':
        return this.sets.queueRows(set.type);
      case 'AgentStateChanges':
        return this.sets.stateChangeRows(set.type, q);
      case 'Summaries':
      case 'AgentSummaries':
      case 'TeamSummaries':
        return this.sets.summaryRows(set.type, this.model.grains[set.name], q);
      case 'Exports':
        return this.sets.exportRows(set.type, principal as Principal);
      default:
        return Promise.resolve(this.sets.kpiRows());
    }
  }

  private answer(
    req: FastifyRequest,
    context: string,
    q: ODataQuery,
    page: PagedRows,
    pageSize: number | undefined,
  ): WithResponseMeta<object> {
    const root = rootOf(req);
    const body: Record<string, unknown> = { '@odata.context': `${root}/$metadata#${context}` };
    if (q.count) body['@odata.count'] = page.count;
    body.value = page.rows;
    if (page.nextSkiptoken !== undefined)
      body['@odata.nextLink'] = nextLink(req, page.nextSkiptoken);
    const headers: Record<string, string> = {};
    if (pageSize !== undefined) headers['preference-applied'] = `odata.maxpagesize=${pageSize}`;
    return json(body, headers);
  }
}

function json<T>(body: T, headers: Record<string, string> = {}): WithResponseMeta<T> {
  return new WithResponseMeta(body, {
    headers: { ...ODATA_VERSION_HEADER, 'content-type': JSON_TYPE, ...headers },
  });
}

function queryOf(req: FastifyRequest): Record<string, unknown> {
  return { ...(req.query as Record<string, unknown> | undefined) };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The service root as the client reached it (host and scheme honour TRUST_PROXY). */
function rootOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}/odata/v1`;
}

function selectSuffix(q: ODataQuery): string {
  return q.select ? `(${q.select.join(',')})` : '';
}

/** This request's URL with the next page's $skiptoken; every other option stays as sent. */
function nextLink(req: FastifyRequest, skiptoken: number): string {
  const [path, search = ''] = req.url.split('?');
  const params = new URLSearchParams(search);
  params.set('$skiptoken', String(skiptoken));
  return `${req.protocol}://${req.host}${path}?${params.toString()}`;
}

/** One page of a streamed collection: filter as rows pass, keep only the page's window. */
async function pageStream(
  source: AsyncIterable<EntityRow>,
  q: ODataQuery,
  type: EntityTypeDef,
  pageSize: number,
): Promise<PagedRows> {
  const from = q.skip + q.skiptoken;
  const windowEnd = q.top === undefined ? Number.POSITIVE_INFINITY : q.skip + q.top;
  const to = Math.min(windowEnd, from + pageSize);
  const kept: EntityRow[] = [];
  let index = 0;
  for await (const raw of source) {
    if (q.filter && !matches(q.filter, raw)) continue;
    if (index >= from && index < to) kept.push(raw);
    index += 1;
    // Without $count the rest need not be read: one more matching row says a next page exists.
    if (!q.count && index > to) break;
  }
  const more = index > to && to < windowEnd;
  return {
    rows: kept.map((r) => projectRow(r, type, q.select)),
    count: index,
    ...(more ? { nextSkiptoken: q.skiptoken + kept.length } : {}),
  };
}
