import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class UpstreamTokenStatusDto {
  @ApiProperty({ example: true, description: 'A CXone access token is cached and not expired' })
  valid!: boolean;
  @ApiProperty({ example: 3412, nullable: true, type: Number, description: 'Seconds left' })
  expiresInS!: number | null;
  @ApiProperty({ example: '2026-01-15T11:58:02.000Z', nullable: true, type: String })
  lastRefreshAt!: string | null;
}

export class UpstreamCircuitsDto {
  @ApiProperty({ enum: ['closed', 'open', 'halfOpen'], example: 'closed' }) reporting!: string;
  @ApiProperty({ enum: ['closed', 'open', 'halfOpen'], example: 'closed' }) analytics!: string;
  @ApiProperty({ enum: ['closed', 'open', 'halfOpen'], example: 'open' }) exports!: string;
  @ApiProperty({ enum: ['closed', 'open', 'halfOpen'], example: 'closed' }) users!: string;
}

export class UpstreamBudgetChangeDto {
  @ApiProperty({ example: '2026-01-15T11:59:40.120Z' }) at!: string;
  @ApiProperty({ enum: ['limit', 'rate'], example: 'rate' }) what!: 'limit' | 'rate';
  @ApiProperty({ example: 12, nullable: true, type: Number }) from!: number | null;
  @ApiProperty({ example: 37.8 }) to!: number;
  @ApiProperty({
    example: 'CXone answered HTTP 429 after accepting 54 calls in the last second',
  })
  reason!: string;
}

export class UpstreamLatencyDto {
  @ApiProperty({ example: 52, nullable: true, type: Number, description: 'Recent upstream ms' })
  recent!: number | null;
  @ApiProperty({ example: 50, nullable: true, type: Number, description: 'Baseline upstream ms' })
  baseline!: number | null;
}

export class UpstreamBudgetDto {
  @ApiProperty({
    example: 12,
    description:
      'Adaptive concurrency limit of this replica: grows while calls succeed at flat latency, halves on 429/503/timeouts',
  })
  limit!: number;
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'CXONE_MAX_CONCURRENCY (ceiling), null when unset',
  })
  maxConcurrency!: number | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'CXONE_MAX_RPS (ceiling), null when unset',
  })
  maxRps!: number | null;
  @ApiProperty({
    example: 37.8,
    nullable: true,
    type: Number,
    description:
      'Request rate in force (learned from CXone 429s, capped by CXONE_MAX_RPS); null: none',
  })
  effectiveRps!: number | null;
  @ApiProperty({ example: 2, description: 'Upstream calls in progress in this replica' })
  inFlight!: number;
  @ApiProperty({ example: 0, description: 'Calls waiting for a slot' })
  queued!: number;
  @ApiProperty({ example: true, description: 'Replicas share limit, hold and rate via Redis' })
  shared!: boolean;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: "End of CXone's Retry-After hold",
  })
  holdUntil!: string | null;
  @ApiProperty({ type: UpstreamLatencyDto }) latencyMs!: UpstreamLatencyDto;
  @ApiProperty({
    type: UpstreamBudgetChangeDto,
    nullable: true,
    description: 'Why the limit or rate last changed',
  })
  lastChange!: UpstreamBudgetChangeDto | null;
}

export class UpstreamLastErrorDto {
  @ApiProperty({ example: '2026-01-15T11:59:40.120Z' }) at!: string;
  @ApiProperty({ example: 'exportDownload' }) operation!: string;
  @ApiProperty({ example: 'CXone answered exportDownload with HTTP 503: Service Unavailable' })
  message!: string;
  @ApiPropertyOptional({
    description: "CXone's CorrelationId response header of the failed answer, for NICE support",
    example: '7d4c1a2e-5b1f-4c53-9a52-0f3e7c2d9b11',
  })
  correlationId?: string;
}

/** What GET /v1/upstream/status answers: the upstream port's health, never a token. */
export class UpstreamStatusDto {
  @ApiProperty({ enum: ['sandbox', 'cxone'], example: 'cxone' }) mode!: 'sandbox' | 'cxone';
  @ApiProperty({
    enum: ['v2', 'incontact'],
    example: 'incontact',
    description: 'Upstream dialect (CXONE_DIALECT); incontact is the real CXone API',
  })
  dialect!: 'v2' | 'incontact';
  @ApiProperty({
    example: 'https://api-na1.niceincontact.com',
    description: 'API host in use: configured, or (incontact) discovered with the token',
  })
  baseUrl!: string;
  @ApiProperty({ type: UpstreamTokenStatusDto }) token!: UpstreamTokenStatusDto;
  @ApiProperty({ type: UpstreamCircuitsDto }) circuits!: UpstreamCircuitsDto;
  @ApiProperty({ type: UpstreamBudgetDto }) budget!: UpstreamBudgetDto;
  @ApiProperty({ type: UpstreamLastErrorDto, nullable: true })
  lastError!: UpstreamLastErrorDto | null;
}
