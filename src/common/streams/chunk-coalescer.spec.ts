import { ChunkCoalescer } from './chunk-coalescer';

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);
const owns = (b: Uint8Array) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;

describe('ChunkCoalescer', () => {
  it('joins small chunks into full buffers, in order, each alone in its ArrayBuffer', () => {
    const joined = new ChunkCoalescer(10);
    const input = bytes(37);
    const out: Uint8Array[] = [];
    for (let i = 0; i < input.length; i += 4) out.push(...joined.push(input.subarray(i, i + 4)));
    expect(out.map((b) => b.length)).toEqual([10, 10, 10]);
    expect(out.every(owns)).toBe(true);
    const rest = joined.flush();
    expect(rest?.length).toBe(7);
    expect(Buffer.concat([...out, rest!]).equals(Buffer.from(input))).toBe(true);
    expect(joined.flush()).toBeNull();
  });

  it('passes a large chunk on after what was pending, copied only when it shares its buffer', () => {
    const joined = new ChunkCoalescer(8);
    expect(joined.push(bytes(3))).toEqual([]);
    const whole = bytes(20, 3);
    const [pending, large] = joined.push(whole);
    expect(pending).toEqual(bytes(3));
    expect(large).toBe(whole);
    const shared = bytes(40).subarray(5, 30);
    const [copy] = joined.push(shared);
    expect(copy).not.toBe(shared);
    expect(owns(copy)).toBe(true);
    expect(Buffer.from(copy).equals(Buffer.from(shared))).toBe(true);
  });
});
