import { readCsv } from './csv-reader.fake';
import { CSV_DELIMITERS } from './csv-options';
import { encodeCsv, encodeNdjson, streamRows } from './tabular-encoders';
import { resolveFormat } from './resolve-format';
import { AppError } from '../errors/app-error';

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

async function* rows(): AsyncGenerator<object> {
  await Promise.resolve();
  yield { id: 'a', note: 'says "hi", twice', n: 1, ok: true };
  yield { id: 'b', note: 'line\nbreak', n: null, nested: { x: 1 } };
}

describe('tabular encoders', () => {
  const columns = ['id', 'note', 'n', 'ok', 'nested'];

  it('writes RFC 4180 CSV with a header row, CRLF and quoting', () => {
    const sut = encodeCsv(
      [
        { id: 'a', note: 'says "hi", twice', n: 1, ok: true },
        { id: 'b', note: 'line\nbreak', n: null, nested: { x: 1 } },
      ],
      columns,
    );
    expect(sut).toBe(
      'id,note,n,ok,nested\r\n' +
        'a,"says ""hi"", twice",1,true,\r\n' +
        'b,"line\nbreak",,,"{""x"":1}"\r\n',
    );
  });

  it('writes one JSON document per NDJSON line', () => {
    const sut = encodeNdjson([{ a: 1 }, { b: 'x' }]);
    expect(
      sut
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual([{ a: 1 }, { b: 'x' }]);
  });

  it('streams the same bytes as the buffered encoders', async () => {
    const all = [];
    for await (const r of rows()) all.push(r);
    expect(await collect(streamRows(rows(), 'csv', columns))).toBe(encodeCsv(all, columns));
    expect(await collect(streamRows(rows(), 'ndjson', columns))).toBe(encodeNdjson(all));
    expect(JSON.parse(await collect(streamRows(rows(), 'json', columns)))).toEqual(all);
    const none = (async function* (): AsyncGenerator<object> {})();
    expect(await collect(streamRows(none, 'json', columns))).toBe('[]');
  });
});

/** Text an upstream may send in any field: formulas, quotes, separators, line breaks. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+2',
  '-3+4',
  '@SUM(A1:A2)',
  '\tTabbed',
  '\rCarriage',
  'Quote "inside", comma',
  'semi;colon|pipe\ttab',
  'multi\nline\r\nvalue',
  'Zoë Ørsted – 客服',
];

describe('spreadsheet-safe CSV', () => {
  const columns = ['text', 'n', 'ok'];
  const rows = HOSTILE.map((text, i) => ({ text, n: -i - 0.5, ok: i % 2 === 0 }));

  it('neutralises formula-like text but writes negative numbers as numbers', () => {
    const sut = encodeCsv([{ text: '=1+1', n: -5, ok: false }], columns);
    expect(sut).toBe("text,n,ok\r\n'=1+1,-5,false\r\n");
  });

  it.each(CSV_DELIMITERS.map((d) => [JSON.stringify(d), d] as const))(
    'round-trips hostile text with delimiter %s through an independent RFC 4180 parser',
    (_label, delimiter) => {
      const sut = encodeCsv(rows, columns, { delimiter, bom: false });
      const parsed = readCsv(sut, delimiter);
      expect(parsed[0]).toEqual(columns);
      const cells = parsed.slice(1);
      expect(cells).toHaveLength(HOSTILE.length);
      cells.forEach(([text, n, ok], i) => {
        const original = HOSTILE[i];
        expect(text).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
        expect(Number(n)).toBe(-i - 0.5);
        expect(ok).toBe(String(i % 2 === 0));
      });
    },
  );

  it('quotes a value holding the chosen delimiter, and only then', () => {
    expect(encodeCsv([{ a: 'x;y', b: 'x,y' }], ['a', 'b'], { delimiter: ';', bom: false })).toBe(
      'a;b\r\n"x;y";x,y\r\n',
    );
  });

  it('starts with a UTF-8 byte-order mark only when asked, in both encoders', async () => {
    const withBom = encodeCsv(rows, columns, { delimiter: ',', bom: true });
    expect(Buffer.from(withBom, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(withBom.slice(1)).toBe(encodeCsv(rows, columns));
    async function* source(): AsyncGenerator<object> {
      await Promise.resolve();
      yield* rows;
    }
    const streamed = await collect(
      streamRows(source(), 'csv', columns, { delimiter: '|', bom: true }),
    );
    expect(streamed).toBe(encodeCsv(rows, columns, { delimiter: '|', bom: true }));
  });

  it('neutralises a formula-like column name in the header too', () => {
    expect(encodeCsv([], ['=cmd', 'ok'])).toBe("'=cmd,ok\r\n");
  });
});

describe('resolveFormat', () => {
  it('prefers ?format over Accept and defaults to JSON', () => {
    expect(resolveFormat(undefined, undefined)).toBe('json');
    expect(resolveFormat(undefined, 'text/csv')).toBe('csv');
    expect(resolveFormat(undefined, 'application/x-ndjson')).toBe('ndjson');
    expect(resolveFormat('json', 'text/csv')).toBe('json');
    expect(resolveFormat('ndjson', undefined)).toBe('ndjson');
  });

  it('rejects an unknown format naming the field', () => {
    expect(() => resolveFormat('xml', undefined)).toThrow(AppError);
    try {
      resolveFormat('xml', undefined);
    } catch (err) {
      expect((err as AppError).errors).toEqual([{ field: 'format', message: expect.any(String) }]);
    }
  });
});
