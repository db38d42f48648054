import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'end' }) field!: string;
  @ApiProperty({ example: 'end must be after start' }) message!: string;
}

/** RFC 9457 problem document, as every error response of the gateway. */
export class ProblemDto {
  @ApiProperty({ example: 'https://cxone-gateway.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'Invalid request: end' }) detail!: string;
  @ApiProperty({ example: '/v1/agents/3b1f0c4e-8d2a-4c55-9a57-0f2b6f3e1d01/state-history' })
  instance!: string;
  @ApiProperty({ example: '0d9c2a7e-3f3b-4c55-9a57-5a1e6d2c9b10' }) requestId!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Invalid fields: at most the first 20; errorCount says how many there were',
  })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ example: 1, description: 'How many field errors were found in all' })
  errorCount?: number;
}
