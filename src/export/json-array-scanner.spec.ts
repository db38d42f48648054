import { JsonArrayParseError, JsonArrayScanner } from './json-array-scanner';

/** Feeds `input` to a fresh scanner cut into chunks at `cuts` (byte offsets). */
function scan(input: string | Buffer, cuts: number[] = [], maxElementBytes?: number) {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const sut = new JsonArrayScanner(maxElementBytes);
  const values: unknown[] = [];
  const texts: string[] = [];
  let last = 0;
  for (const cut of [...cuts, buf.length]) {
    sut.push(buf.subarray(last, cut), (value, text) => {
      values.push(value);
      texts.push(text);
    });
    last = cut;
  }
  sut.end();
  return { values, texts, sut };
}

describe('JsonArrayScanner', () => {
  it('parses every top-level element of an array', () => {
    const { values, texts } = scan('[{"a":1},{"b":[1,2,{"c":"}"}]},3,"x",null,true,[]]');
    expect(values).toEqual([{ a: 1 }, { b: [1, 2, { c: '}' }] }, 3, 'x', null, true, []]);
    expect(texts[1]).toBe('{"b":[1,2,{"c":"}"}]}');
  });

  it('accepts an empty array and surrounding whitespace', () => {
    expect(scan('  \n[ \t]\n ').values).toEqual([]);
    expect(scan('\n[\n  {"a" : 1} ,\n  {"b":2}\n]\n').values).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('trims whitespace around element text', () => {
    expect(scan('[ {"a":1} \n, 2 ]').texts).toEqual(['{"a":1}', '2']);
  });

  it('handles braces, brackets, commas and escaped quotes inside strings', () => {
    const tricky = [{ s: 'a "quoted" {brace} [bracket], comma \\ backslash' }, { t: '\\' }, '"]'];
    expect(scan(JSON.stringify(tricky)).values).toEqual(tricky);
  });

  it('gives the same result for every possible split point', () => {
    const records = [
      { id: 'é-1', s: 'x\\"}{,' },
      { id: '2', n: [1, { m: '€' }] },
      'str"ing',
      42,
      { id: '3', emoji: '😀' },
    ];
    const input = Buffer.from(JSON.stringify(records, null, 1), 'utf8');
    for (let cut = 0; cut <= input.length; cut += 1) {
      expect(scan(input, [cut]).values).toEqual(records);
    }
    // Many tiny chunks, including splits inside multi-byte characters.
    const everyByte = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
    expect(scan(input, everyByte).values).toEqual(records);
  });

  describe('fast path for compact arrays of objects', () => {
    const decoys = [
      { s: '},{' },
      { n: [{ a: 1 }, { b: 2 }], t: 'x\\"},{"' },
      { c: 3, d: { e: [{ f: '},{' }, {}] } },
      { last: true },
    ];

    it('is not fooled by "},{" inside strings or nested arrays, at any split point', () => {
      const input = Buffer.from(JSON.stringify(decoys), 'utf8');
      for (let cut = 0; cut <= input.length; cut += 1) {
        const { values, texts } = scan(input, [cut]);
        expect(values).toEqual(decoys);
        expect(texts).toEqual(decoys.map((d) => JSON.stringify(d)));
      }
    });

    it('points at the exact source bytes of each element while the handler runs', () => {
      const input = Buffer.from(JSON.stringify(decoys), 'utf8');
      const sut = new JsonArrayScanner();
      const sources: string[] = [];
      sut.push(input, () =>
        sources.push(sut.source.toString('utf8', sut.sourceStart, sut.sourceEnd)),
      );
      sut.end();
      expect(sources).toEqual(decoys.map((d) => JSON.stringify(d)));
    });

    it.each([
      [
        'a malformed element between good ones',
        '[{"a":1},{"b":},{"c":3}]',
        /invalid JSON in array element 2/,
      ],
      ['a stray closing brace before a separator', '[{"a":1}},{"b":2}]', /unbalanced/],
      [
        'a missing comma hidden by a later separator',
        '[{"a":1}{"b":2},{"c":3}]',
        /invalid JSON in array element 1/,
      ],
    ])('reports %s exactly as the byte scan does', (_name, input, message) => {
      expect(() => scan(input)).toThrow(message);
    });
  });

  it.each([
    ['truncated inside an element', '[{"a":1},{"b":'],
    ['truncated before the closing bracket', '[{"a":1},{"b":2}'],
    ['truncated inside a string', '[{"a":"abc'],
    ['empty input', ''],
    ['only whitespace', '  \n '],
  ])('throws on end() when %s', (_name, input) => {
    expect(() => scan(input)).toThrow(JsonArrayParseError);
  });

  it.each([
    ['an object instead of an array', '{"a":1}'],
    ['a bare value', '42'],
    ['a malformed element', '[{"a":1},{"b":}]'],
    ['two values without a comma', '[{"a":1} {"b":2}]'],
    ['a trailing comma', '[{"a":1},]'],
    ['a leading comma', '[,{"a":1}]'],
    ['a stray closing brace', '[{"a":1}}]'],
    ['garbage after the array', '[{"a":1}] x'],
    ['a second array', '[1][2]'],
  ])('throws on %s', (_name, input) => {
    expect(() => scan(input)).toThrow(JsonArrayParseError);
  });

  it('reports malformed input even when the error straddles chunks', () => {
    expect(() => scan('[{"a":1},{"b":tru e}]', [15, 16])).toThrow(/invalid JSON/);
  });

  it('refuses an element larger than the cap', () => {
    const big = JSON.stringify([{ s: 'x'.repeat(1000) }]);
    expect(() => scan(big, [100, 500], 256)).toThrow(/exceeds 256 bytes/);
  });

  it('counts the elements it emitted', () => {
    expect(scan('[1,2,3]', [2]).sut.elements).toBe(3);
  });
});
