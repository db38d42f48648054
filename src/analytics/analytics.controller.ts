import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { RouteAccess } from '../auth/route-access.decorator';
import type { TabularResult } from '../common/format/tabular-result';
import { ClientSignal } from '../common/http/client-signal';
import { wantsRefresh } from './analytics-response';
import {
  presentCatalogue,
  presentCatalogueWithCapabilities,
  presentSummary,
} from './analytics.presenter';
import {
  KpiCatalogueQueryDto,
  KpiCatalogueWithCapabilitiesDto,
} from './dto/analytics-capabilities.dto';
import { AnalyticsService } from './analytics.service';
import { AnalyticsSummaryResponseDto, KpiResponseDto } from './dto/analytics-response.dto';
import {
  AnalyticsFormatQueryDto,
  QueryAnalyticsSummaryDto,
} from './dto/query-analytics-summary.dto';
import type { AnalyticsRow } from './kpi/kpi-engine';

@ApiTags('analytics')
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Post('summary')
  @HttpCode(200)
  @RouteAccess({
    scopes: ['analytics:read'],
    upstream: 'unless-cached',
    problems: [400, 422, 429, 502, 503, 504],
  })
  @ApiOperation({
    summary: 'Aggregated CXone metrics with KPIs, cached',
    description:
      'Scope analytics:read. Runs the cursor-paged CXone summary query to the end, adds KPIs ' +
      '(GET /v1/analytics/kpis), sorts rows by the dimensions in order. Cached per normalized ' +
      'query (X-Cache HIT|MISS|STALE; STALE = CXone failing, last good result). ' +
      '`Cache-Control: no-cache` forces a refresh; `If-None-Match` with the ETag answers 304. ' +
      'CSV with ?format=csv or Accept: text/csv.',
  })
  @ApiBody({ type: QueryAnalyticsSummaryDto })
  @ApiHeader({ name: 'Cache-Control', required: false, description: 'no-cache forces a refresh' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer' })
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiOkResponse({ type: AnalyticsSummaryResponseDto })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  async summary(
    @Body() body: QueryAnalyticsSummaryDto,
    @Query() _format: AnalyticsFormatQueryDto,
    @ClientSignal() signal: AbortSignal,
    // Named as the @ApiHeader entries are, so the document lists each header once (Nest
    // lower-cases the name to read it).
    @Headers('Cache-Control') cacheControl?: string,
    @Headers('If-None-Match') ifNoneMatch?: string,
  ): Promise<TabularResult<AnalyticsRow>> {
    return presentSummary(
      await this.analytics.summary(body, {
        noCache: wantsRefresh(cacheControl),
        ifNoneMatch,
        signal,
      }),
    );
  }

  @Get('kpis')
  @RouteAccess({ scopes: ['analytics:read'], problems: [400] })
  @ApiOperation({
    summary: 'The KPI catalogue: name, formula, required metrics, unit, description',
    description:
      'Scope analytics:read. The KPIs the configured dialect can compute. A KPI is computed ' +
      'when all its required metrics (and dimensions) are in the query; it is null in a row ' +
      'where an input is missing or a denominator is 0. `?include=capabilities` answers ' +
      '`{kpis, capabilities}` instead: the metrics, dimensions and dimension groups this ' +
      'dialect accepts (the same lists the summary validation applies).',
  })
  @ApiExtraModels(KpiResponseDto, KpiCatalogueWithCapabilitiesDto)
  @ApiOkResponse({
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(KpiResponseDto) } },
        { $ref: getSchemaPath(KpiCatalogueWithCapabilitiesDto) },
      ],
    },
  })
  kpis(@Query() query: KpiCatalogueQueryDto): KpiResponseDto[] | KpiCatalogueWithCapabilitiesDto {
    return query.include === 'capabilities'
      ? presentCatalogueWithCapabilities(this.analytics.capabilities)
      : presentCatalogue(this.analytics.capabilities);
  }
}
