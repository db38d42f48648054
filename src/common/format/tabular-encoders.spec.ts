import { encodeCsv, encodeNdjson, streamRows } from './tabular-encoders';
import { resolveFormat } from './output-format';
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
