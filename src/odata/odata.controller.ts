import { Controller, Get, Header, Param, Req, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RouteAccess } from '../auth/route-access.decorator';
import { WithResponseMeta } from '../common/http/response-meta';
import { ODataErrorFilter } from './odata-error.filter';
import { notImplemented, ODataQueryError } from './odata-errors';
import { ODataFeedService } from './odata-feed.service';

/**
 * The read-only OData v4 feed for Power BI, Excel and other OData clients: service document,
 * $metadata and one route per entity set, each with the scope of its /v1 twin. Errors are in the
 * OData JSON error format. Excluded from the OpenAPI decorator scan (RouteAccess would document
 * problem+json errors, and the row types follow the bound dialect): its operations are added to
 * the document from the feed's model by openapi/odata-openapi.ts, next to $metadata's source.
 */
@ApiExcludeController()
@UseFilters(ODataErrorFilter)
@Controller('odata/v1')
export class ODataController {
  constructor(private readonly feed: ODataFeedService) {}

  @Get()
  @RouteAccess({ scopes: [], audit: 'odata.service' })
  service(@Req() req: FastifyRequest): WithResponseMeta<object> {
    return this.feed.serviceDocument(req);
  }

  @Get('$metadata')
  @Header('odata-version', '4.0')
  @RouteAccess({ scopes: [], audit: 'odata.metadata' })
  metadata(@Req() req: FastifyRequest): StreamableFile {
    return this.feed.metadata(req);
  }

  @Get('Queues')
  @RouteAccess({ scopes: ['reporting:read'], audit: 'odata.queues' })
  queues(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'Queues');
  }

  @Get('AgentStateChanges')
  @RouteAccess({
    scopes: ['reporting:read'],
    audit: 'odata.agent-state-changes',
    upstream: 'always',
  })
  stateChanges(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'AgentStateChanges');
  }

  @Get('Summaries')
  @RouteAccess({ scopes: ['analytics:read'], audit: 'odata.summaries' })
  summaries(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'Summaries');
  }

  @Get('AgentSummaries')
  @RouteAccess({ scopes: ['analytics:read'], audit: 'odata.agent-summaries' })
  agentSummaries(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'AgentSummaries');
  }

  @Get('TeamSummaries')
  @RouteAccess({ scopes: ['analytics:read'], audit: 'odata.team-summaries' })
  teamSummaries(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'TeamSummaries');
  }

  @Get('Kpis')
  @RouteAccess({ scopes: ['analytics:read'], audit: 'odata.kpis' })
  kpis(@Req() req: FastifyRequest): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'Kpis');
  }

  @Get('Exports')
  @RouteAccess({ scopes: ['export:read'], audit: 'odata.exports' })
  exports(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WithResponseMeta<object>> {
    return this.feed.entitySet(req, 'Exports', principal);
  }

  /** `Exports('<id>')/Records`: the records of one completed (or partial) export. */
  @Get(':segment/Records')
  @RouteAccess({ scopes: ['export:read'], audit: 'odata.export-records' })
  records(
    @Req() req: FastifyRequest,
    @Param('segment') segment: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WithResponseMeta<object>> {
    const id = /^Exports\('([^']{1,64})'\)$/.exec(segment)?.[1];
    if (!id) {
      throw new ODataQueryError(
        'resource path',
        `no such resource ${segment}/Records; records are at Exports('<id>')/Records`,
        'NOT_FOUND',
      );
    }
    return this.feed.records(req, id, principal);
  }

  /**
   * Anything else under the service root: the service document for `/odata/v1/` (the form BI
   * dialogs are usually given), a 404, or 501 for OData addressing the feed does not offer.
   */
  @Get('*')
  @RouteAccess({ scopes: [], audit: 'odata.unknown' })
  unknown(@Req() req: FastifyRequest): WithResponseMeta<object> {
    const path = decodeURIComponent(req.url.split('?')[0]).replace(/^\/odata\/v1\/?/, '');
    if (path === '') return this.feed.serviceDocument(req);
    if (/^\w+\(.*\)$/.test(path)) {
      throw notImplemented('resource path', `single entities by key; use $filter on the key`);
    }
    if (/\/\$count$/.test(path)) throw notImplemented('resource path', 'use $count=true');
    throw new ODataQueryError('resource path', `no such resource: ${path}`, 'NOT_FOUND');
  }
}
