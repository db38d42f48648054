import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const CACHE_STATUSES = ['HIT', 'MISS', 'STALE'] as const;
export type CacheStatus = (typeof CACHE_STATUSES)[number];

export class CacheInfoDto {
  @ApiProperty({ enum: CACHE_STATUSES, example: 'HIT' }) status!: CacheStatus;
  @ApiProperty({ example: 42, description: 'Seconds since the result was fetched from CXone' })
  ageSeconds!: number;
}

export class RowWarningDto {
  @ApiProperty({ example: 3, description: 'Row index in `rows` (-1 for a summary entry)' })
  row!: number;
  @ApiProperty({ example: 'hold_time' }) metric!: string;
  @ApiProperty({ example: '"n/a"' }) received!: string;
  @ApiProperty({ example: 'hold_time in row 3 is not a number ("n/a"); reported as null' })
  message!: string;
}

export class AnalyticsSummaryResponseDto {
  @ApiProperty({
    description: 'Dimensions, metrics and KPIs per row, sorted by the dimensions in order',
    example: [
      {
        date: '2024-05-01',
        channel: 'chat',
        handle_time: 541.2,
        queue_time: 44.9,
        talk_time: 379.5,
        total_interaction_time: 586.1,
        talk_ratio: 0.7012,
        talk_share_of_interaction: 0.6475,
        queue_share_of_interaction: 0.0766,
        non_talk_handle_time: 161.7,
      },
    ],
  })
  rows!: Record<string, string | number | null>[];
  @ApiProperty({ example: 1 }) rowCount!: number;
  @ApiProperty({
    example: [
      'date',
      'channel',
      'handle_time',
      'queue_time',
      'talk_time',
      'total_interaction_time',
      'talk_ratio',
      'talk_share_of_interaction',
      'queue_share_of_interaction',
      'non_talk_handle_time',
    ],
  })
  columns!: string[];
  @ApiProperty({
    example: [
      'total_interaction_time',
      'talk_ratio',
      'talk_share_of_interaction',
      'queue_share_of_interaction',
      'non_talk_handle_time',
    ],
  })
  kpis!: string[];
  @ApiProperty({ example: '2024-05-08T10:15:00.000Z' }) generatedAt!: string;
  @ApiProperty({ type: CacheInfoDto }) cache!: CacheInfoDto;
  @ApiPropertyOptional({ type: [RowWarningDto] }) warnings?: RowWarningDto[];
}

export class KpiResponseDto {
  @ApiProperty({ example: 'talk_ratio' }) name!: string;
  @ApiProperty({ example: 'talk_time / handle_time' }) formula!: string;
  @ApiProperty({ example: ['talk_time', 'handle_time'] }) requires!: string[];
  @ApiPropertyOptional({ example: ['channel'] }) requiresDimensions?: string[];
  @ApiPropertyOptional({
    example: ['skill', 'queue', 'channel', 'campaign', 'direction', 'date'],
    description:
      'Only in a dialect whose sources answer some dimensions apart (incontact): the dimensions ' +
      'this KPI can be asked with',
  })
  dimensions?: string[];
  @ApiProperty({ enum: ['seconds', 'ratio'], example: 'ratio' }) unit!: string;
  @ApiProperty({ example: 'Share of handle time spent talking to the customer' })
  description!: string;
}

export class AnalyticsCompatResponseDto {
  @ApiProperty({ example: 'success' }) status!: 'success';
  @ApiProperty({ example: 1 }) row_count!: number;
  @ApiProperty({
    example: [
      {
        date: '2024-05-01',
        channel: 'voice',
        handle_time: 358.4,
        queue_time: 61.2,
        total_interaction_time: 419.6,
        queue_share_of_interaction: 0.1459,
      },
    ],
  })
  data!: Record<string, string | number | null>[];
  @ApiProperty({
    example: [
      'date',
      'channel',
      'handle_time',
      'queue_time',
      'total_interaction_time',
      'queue_share_of_interaction',
    ],
  })
  columns!: string[];
}
