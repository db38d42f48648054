import { parse } from 'csv-parse/sync';
import { WindowDownloadError } from '../../../export/export-pipeline';
import { CsvRows } from './csv-rows';

/** Every row CsvRows hands on for `text` fed in `size`-byte chunks, and the unreadable count. */
async function rowsOf(
  text: string,
  size: number,
): Promise<{ rows: string[][]; unreadable: number }> {
  const rows: string[][] = [];
  let unreadable = 0;
  const splitter = new CsvRows({
    row: (cells) => rows.push(cells),
    unreadable: () => unreadable++,
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size));
  await splitter.end();
  return { rows, unreadable };
}

/** The reading the export had with csv-parse alone (its options then), as the reference. */
function csvParseRows(text: string): string[][] {
  const rows: string[][] = parse(text, {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  return rows;
}

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a',
  'Smith, John',
  'say "hi"',
  'two\nlines',
  'x\r\ny',
  'Nguyễn',
  '😀',
  '',
  ' ',
  ',',
  '"',
];

/** RFC 4180 files of ragged rows: fields quoted when they must be (and sometimes when not). */
function generatedFile(seed: number, eol: string): string {
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const field = (): string => {
    const value = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PIECES)).join('');
    const quote = /[",\r\n]/.test(value) || next() < 0.1;
    return quote ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = ['A,B,C,D'];
  for (let r = 0; r < 60; r += 1) {
    const cells = 3 + Math.floor(next() * 3);
    lines.push(next() < 0.05 ? '' : Array.from({ length: cells }, field).join(','));
  }
  return `\uFEFF${lines.join(eol)}${next() < 0.5 ? eol : ''}`;
}

describe('CsvRows', () => {
  it('reads generated files exactly as csv-parse did, for any chunking and record delimiter', async () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const eol = ['\r\n', '\n', '\r'][seed % 3];
      const text = generatedFile(seed, eol);
      const expected = csvParseRows(text);
      for (const size of [1, 2, 5, 17, 4096]) {
        const { rows, unreadable } = await rowsOf(text, size);
        expect({ seed, size, rows }).toEqual({ seed, size, rows: expected });
        expect(unreadable).toBe(0);
      }
    }
  });

  it('drops the BOM and empty lines, keeps quoted line breaks and multi-byte characters whole', async () => {
    const text = '\uFEFFid,note\r\n1,"a\nb, ""c"""\r\n\r\n2,Müller 😀\r\n';
    for (const size of [1, 3, 64]) {
      expect((await rowsOf(text, size)).rows).toEqual([
        ['id', 'note'],
        ['1', 'a\nb, "c"'],
        ['2', 'Müller 😀'],
      ]);
    }
  });

  it('reads on with csv-parse from a record whose quote papaparse cannot place', async () => {
    // `"A"x`: text after a closing quote. papaparse would read on to the next quote in the file.
    const rows = ['id,name,n', '1,ok,1', '2,"A"x,2', '3,"B, C",3', '4,plain,4'];
    const text = `${rows.join('\n')}\n`;
    const expected = [
      ['id', 'name', 'n'],
      ['1', 'ok', '1'],
      ['2', '"A"x', '2'],
      ['3', 'B, C', '3'],
      ['4', 'plain', '4'],
    ];
    expect(csvParseRows(text)).toEqual(expected);
    for (const size of [1, 4, 9, 1024]) expect((await rowsOf(text, size)).rows).toEqual(expected);
  });

  it('fails when the file ends inside a quoted field, naming the record', async () => {
    const cut = 'id,name\n1,a\n2,"Smith, Jo';
    await expect(rowsOf(cut, 3)).rejects.toThrow(WindowDownloadError);
    await expect(rowsOf(cut, 3)).rejects.toThrow(
      'the CSV file ends inside a quoted field (cut off?): the quote opened in record 3 is never closed',
    );
    // Past a stray quote csv-parse reads the file, and says it its own way.
    const cutLater = 'id,name\n1,"A"x\n2,"Smith, Jo';
    await expect(rowsOf(cutLater, 5)).rejects.toThrow(/^the CSV file ends inside a quoted field/);
  });

  it('reads a file of one line without a line break, and nothing from an empty one', async () => {
    expect((await rowsOf('id,name', 2)).rows).toEqual([['id', 'name']]);
    expect((await rowsOf('', 2)).rows).toEqual([]);
    expect((await rowsOf('\uFEFF', 1)).rows).toEqual([]);
  });
});
