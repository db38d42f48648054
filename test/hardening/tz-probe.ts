/**
 * Run in a child process under a chosen TZ by dates.e2e-spec.ts: prints how the gateway's date
 * parsing reads the inputs given as argv[2] (a JSON array), and what the export DTO hands its
 * service, so the spec can compare zones. Jest cannot change the zone of its own process.
 */
import 'reflect-metadata';
import { normalizeIsoInstant } from '../../src/common/validation/iso-instant';
import { createValidationPipe } from '../../src/common/validation/validation-pipe.factory';
import { CreateExportDto } from '../../src/export/export.dto';
import { resolveHistoryRange } from '../../src/reporting/agent-history/history-range';

async function main(): Promise<void> {
  const inputs = JSON.parse(process.argv[2] ?? '[]') as string[];
  const dto = (await createValidationPipe().transform(
    { start: '2024-05-01T00:00:00', end: '2024-05-02' },
    { type: 'body', metatype: CreateExportDto },
  )) as CreateExportDto;
  const history = resolveHistoryRange(
    { start: '2024-05-01T00:00:00', end: '2024-05-01T06:00' },
    { nowMs: Date.UTC(2024, 5, 1), maxDays: 31 },
  );
  process.stdout.write(
    JSON.stringify({
      localOffsetMin: new Date(2024, 4, 1).getTimezoneOffset(),
      naiveDateParse: Date.parse('2024-05-01T00:00:00'),
      parsed: inputs.map((text) => normalizeIsoInstant(text) ?? null),
      exportRange: [dto.start, dto.end],
      historyRange: [history.startMs, history.endMs],
    }),
  );
}

void main();
