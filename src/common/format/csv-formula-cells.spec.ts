import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { encodeCsv, streamRows } from './tabular-encoders';

/** Every first character a spreadsheet reads as the start of a formula (or pastes into one). */
const STARTS = ['=', '+', '-', '@', '\t', '\r'];
const payload = (start: string): string => `${start}HYPERLINK("http://evil.example","x")`;

/** The cells of one CSV line written for `row` (no quoting is needed for these payloads). */
function cellsOf(csv: string, column: string): string[] {
  const [header, ...lines] = csv.split('\r\n').filter((l) => l !== '');
  const index = header.split(',').indexOf(column);
  return lines.map((line) => {
    // The payload holds a comma and quotes: it is quoted, with doubled quotes inside.
    const cells = line.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g) ?? [];
    const cell = (cells[index] ?? '').replace(/,$/, '');
    return cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
  });
}

/**
 * The cells the adversarial run found reachable with upstream text: state and previous state of
 * the state history, dimension values of summaries, and the string fields of export records.
 * Each must come out with a leading apostrophe, whichever encoder writes it.
 */
describe.each(STARTS.map((s) => [JSON.stringify(s), s] as const))(
  'CSV cells starting %s',
  (_, start) => {
    const hostile = payload(start);

    it('state history: state and previousState are neutralised', () => {
      const rows = [
        { timestamp: '2026-01-15T08:00:00.000Z', state: hostile, previousState: hostile },
      ];
      const csv = encodeCsv(rows, ['timestamp', 'state', 'previousState']);
      expect(cellsOf(csv, 'state')).toEqual([`'${hostile}`]);
      expect(cellsOf(csv, 'previousState')).toEqual([`'${hostile}`]);
    });

    it('summaries: dimension values are neutralised, metrics stay numbers', () => {
      const rows = [{ date: '2024-05-01', channel: hostile, skill: hostile, handle_time: -12.5 }];
      const csv = encodeCsv(rows, ['date', 'channel', 'skill', 'handle_time']);
      expect(cellsOf(csv, 'channel')).toEqual([`'${hostile}`]);
      expect(cellsOf(csv, 'skill')).toEqual([`'${hostile}`]);
      expect(cellsOf(csv, 'handle_time')).toEqual(['-12.5']);
    });

    it('export records (streamed): intent, outcome and botId are neutralised', async () => {
      // A Readable is an async iterable, as the export reader's record stream is.
      const records = Readable.from([
        { id: 'e1', botId: hostile, intent: hostile, outcome: hostile, duration: 3 },
      ]);
      const columns = ['id', 'botId', 'intent', 'outcome', 'duration'];
      const csv = await text(streamRows(records, 'csv', columns));
      for (const column of ['botId', 'intent', 'outcome']) {
        expect(cellsOf(csv, column)).toEqual([`'${hostile}`]);
      }
      expect(cellsOf(csv, 'duration')).toEqual(['3']);
    });
  },
);
