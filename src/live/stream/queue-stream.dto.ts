import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { GetQueueStatsDto, QueueStatsRowDto } from '../../reporting/queue-stats/queue-stats.dto';

/** `?queueIds=` exactly as `GET /v1/queues/stats` takes it, plus the stream's own parameters. */
export class StreamQueuesQueryDto extends PickType(GetQueueStatsDto, ['queueIds'] as const) {
  @ApiPropertyOptional({
    description:
      'A stream ticket from `POST /v1/queues/stream-tickets`, for clients that cannot send ' +
      "headers (browsers' EventSource). API keys are never accepted here.",
    example: 'cxst_3q2v7PZk0c8X0m1lWJ5qvH2s1oQ2kq2Xo0aYbq0hZ3E',
  })
  @IsOptional()
  @IsString({ message: 'ticket must be a string' })
  @MaxLength(100, { message: 'ticket must be at most 100 characters' })
  ticket?: string;

  @ApiPropertyOptional({
    description:
      'Resume after this event id (as the Last-Event-ID header does; the header wins). For ' +
      'pages that reopen an EventSource themselves, e.g. with a renewed ticket.',
    example: '1768478405120',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'lastEventId must be an event id (digits)' })
  lastEventId?: string;
}

export class StreamTicketDto {
  @ApiProperty({
    description: 'Opaque; opens `GET /v1/queues/stream?ticket=` until it expires, nothing else',
    example: 'cxst_3q2v7PZk0c8X0m1lWJ5qvH2s1oQ2kq2Xo0aYbq0hZ3E',
  })
  ticket!: string;

  @ApiProperty({
    description: 'When the ticket stops opening streams (UTC); open streams stay open',
    example: '2026-01-15T12:05:00.000Z',
  })
  expiresAt!: string;
}

export class QueueStreamEventDto {
  @ApiProperty({ example: '2026-01-15T12:00:05.120Z' }) asOf!: string;

  @ApiProperty({
    type: [QueueStatsRowDto],
    description:
      '`snapshot`: every queue asked for; `update`: only the queues that changed (full rows)',
  })
  queues!: QueueStatsRowDto[];

  @ApiPropertyOptional({
    type: [String],
    description: '`update` only: queues upstream stopped reporting',
  })
  removed?: string[];
}

export class QueueStreamStatusDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) upstream!: 'ok' | 'degraded';
  @ApiProperty({ example: '2026-01-15T12:00:05.120Z' }) since!: string;
  @ApiPropertyOptional({ example: 'CXone is unavailable (HTTP 503)' }) detail?: string;
}
