import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FormatQueryDto } from '../../common/format/format-query.dto';

const BUSY_AGENT = 'a0000000-0000-4000-8000-000000000001';

export class AgentStateHistoryParamsDto {
  @ApiProperty({
    description:
      'CXone agent id: a UUID with CXONE_DIALECT=v2, a positive integer (the ACD agent id) with ' +
      'incontact; anything else is a 400 naming agentId',
    example: BUSY_AGENT,
  })
  // The format depends on the dialect, so the service checks it against the bound source.
  @IsString({ message: 'agentId must be a string' })
  @MaxLength(64, { message: 'agentId must be at most 64 characters' })
  agentId!: string;
}

export class GetAgentStateHistoryDto extends FormatQueryDto {
  @ApiPropertyOptional({
    description:
      'Window start, ISO 8601; no offset = UTC (encode `+` as %2B). Default: 24 h before `end`.',
    example: '2026-01-14T00:00:00Z',
  })
  @IsOptional()
  @IsString({ message: 'start must be an ISO 8601 date-time' })
  @MaxLength(40, { message: 'start must be an ISO 8601 date-time' })
  start?: string;

  @ApiPropertyOptional({
    description:
      'Window end (exclusive), ISO 8601; no offset = UTC. Default: now; a future end is clamped ' +
      'to now. Must be after start and at most HISTORY_MAX_DAYS (31) days after it.',
    example: '2026-01-15T00:00:00Z',
  })
  @IsOptional()
  @IsString({ message: 'end must be an ISO 8601 date-time' })
  @MaxLength(40, { message: 'end must be an ISO 8601 date-time' })
  end?: string;

  @ApiPropertyOptional({
    description:
      'IANA time zone: timestamps (records, start, end, first/last change) are written with ' +
      "this zone's offset, and `summary.byDay` splits the time in each state at its local " +
      'midnights (DST days are 23 or 25 hours). Default UTC (timestamps end in Z).',
    example: 'Europe/Berlin',
  })
  @IsOptional()
  @IsString({ message: 'timeZone must be an IANA time-zone name' })
  @MaxLength(64, { message: 'timeZone must be an IANA time-zone name' })
  timeZone?: string;
}

export class AgentStateRecordDto {
  @ApiProperty({
    description: 'When the agent entered the state (UTC)',
    example: '2026-01-14T08:00:04.512Z',
  })
  timestamp!: string;
  @ApiProperty({ example: BUSY_AGENT }) agentId!: string;
  @ApiProperty({ description: 'State name', example: 'Available' }) state!: string;
  @ApiProperty({
    description: 'CXone state id',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    example: 1,
  })
  stateId!: number | string;
  @ApiProperty({
    description: 'State before this change',
    nullable: true,
    type: String,
    example: 'ACW',
  })
  previousState!: string | null;
  @ApiProperty({
    description:
      'Seconds (millisecond precision) until the next change, or until `end` for the last one',
    example: 8.64,
  })
  durationSeconds!: number;
  @ApiPropertyOptional({
    description: 'incontact: the unavailable code when the state is Unavailable',
    example: 'Break',
  })
  reason?: string;
  @ApiPropertyOptional({
    description: 'incontact: skill of the contact handled',
    example: 'Sales Support',
  })
  skillName?: string;
  @ApiPropertyOptional({ description: 'incontact: CXone contact id', example: '612345678' })
  contactId?: string;
  @ApiPropertyOptional({ description: 'incontact: media type name', example: 'Phone Call' })
  mediaType?: string;
  @ApiPropertyOptional({ description: 'incontact: ACD team id', example: '2472301' })
  teamId?: string;
}

export class StateTotalsDto {
  @ApiProperty({ example: 2500 }) count!: number;
  @ApiProperty({ description: 'Total seconds (millisecond precision)', example: 21600.125 })
  seconds!: number;
}

@ApiExtraModels(StateTotalsDto)
export class LocalDaySummaryDto {
  @ApiProperty({ example: '2026-01-14' }) date!: string;
  @ApiProperty({ example: '2026-01-14T00:00:00.000+01:00' }) start!: string;
  @ApiProperty({ example: '2026-01-15T00:00:00.000+01:00' }) end!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StateTotalsDto) },
    example: { Available: { count: 1250, seconds: 10805.2 } },
  })
  byState!: Record<string, StateTotalsDto>;
}

@ApiExtraModels(StateTotalsDto)
export class StateHistorySummaryDto {
  @ApiProperty({
    description: 'Per state name: number of changes into it and total seconds spent in it',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StateTotalsDto) },
    example: {
      Available: { count: 2500, seconds: 21610.4 },
      InboundContact: { count: 1900, seconds: 16420.001 },
      ACW: { count: 2500, seconds: 21590.87 },
    },
  })
  byState!: Record<string, StateTotalsDto>;
  @ApiProperty({ nullable: true, type: String, example: '2026-01-14T00:00:04.512Z' })
  firstChange!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-01-14T23:59:58.020Z' })
  lastChange!: string | null;
  @ApiProperty({
    type: [LocalDaySummaryDto],
    description:
      'Per local day of `timeZone` (cut at the window edges): changes into each state that day ' +
      'and the seconds spent in it within the day (a state spanning midnight is split)',
  })
  byDay!: LocalDaySummaryDto[];
}

export class AgentStateHistoryResponseDto {
  @ApiProperty({ example: BUSY_AGENT }) agentId!: string;
  @ApiProperty({ example: 'UTC', description: 'The zone of every timestamp in this answer' })
  timeZone!: string;
  @ApiProperty({ description: 'Effective window start (UTC)', example: '2026-01-14T00:00:00.000Z' })
  start!: string;
  @ApiProperty({
    description: 'Effective window end (UTC, after clamping)',
    example: '2026-01-15T00:00:00.000Z',
  })
  end!: string;
  @ApiProperty({ example: 2 }) count!: number;
  @ApiProperty({
    type: [AgentStateRecordDto],
    example: [
      {
        timestamp: '2026-01-14T23:59:41.100Z',
        agentId: BUSY_AGENT,
        state: 'ACW',
        stateId: 6,
        previousState: 'InboundContact',
        durationSeconds: 16.92,
      },
      {
        timestamp: '2026-01-14T23:59:58.020Z',
        agentId: BUSY_AGENT,
        state: 'Available',
        stateId: 1,
        previousState: 'ACW',
        durationSeconds: 1.98,
      },
    ],
  })
  records!: AgentStateRecordDto[];
  @ApiProperty({ type: StateHistorySummaryDto }) summary!: StateHistorySummaryDto;
}
