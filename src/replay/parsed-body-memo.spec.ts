import Fastify from 'fastify';
import { jsonBodyParserOf, type JsonBodyParse } from '../common/http/json-body-parser';
import { MAX_MEMO_BODY_BYTES, ParsedBodyMemo } from './parsed-body-memo';

/** The gateway's real JSON body parser, counting the bodies it was asked to parse. */
function countingParser(): { parse: JsonBodyParse; calls: () => number } {
  const real = jsonBodyParserOf(Fastify());
  let calls = 0;
  return {
    parse: (body) => {
      calls++;
      return real(body);
    },
    calls: () => calls,
  };
}

const QUERY = '{"metrics":["handle_time"],"dimensions":["date"],"filter":{"channel":"voice"}}';

describe('ParsedBodyMemo', () => {
  it('parses a body once and answers the same bytes again from memory', () => {
    const parser = countingParser();
    const memo = new ParsedBodyMemo(parser.parse);
    const first = memo.read(Buffer.from(QUERY));
    const again = memo.read(Buffer.from(QUERY));
    expect(first?.value).toEqual(JSON.parse(QUERY));
    expect(first?.json).toBe(JSON.stringify(JSON.parse(QUERY)));
    expect(again).toBe(first);
    expect(parser.calls()).toBe(1);
  });

  it('freezes the value throughout, so no request can change what the next one reads', () => {
    const memo = new ParsedBodyMemo(countingParser().parse);
    const value = memo.read(Buffer.from(QUERY))?.value as {
      metrics: string[];
      filter: { channel: string };
    };
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.metrics)).toBe(true);
    expect(Object.isFrozen(value.filter)).toBe(true);
    expect(() => value.metrics.push('talk_time')).toThrow(TypeError);
    expect(memo.read(Buffer.from(QUERY))?.value).toEqual(JSON.parse(QUERY));
  });

  it('keys by the exact bytes: the same query spaced differently is parsed on its own', () => {
    const parser = countingParser();
    const memo = new ParsedBodyMemo(parser.parse);
    const compact = memo.read(Buffer.from('{"a":1,"b":[2]}'));
    const spaced = memo.read(Buffer.from('{ "a": 1, "b": [ 2 ] }'));
    expect(spaced).not.toBe(compact);
    expect(spaced?.json).toBe(compact?.json);
    expect(parser.calls()).toBe(2);
  });

  it('tells apart bodies that differ only in a byte outside ASCII', () => {
    const memo = new ParsedBodyMemo(countingParser().parse);
    expect(memo.read(Buffer.from('{"name":"é"}'))?.value).toEqual({ name: 'é' });
    expect(memo.read(Buffer.from('{"name":"è"}'))?.value).toEqual({ name: 'è' });
  });

  it('does not remember a refused body: it is parsed, and refused, every time', () => {
    const parser = countingParser();
    const memo = new ParsedBodyMemo(parser.parse);
    const refused = [
      Buffer.from('{"metrics":'), // malformed
      Buffer.from(`${'['.repeat(40)}${']'.repeat(40)}`), // too deep
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), // not UTF-8
      Buffer.from('{"__proto__":{"admin":true}}'), // prototype poisoning
    ];
    for (const body of refused) {
      expect(memo.read(body)).toBeUndefined();
      expect(memo.read(body)).toBeUndefined();
    }
    expect(parser.calls()).toBe(refused.length * 2);
  });

  it('parses a body over the memo limit every time, with the same answer', () => {
    const parser = countingParser();
    const memo = new ParsedBodyMemo(parser.parse);
    const big = Buffer.from(JSON.stringify({ text: 'x'.repeat(MAX_MEMO_BODY_BYTES) }));
    const first = memo.read(big);
    const again = memo.read(big);
    expect(again?.json).toBe(first?.json);
    expect(again).not.toBe(first);
    expect(parser.calls()).toBe(2);
  });

  it('forgets the least recently used body beyond its 256 entries', () => {
    const parser = countingParser();
    const memo = new ParsedBodyMemo(parser.parse);
    const bodyOf = (n: number): Buffer => Buffer.from(`{"n":${n}}`);
    for (let n = 0; n < 256; n++) memo.read(bodyOf(n));
    memo.read(bodyOf(0)); // 0 is now the most recently used; 1 the least
    memo.read(bodyOf(256));
    const before = parser.calls();
    memo.read(bodyOf(0));
    expect(parser.calls()).toBe(before);
    memo.read(bodyOf(1));
    expect(parser.calls()).toBe(before + 1);
  });
});
