import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { KpiResponseDto } from './analytics-response.dto';

/** `?include=` of GET /v1/analytics/kpis. */
export const CATALOGUE_INCLUDES = ['capabilities'] as const;

/** Query of GET /v1/analytics/kpis: a DTO, so unknown parameters are a 400 as on other routes. */
export class KpiCatalogueQueryDto {
  @ApiPropertyOptional({ enum: CATALOGUE_INCLUDES })
  @IsOptional()
  @IsIn(CATALOGUE_INCLUDES, { message: `include must be one of ${CATALOGUE_INCLUDES.join(', ')}` })
  include?: (typeof CATALOGUE_INCLUDES)[number];
}

export class AnalyticsDimensionGroupDto {
  @ApiProperty({ example: 'the skill summaries' }) source!: string;
  @ApiProperty({ example: ['skill', 'queue', 'channel', 'campaign', 'direction', 'date'] })
  dimensions!: string[];
  @ApiProperty({ example: ['handle_time', 'contacts_offered', 'service_level'] })
  metrics!: string[];
}

export class AnalyticsCapabilitiesDto {
  @ApiProperty({
    description: 'Metric names POST /v1/analytics/summary accepts in this dialect',
    example: ['handle_time', 'contacts_handled', 'occupancy'],
  })
  metrics!: string[];
  @ApiProperty({
    description: 'Dimension names it accepts',
    example: ['skill', 'queue', 'channel', 'campaign', 'direction', 'agent', 'team', 'date'],
  })
  dimensions!: string[];
  @ApiPropertyOptional({
    type: [AnalyticsDimensionGroupDto],
    description:
      'Absent: any combination can be asked. Present: a query (dimensions, filters, metrics) ' +
      'must fit one group; anything else is a 400 naming the combination',
  })
  dimensionGroups?: AnalyticsDimensionGroupDto[];
  @ApiPropertyOptional({
    description: 'Metrics refused in this dialect, with the reason',
    example: { first_contact_resolution: 'the CXone summaries carry no first-contact resolution' },
  })
  unavailableMetrics?: Record<string, string>;
}

/** GET /v1/analytics/kpis?include=capabilities. */
export class KpiCatalogueWithCapabilitiesDto {
  @ApiProperty({ type: [KpiResponseDto] }) kpis!: KpiResponseDto[];
  @ApiProperty({ type: AnalyticsCapabilitiesDto }) capabilities!: AnalyticsCapabilitiesDto;
}
