import { auditLine, AuditLines, AuditLineTemplate, AuditLineWriter } from './audit-lines';
import { auditRecord } from './audit-record.fake';

describe('AuditLines', () => {
  const records = [0, 1, 2].map((i) => auditRecord(i, Date.UTC(2026, 0, 1, 12, i)));

  it('holds JSON lines: what JSON.stringify writes, one per record, each ending in a newline', () => {
    const lines = AuditLines.of(records);
    expect(lines.count).toBe(3);
    expect(lines.bytes.toString()).toBe(records.map((r) => JSON.stringify(r) + '\n').join(''));
    expect(lines.texts()).toEqual(records.map((r) => JSON.stringify(r)));
  });

  it('reads the records back newest first', () => {
    expect([...AuditLines.of(records).newestFirst()]).toEqual([...records].reverse());
    expect([...AuditLines.empty.newestFirst()]).toEqual([]);
  });

  it('keeps text in any script and JSON-escaped characters intact', () => {
    const odd = auditRecord(9, 0, { actor: 'Zoë 日本 \u{1F600}', detail: { note: 'a\nb"c\\' } });
    expect([...AuditLines.of([odd]).newestFirst()]).toEqual([odd]);
  });

  it('parses a JSONL text, counting the lines that are not records', () => {
    const text = `${JSON.stringify(records[0])}\n{not json\n\n${JSON.stringify(records[1])}\n`;
    const { lines, skipped } = AuditLines.parse(text);
    expect(skipped).toBe(1);
    expect([...lines.newestFirst()]).toEqual([records[1], records[0]]);
  });

  describe('auditLine', () => {
    it('writes what JSON.stringify writes, for plain and awkward text alike', () => {
      const cases = [
        auditRecord(1, 0),
        auditRecord(2, 0, { actor: null, cache: 'HIT' }),
        auditRecord(3, 0, { targets: { agentId: '42' }, detail: { state: 'Available', n: 2 } }),
        auditRecord(4, 0, { actor: 'quote " back \\ slash', route: 'tab\tnew\nline\u0001' }),
        auditRecord(5, 0, {
          actor: 'Zoë 日本 \u{1F600}',
          ip: '\u2028\u2029',
          action: 'lone \ud800',
        }),
        auditRecord(6, 0, { latencyMs: Number.NaN, status: 499, outcome: 'aborted' }),
      ];
      for (const record of cases) expect(auditLine(record)).toBe(JSON.stringify(record));
    });

    it('writes the caller and route again whenever one of them changes between lines', () => {
      const base = auditRecord(8, 0);
      const sequence = [
        base,
        { ...base, requestId: 'again' },
        { ...base, ip: '10.0.0.9' },
        { ...base, actor: null },
        { ...base, method: 'POST', action: 'x' },
        { ...base, route: '/v1/other' },
        base,
      ];
      for (const record of sequence) expect(auditLine(record)).toBe(JSON.stringify(record));
    });

    it('is what a template writes with the same time, request id and latency', () => {
      const cases = [
        auditRecord(1, 0, { cache: 'HIT', detail: { start: '2024-05-01T00:00:00Z' } }),
        auditRecord(2, 0, { actor: 'Zoë "日本" \u{1F600}', ip: '\u2028', action: 'lone \ud800' }),
        auditRecord(3, 0, { targets: { agentId: '42' }, detail: { note: 'a\nb"c\\', n: 2 } }),
      ];
      const facts: [string, string, number][] = [
        ['2026-01-01T12:00:00.000Z', 'b7e3c2a0-0d6f-4c55-9a43-1f0e2d3c4b5a', 1.25],
        ['2026-01-01T12:00:00.001Z', 'quote"back\\slash\u0001', Number.NaN],
        ['odd time \ud800', 'Zoë', 0],
      ];
      for (const record of cases) {
        const template = new AuditLineTemplate(record);
        for (const [time, requestId, latencyMs] of facts) {
          const viaTemplate = new AuditLineWriter();
          viaTemplate.addFrom(template, time, requestId, latencyMs);
          const expected = { ...record, time, requestId, latencyMs };
          expect(viaTemplate.take().bytes.toString()).toBe(JSON.stringify(expected) + '\n');
          expect(template.recordWith(time, requestId, latencyMs)).toEqual(expected);
        }
      }
    });

    it('leaves out what is undefined, as JSON.stringify does', () => {
      const record = { ...auditRecord(7, 0), cache: undefined, detail: undefined };
      expect(auditLine(record)).toBe(JSON.stringify(record));
      expect(auditLine(record)).not.toContain('cache');
    });
  });

  describe('AuditLineWriter', () => {
    it('seals a batch in a buffer of its exact size and starts again empty', () => {
      const writer = new AuditLineWriter();
      writer.add(records[0]);
      expect(writer.count).toBe(1);
      const first = writer.take();
      expect(first.bytes.length).toBe(Buffer.byteLength(JSON.stringify(records[0])) + 1);
      expect(first.bytes.buffer.byteLength).toBe(first.bytes.length);
      expect(writer.count).toBe(0);
      expect(writer.take()).toBe(AuditLines.empty);
      writer.add(records[1]);
      expect([...writer.take().newestFirst()]).toEqual([records[1]]);
      // The first batch is its own copy: writing the second did not change it.
      expect([...first.newestFirst()]).toEqual([records[0]]);
    });

    it('grows past its first buffer without losing a line', () => {
      const writer = new AuditLineWriter();
      const many = Array.from({ length: 2000 }, (_, i) => auditRecord(i, i));
      for (const r of many) writer.add(r);
      const lines = writer.take();
      expect(lines.count).toBe(2000);
      expect(lines.texts().map((t) => JSON.parse(t) as unknown)).toEqual(many);
    });
  });
});
