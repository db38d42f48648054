import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, Matches, ValidationArguments } from 'class-validator';
import { FormatQueryDto } from '../../common/format/format-query.dto';
import { PrecompiledValidation } from '../../common/validation/precompiled/precompiled-dto';
import { QUEUE_METRIC_NAMES, QueueMetricName } from './queue-stats.source';
import { UUID_TEXT } from '../../common/validation/uuid';

export const MAX_QUEUE_IDS = 100;

/** A UUID (v2 queue) or a positive integer (incontact skill); the service checks the dialect's. */
const QUEUE_ID = new RegExp(`^(?:${UUID_TEXT}|[1-9]\\d{0,14})$`, 'i');

/** `a,b` (or a repeated parameter) → `['a','b']`; blanks dropped. Non-strings pass through to fail. */
function commaList({ value }: { value: unknown }): unknown {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((p) => typeof p === 'string')) return value;
  return parts
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function unknownMetricsMessage(args: ValidationArguments): string {
  const values: unknown[] = Array.isArray(args.value) ? (args.value as unknown[]) : [args.value];
  const unknown = values.filter((v) => !(QUEUE_METRIC_NAMES as readonly unknown[]).includes(v));
  return `metrics has unknown metric(s) ${unknown.map(String).join(', ')}; allowed: ${QUEUE_METRIC_NAMES.join(', ')}`;
}

@PrecompiledValidation()
export class GetQueueStatsDto extends FormatQueryDto {
  @ApiPropertyOptional({
    description:
      `Comma-separated queue ids (at most ${MAX_QUEUE_IDS}); omit for every queue. UUIDs with ` +
      'CXONE_DIALECT=v2; CXone skill ids (positive integers) with incontact',
    type: String,
    example: 'c0000000-0000-4000-8000-000000000001,c0000000-0000-4000-8000-000000000002',
  })
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(MAX_QUEUE_IDS, { message: `queueIds must list at most ${MAX_QUEUE_IDS} queues` })
  @Matches(QUEUE_ID, {
    each: true,
    // Neither form: the DTO cannot know the bound dialect, so it names both (the service then
    // names the dialect's own form for an id of the other one).
    message:
      'queueIds must be a comma-separated list of queue ids: UUIDs (v2), positive integer skill ids (incontact)',
  })
  queueIds?: string[];

  @ApiPropertyOptional({
    description:
      `Comma-separated metric names; omit for all the dialect reports. Known: ${QUEUE_METRIC_NAMES.join(', ')} ` +
      '(v2 reports the first five; incontact all but abandonCount, which it answers null)',
    type: String,
    example: 'waitTime,agentCount',
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(QUEUE_METRIC_NAMES, { each: true, message: unknownMetricsMessage })
  metrics?: QueueMetricName[];
}

export class QueueStatsRowDto {
  @ApiProperty({ example: 'c0000000-0000-4000-8000-000000000001' }) queueId!: string;
  @ApiProperty({ example: 'Sales Support' }) queueName!: string;
  @ApiProperty({
    description: 'Latest sample time among the metrics (UTC)',
    nullable: true,
    type: String,
    example: '2026-01-15T12:00:00.000Z',
  })
  timestamp!: string | null;
  @ApiPropertyOptional({
    description: 'Current wait time, seconds',
    nullable: true,
    type: Number,
    example: 42.5,
  })
  waitTime?: number | null;
  @ApiPropertyOptional({
    description: 'Agents available',
    nullable: true,
    type: Number,
    example: 12,
  })
  agentCount?: number | null;
  @ApiPropertyOptional({
    description: 'Active conversations',
    nullable: true,
    type: Number,
    example: 37,
  })
  conversationCount?: number | null;
  @ApiPropertyOptional({
    description: 'Abandoned contacts',
    nullable: true,
    type: Number,
    example: 3,
  })
  abandonCount?: number | null;
  @ApiPropertyOptional({
    description: 'Service level, percent',
    nullable: true,
    type: Number,
    example: 87.4,
  })
  serviceLevel?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: contacts in queue',
    nullable: true,
    type: Number,
    example: 2,
  })
  queueCount?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: agents logged in',
    nullable: true,
    type: Number,
    example: 24,
  })
  agentsLoggedIn?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: agents handling contacts',
    nullable: true,
    type: Number,
    example: 6,
  })
  agentsWorking?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: agents in after-call work',
    nullable: true,
    type: Number,
    example: 1,
  })
  agentsAcw?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: agents unavailable',
    nullable: true,
    type: Number,
    example: 9,
  })
  agentsUnavailable?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: service-level goal, percent',
    nullable: true,
    type: Number,
    example: 90,
  })
  serviceLevelGoal?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: service-level threshold, seconds',
    nullable: true,
    type: Number,
    example: 30,
  })
  serviceLevelThreshold?: number | null;
  @ApiPropertyOptional({
    description: 'incontact: media type name',
    nullable: true,
    type: String,
    example: 'Phone Call',
  })
  mediaType?: string | null;
  @ApiPropertyOptional({
    description: 'incontact: an outbound skill',
    nullable: true,
    type: Boolean,
    example: false,
  })
  isOutbound?: boolean | null;
  @ApiPropertyOptional({
    description: 'incontact: campaign of the skill',
    nullable: true,
    type: String,
    example: 'Concierge',
  })
  campaignName?: string | null;
}

export class QueueStatsResponseDto {
  @ApiProperty({
    description: 'When the gateway fetched these stats from CXone (UTC)',
    example: '2026-01-15T12:00:00.120Z',
  })
  asOf!: string;
  @ApiProperty({
    type: [QueueStatsRowDto],
    description:
      'One row per queue; one column per requested metric (null when CXone had no value)',
    example: [
      {
        queueId: 'c0000000-0000-4000-8000-000000000001',
        queueName: 'Sales Support',
        timestamp: '2026-01-15T12:00:00.000Z',
        waitTime: 42.5,
        agentCount: 12,
      },
      {
        queueId: 'c0000000-0000-4000-8000-000000000002',
        queueName: 'Billing',
        timestamp: '2026-01-15T12:00:00.000Z',
        waitTime: 310.2,
        agentCount: 4,
      },
    ],
  })
  queues!: QueueStatsRowDto[];
}
