import { Body, Controller, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { RouteAccess } from '../auth/route-access.decorator';
import { wantsRefresh } from './analytics-response';
import { FormatQueryDto } from '../common/format/format-query.dto';
import type { TabularResult } from '../common/format/tabular-result';
import { ClientSignal } from '../common/http/client-signal';
import { presentCompat } from './analytics.presenter';
import { AnalyticsService } from './analytics.service';
import { AnalyticsCompatResponseDto } from './dto/analytics-response.dto';
import { QueryAnalyticsCompatDto } from './dto/query-analytics-compat.dto';
import type { AnalyticsRow } from './kpi/kpi-engine';

const COMPAT_DATE_FIELDS = { start: 'start_date', end: 'end_date' };

/** The v2 §analytics FastAPI endpoint, so its existing clients can switch base URL and nothing else. */
@ApiTags('analytics')
@Controller('api/v1/analytics')
export class AnalyticsCompatController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Post('query')
  @HttpCode(200)
  @RouteAccess({
    scopes: ['analytics:read'],
    upstream: 'unless-cached',
    problems: [400, 422, 429, 502, 503, 504],
  })
  @ApiOperation({
    summary:
      'Drop-in for v2 §analytics: {metrics, dimensions, start_date, end_date, filters?, cache_ttl?}',
    description:
      'Scope analytics:read. Same query, cache and KPIs as POST /v1/analytics/summary, in the ' +
      'seed\'s shape `{status:"success", row_count, data, columns}`. Errors are ' +
      'application/problem+json 400 (the seed answered {"detail": …}). `cache_ttl` is the oldest ' +
      'cached result accepted, in seconds. `?format=csv|ndjson` (or Accept) returns the rows only.',
  })
  @ApiBody({ type: QueryAnalyticsCompatDto })
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiOkResponse({ type: AnalyticsCompatResponseDto })
  @ApiHeader({ name: 'Cache-Control', required: false, description: 'no-cache forces a refresh' })
  async query(
    @Body() body: QueryAnalyticsCompatDto,
    @Query() _format: FormatQueryDto,
    @ClientSignal() signal: AbortSignal,
    // Named as the @ApiHeader entry is, so the document lists the header once, as optional.
    @Headers('Cache-Control') cacheControl?: string,
  ): Promise<TabularResult<AnalyticsRow>> {
    const { start_date: start, end_date: end, cache_ttl: maxAgeS, ...rest } = body;
    return presentCompat(
      await this.analytics.summary(
        { ...rest, start, end },
        {
          noCache: wantsRefresh(cacheControl),
          maxAgeS,
          dateFields: COMPAT_DATE_FIELDS,
          signal,
        },
      ),
    );
  }
}
