/**
 * A strict RFC 4180 reader for checking what the gateway writes, written apart from the encoder
 * so a shared mistake cannot hide: quoted fields, doubled quotes, CRLF record ends, any one-
 * character delimiter. A quote inside an unquoted field, or a bare CR/LF outside quotes, throws:
 * those are exactly the bytes that split rows in Excel.
 */
export function readCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (atFieldStart && c === '"') {
      const end = readQuoted(text, i + 1);
      field = end.value;
      i = end.next;
      atFieldStart = false;
      const after = text[i];
      if (i < text.length && after !== delimiter && after !== '\r') {
        throw new Error(`character ${JSON.stringify(after)} after a closing quote at ${i}`);
      }
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      i += 2;
    } else if (c === '"' || c === '\r' || c === '\n') {
      throw new Error(`unquoted ${JSON.stringify(c)} inside a field at ${i}`);
    } else {
      field += c;
      atFieldStart = false;
      i += 1;
    }
  }
  if (!atFieldStart || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

function readQuoted(text: string, from: number): { value: string; next: number } {
  let value = '';
  let i = from;
  for (;;) {
    if (i >= text.length) throw new Error('unterminated quoted field');
    if (text[i] === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, next: i + 1 };
    }
    value += text[i];
    i += 1;
  }
}

/** Header row + data rows as objects. */
export function readCsvObjects(text: string, delimiter = ','): Record<string, string>[] {
  const [header, ...rows] = readCsv(text, delimiter);
  return rows.map((cells) => {
    if (cells.length !== header.length) {
      throw new Error(`a row has ${cells.length} cells, the header ${header.length}`);
    }
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}
