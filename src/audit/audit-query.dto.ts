import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsIsoInstant } from '../common/validation/iso-instant.decorator';

/** `since` and `limit`: what both audit reads (the trail and the anonymous requests) take. */
export class AnonymousAuditQueryDto {
  @ApiPropertyOptional({
    description: 'Only records at or after this instant (ISO 8601)',
    example: '2026-11-22T00:00:00Z',
  })
  @IsOptional()
  @IsIsoInstant()
  since?: string;

  @ApiPropertyOptional({ description: 'Maximum records (1-1000)', default: 100, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AuditQueryDto extends AnonymousAuditQueryDto {
  @ApiPropertyOptional({ description: 'API key name that acted', example: 'powerbi' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.-]{1,64}$/, { message: 'actor must be an API key name ([A-Za-z0-9_.-], ≤ 64)' })
  actor?: string;

  @ApiPropertyOptional({ description: 'Action name, e.g. status.update', example: 'status.update' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'action must be an action name like status.update' })
  action?: string;
}

export class AuditRecordDto {
  @ApiProperty({ example: '2026-11-22T08:15:02.113Z' }) time!: string;
  @ApiProperty({ example: '6f1c2e0a-8a51-4d8e-9f0e-2b7d2d0a1c11' }) requestId!: string;
  @ApiProperty({ example: 'powerbi', nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ example: '10.0.0.12' }) ip!: string;
  @ApiProperty({ example: 'PUT' }) method!: string;
  @ApiProperty({ example: '/v1/agents/:userId/status' }) route!: string;
  @ApiProperty({ example: 'status.update' }) action!: string;
  @ApiProperty({ example: { userId: '3b1f…' } }) targets!: Record<string, string>;
  @ApiProperty({ example: 200 }) status!: number;
  @ApiProperty({ enum: ['success', 'client_error', 'denied', 'server_error', 'aborted'] })
  outcome!: string;
  @ApiProperty({ example: 41.7 }) latencyMs!: number;
  @ApiPropertyOptional({ example: 'HIT' }) cache?: string;
  @ApiPropertyOptional({ example: { status: 'Break', pauseReason: 'IT Issue' } })
  detail?: Record<string, unknown>;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditRecordDto] }) records!: AuditRecordDto[];
  @ApiProperty({ example: 1 }) count!: number;
}
