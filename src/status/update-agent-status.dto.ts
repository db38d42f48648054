import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DEFAULT_PAUSE_REASONS } from '../config/defaults';
import { AGENT_STATUSES, AgentStatus } from './status.types';

const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const WRAP_UP_CODE_PATTERN = /^[A-Za-z0-9 _.:-]{1,64}$/;

export class AgentStatusParamsDto {
  @ApiProperty({
    description: 'CXone user id: a UUID or 1-64 characters from [A-Za-z0-9_-]',
    example: 'e0000000-0000-4000-8000-000000000001',
  })
  @Matches(USER_ID_PATTERN, {
    message: 'userId must be a UUID or 1-64 characters from [A-Za-z0-9_-]',
  })
  userId!: string;
}

export class UpdateAgentStatusDto {
  @ApiProperty({ enum: AGENT_STATUSES, example: 'Break' })
  @IsIn(AGENT_STATUSES, { message: `status must be one of: ${AGENT_STATUSES.join(', ')}` })
  status!: AgentStatus;

  @ApiPropertyOptional({
    description: 'Required for Break; one of VALID_PAUSE_REASONS (default list shown)',
    enum: DEFAULT_PAUSE_REASONS,
    example: 'Queue Full',
    nullable: true,
  })
  @IsOptional()
  @IsString({ message: 'pauseReason must be a string' })
  pauseReason?: string | null;

  @ApiPropertyOptional({
    description: '1-64 characters from letters, digits, space and _ . : -',
    example: 'FOLLOW-UP',
    nullable: true,
  })
  @IsOptional()
  @IsString({ message: 'wrapUpCode must be a string' })
  @Matches(WRAP_UP_CODE_PATTERN, {
    message: 'wrapUpCode must be 1-64 characters from letters, digits, space and _ . : -',
  })
  wrapUpCode?: string | null;

  @ApiPropertyOptional({
    description:
      'Move the agent to Available automatically after wrap-up (directiveFlags.autoAvailable)',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'forceAvailability must be true or false' })
  forceAvailability?: boolean;
}

export class AgentStatusResponseDto {
  @ApiProperty({ example: 'e0000000-0000-4000-8000-000000000001' }) userId!: string;
  @ApiProperty({ example: 'Break' }) status!: string;
  @ApiProperty({ example: 'Queue Full', nullable: true, type: String }) pauseReason!: string | null;
  @ApiProperty({ example: '2026-11-22T08:15:02.113Z' }) updatedAt!: string;
  @ApiProperty({ description: 'Gateway time for checks and write, ms', example: 84 })
  latencyMs!: number;
  @ApiPropertyOptional({
    description:
      'Only when the configured dialect skipped a check it cannot make: which, and why. The ' +
      'incontact dialect (the real CXone API) exposes no shift schedule, so it answers ' +
      '`{"shift": "not-available-in-dialect"}`; the v2 dialect checks everything and omits it.',
    example: { shift: 'not-available-in-dialect' },
    type: 'object',
    additionalProperties: { type: 'string', enum: ['not-available-in-dialect'] },
  })
  checks?: Record<string, 'not-available-in-dialect'>;
}
