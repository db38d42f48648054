import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { FormatQueryDto } from '../common/format/format-query.dto';
import { IsIsoInstant } from '../common/validation/iso-instant.decorator';
import { EXPORT_STATUSES, type ExportStatus, type WindowStatus } from './export.types';

export class CreateExportDto {
  @ApiProperty({
    example: '2024-01-01T00:00:00.000Z',
    description: 'Range start (ISO 8601; no offset = UTC)',
  })
  @MaxLength(64)
  @IsIsoInstant()
  start!: string;

  @ApiProperty({
    example: '2024-02-15T00:00:00.000Z',
    description:
      'Range end, after start and not in the future: an export is final once done (ISO 8601; no offset = UTC)',
  })
  @MaxLength(64)
  @IsIsoInstant()
  end!: string;

  @ApiPropertyOptional({
    example: 'https://bi.example.com/hooks/cxone',
    description:
      'Notified (signed POST) when the export finishes; host must be on WEBHOOK_ALLOWED_HOSTS',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  webhookUrl?: string;

  @ApiPropertyOptional({
    example: 'recording-interaction-metadata',
    description:
      'incontact dialect only: the Data Extraction entity (default EXPORT_ENTITY); a 400 in v2',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, {
    message: 'entity must be a Data Extraction entity name (lower-case letters, digits, dashes)',
  })
  entity?: string;

  @ApiPropertyOptional({
    example: '7',
    description:
      'incontact dialect only: the entity schema version (default EXPORT_ENTITY_VERSION)',
  })
  @IsOptional()
  @Matches(/^[0-9]{1,4}$/, { message: 'version must be a schema version such as "7" (a string)' })
  version?: string;
}

export class ExportIdParamDto {
  @ApiProperty({ example: '5f0c6d1e-8a53-4c1b-9d4e-2b7f3a9e6c10' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class ExportRecordsQueryDto extends FormatQueryDto {}

export class ExportLinksDto {
  @ApiProperty({ example: '/v1/exports/5f0c6d1e-8a53-4c1b-9d4e-2b7f3a9e6c10' })
  self!: string;
  @ApiProperty({ example: '/v1/exports/5f0c6d1e-8a53-4c1b-9d4e-2b7f3a9e6c10/records' })
  records!: string;
}

export class ExportWindowDto {
  @ApiProperty({ example: '2024-01-01T00:00:00.000Z' })
  dateFrom!: string;
  @ApiProperty({ example: '2024-01-31T00:00:00.000Z' })
  dateTo!: string;
}

export class ExportCreatedResponseDto {
  @ApiProperty({ example: '5f0c6d1e-8a53-4c1b-9d4e-2b7f3a9e6c10' })
  id!: string;
  @ApiProperty({ enum: EXPORT_STATUSES, example: 'queued' })
  status!: ExportStatus;
  @ApiProperty({
    type: [ExportWindowDto],
    description: 'The ≤30-day windows, one upstream job each',
  })
  windows!: ExportWindowDto[];
  @ApiProperty({ type: ExportLinksDto })
  links!: ExportLinksDto;
}

export class ExportProgressDto {
  @ApiProperty({ example: 2 })
  windowsTotal!: number;
  @ApiProperty({ example: 1, description: 'Windows finished (committed or failed for good)' })
  windowsDone!: number;
  @ApiProperty({ example: 50 })
  percent!: number;
}

export class ExportCountsDto {
  @ApiProperty({ example: 9226, description: 'Raw array elements parsed in committed windows' })
  received!: number;
  @ApiProperty({ example: 9039, description: 'Unique schema-valid records in the result' })
  valid!: number;
  @ApiProperty({ example: 94, description: 'Valid records whose id was already seen' })
  duplicates!: number;
  @ApiProperty({ example: 93, description: 'Elements failing the record schema' })
  schemaErrors!: number;
  @ApiPropertyOptional({
    example: 0,
    description:
      'incontact dialect only: rows of the Data Extraction files skipped (not in `received`) because their Start Date lies outside the window they were fetched for — the next day of a tenant that reads endDate inclusively. A date without a zone is skipped only when no UTC offset (−12 h … +14 h) places it inside (docs/export.md)',
  })
  outsideWindow?: number;
}

export class ExportWindowStatusDto extends ExportWindowDto {
  @ApiProperty({ example: '1b7e0c7a-62a5-4a57-b1d3-0d5d8f1c2e11', nullable: true })
  upstreamJobId!: string | null;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'failed'], example: 'completed' })
  status!: WindowStatus;
  @ApiPropertyOptional({ example: 'corrupt or truncated gzip: unexpected end of file' })
  error?: string;
}

export class ExportWebhookStatusDto {
  @ApiProperty({ example: 'https://bi.example.com/hooks/cxone', nullable: true })
  url!: string | null;
  @ApiProperty({ example: 1 })
  attempts!: number;
  @ApiProperty({ example: true })
  delivered!: boolean;
}

export class ExportStatusResponseDto {
  @ApiProperty({ example: '5f0c6d1e-8a53-4c1b-9d4e-2b7f3a9e6c10' })
  id!: string;
  @ApiProperty({ enum: EXPORT_STATUSES, example: 'completed' })
  status!: ExportStatus;
  @ApiProperty({ example: '2024-01-01T00:00:00.000Z' })
  start!: string;
  @ApiProperty({ example: '2024-02-15T00:00:00.000Z' })
  end!: string;
  @ApiProperty({ type: ExportProgressDto })
  progress!: ExportProgressDto;
  @ApiProperty({ type: ExportCountsDto })
  counts!: ExportCountsDto;
  @ApiProperty({ type: [ExportWindowStatusDto] })
  windows!: ExportWindowStatusDto[];
  @ApiProperty({ type: ExportWebhookStatusDto })
  webhook!: ExportWebhookStatusDto;
  @ApiProperty({ type: ExportLinksDto })
  links!: ExportLinksDto;
  @ApiProperty({ example: '2024-03-01T10:00:00.000Z' })
  createdAt!: string;
  @ApiProperty({ example: '2024-03-01T10:00:42.000Z' })
  updatedAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2024-03-04T10:00:42.000Z',
    description:
      'When the results of a finished export will be removed (EXPORT_RETENTION_HOURS after it ' +
      'finished); null while it runs and once they are gone',
  })
  expiresAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'When the result files were removed; the records then answer 410 Gone',
  })
  expiredAt!: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['expired', 'deleted', 'cancelled'],
    example: null,
    description:
      'Why they were removed: retention ran out, the owner deleted the export, or it was cancelled',
  })
  expiredReason!: 'expired' | 'deleted' | 'cancelled' | null;
}
