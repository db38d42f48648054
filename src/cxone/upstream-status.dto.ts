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

export class UpstreamBudgetDto {
  @ApiProperty({ example: 20, description: 'Configured upstream requests per second' })
  maxRps!: number;
  @ApiProperty({ example: 10, description: 'Current rate; halved for 30 s after a CXone 429' })
  effectiveRps!: number;
  @ApiProperty({ example: 8 }) maxConcurrency!: number;
  @ApiProperty({ example: 2, description: 'Upstream calls in progress in this replica' })
  inFlight!: number;
  @ApiProperty({ example: 0, description: 'Calls waiting for a concurrency slot' })
  queued!: number;
  @ApiProperty({ example: true, description: 'Replicas share the per-second budget via Redis' })
  shared!: boolean;
  @ApiProperty({ example: null, nullable: true, type: String }) reducedUntil!: string | null;
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
