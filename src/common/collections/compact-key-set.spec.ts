import { randomUUID } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { CompactKeySet, type SharedKeySet } from './compact-key-set';
import { decodeKey, encodeKey, KeyKind } from './key-code';

const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());
/** Every key in one probe chain: the collision path is all there is. */
const colliding = { hash: () => 0x7fffffff };

describe('encodeKey / decodeKey', () => {
  const code = new Uint32Array(4);

  it('stores a lower-case UUID as its 128 bits and gives the same string back', () => {
    const id = '0f1e2d3c-4b5a-4697-8877-665544332211';
    expect(encodeKey(id, code)).toBe(KeyKind.uuid);
    expect([...code]).toEqual([0x0f1e2d3c, 0x4b5a4697, 0x88776655, 0x44332211]);
    expect(decodeKey(KeyKind.uuid, code)).toBe(id);
  });

  it.each([
    ['upper case', '0F1E2D3C-4B5A-4697-8877-665544332211'],
    ['a dash moved', '0f1e2d3c4-b5a-4697-8877-665544332211'],
    ['a non-hex digit', '0f1e2d3c-4b5a-4697-8877-66554433221g'],
  ])('gives no UUID code to a key with %s (it is kept exactly instead)', (_why, key) => {
    expect(encodeKey(key, code)).not.toBe(KeyKind.uuid);
  });

  it.each(['', 'a', 'a\u0000', '123456789012345', 'héllo wörld', '日本語'])(
    'packs the short key %j losslessly',
    (key) => {
      expect(encodeKey(key, code)).toBe(KeyKind.short);
      expect(decodeKey(KeyKind.short, code)).toBe(key);
    },
  );

  it('gives no code to a 16-byte key or to a lone surrogate (UTF-8 would merge it with U+FFFD)', () => {
    expect(encodeKey('1234567890123456', code)).toBe(KeyKind.none);
    expect(encodeKey('éééééééé', code)).toBe(KeyKind.none); // 8 characters, 16 bytes
    expect(encodeKey('\ud800', code)).toBe(KeyKind.none);
  });
});

describe('CompactKeySet', () => {
  it('adds, finds and counts keys of every kind, each once', () => {
    const sut = new CompactKeySet();
    const keys = [randomUUID(), 'short-1', 'a-rather-long-key-without-a-code', randomUUID()];
    for (const key of keys) expect(sut.insert(key)).toBe(true);
    for (const key of keys) expect(sut.insert(key)).toBe(false);
    expect(sut.size).toBe(4);
    expect(keys.every((k) => sut.has(k))).toBe(true);
    expect(sut.has('short-2')).toBe(false);
    expect(sut.uncodedSize).toBe(1);
    expect(new Set(sut)).toEqual(new Set(keys));
  });

  it('keeps keys apart that only differ in case, kind or a trailing NUL', () => {
    const lower = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const sut = CompactKeySet.of([lower, 'x', '']);
    expect(sut.has(lower.toUpperCase())).toBe(false);
    expect(sut.insert(lower.toUpperCase())).toBe(true);
    expect(sut.insert('x\u0000')).toBe(true);
    expect(sut.has('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(sut.insert('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(sut.insert('')).toBe(false);
    expect(sut.size).toBe(6);
  });

  describe('with every key forced into one slot chain (constant hash)', () => {
    it('never takes a distinct key for a duplicate, and still finds every duplicate', () => {
      const sut = new CompactKeySet(colliding);
      // Near neighbours: UUIDs one digit apart and short keys one byte apart.
      const base = 'f00dfeed-0000-4000-8000-0000000000';
      const keys = [
        ...Array.from({ length: 256 }, (_, i) => base + i.toString(16).padStart(2, '0')),
        ...Array.from({ length: 256 }, (_, i) => `k${i}`),
      ];
      for (const key of keys) expect(sut.insert(key)).toBe(true);
      for (const key of keys) expect(sut.insert(key)).toBe(false);
      expect(sut.size).toBe(keys.length);
      expect(sut.has(`${base}zz`)).toBe(false);
      expect(sut.has('k256')).toBe(false);
    });

    it('keeps all of them through growth', () => {
      const sut = new CompactKeySet({ ...colliding, initialCapacity: 64 });
      const keys = uuids(1500);
      for (const key of keys) sut.add(key);
      expect(sut.size).toBe(1500);
      expect(keys.every((k) => sut.has(k))).toBe(true);
      expect(new Set(sut)).toEqual(new Set(keys));
    });
  });

  it('grows from 64 slots to 200 000 keys with every key still there, at ≤ 40 bytes a key', () => {
    const sut = new CompactKeySet({ initialCapacity: 64 });
    const start = sut.tableBytes;
    const keys = uuids(200_000);
    for (const key of keys) sut.add(key);
    expect(sut.size).toBe(200_000);
    expect(sut.tableBytes).toBeGreaterThan(start * 1000);
    expect(sut.tableBytes / sut.size).toBeLessThanOrEqual(40);
    expect(keys.every((k) => sut.has(k))).toBe(true);
    expect(uuids(1000).some((k) => sut.has(k))).toBe(false);
  });

  it('insertUnlessIn de-duplicates against the committed keys and its own in one step', () => {
    const committed = CompactKeySet.of(['a', 'b', randomUUID()]);
    const sut = new CompactKeySet();
    expect(['b', 'c', 'a', 'c', 'd'].map((k) => sut.insertUnlessIn(k, committed))).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(new Set(sut)).toEqual(new Set(['c', 'd']));
    expect(committed.size).toBe(3);
  });

  it('addAll takes over an empty set’s memory, and merges into a non-empty one', () => {
    const window = CompactKeySet.of(['w1', 'w2', 'long key without a code, kept exactly']);
    const seen = new CompactKeySet();
    seen.addAll(window);
    expect(seen.size).toBe(3);
    expect(window.size).toBe(0);
    seen.addAll(CompactKeySet.of(['w2', 'w3']));
    expect(new Set(seen)).toEqual(
      new Set(['w1', 'w2', 'w3', 'long key without a code, kept exactly']),
    );
  });

  it('shares its tables with another thread without copying; the view is read only', async () => {
    const keys = [...uuids(100), 'short', 'a long key with no lossless code'];
    const owner = CompactKeySet.of(keys, { initialCapacity: 1024 });
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<SharedKeySet>((resolve) => port2.once('message', resolve));
    port1.postMessage(owner.share());
    const view = CompactKeySet.fromShared(await received);
    port1.close();
    expect(keys.every((k) => view.has(k))).toBe(true);
    expect(view.size).toBe(keys.length);
    expect(() => view.add('x')).toThrow(/read-only/);
    // Same memory (no growth at this size): what the owner writes, the view sees.
    const later = randomUUID();
    owner.add(later);
    expect(view.has(later)).toBe(true);
  });

  it('hands its contents over to another thread (moved, not copied) and is left empty', async () => {
    const keys = [...uuids(500), 'short', 'a long key with no lossless code'];
    const owner = CompactKeySet.of(keys);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<SharedKeySet>((resolve) => port2.once('message', resolve));
    const { state, transfer } = owner.handOver();
    port1.postMessage(state, transfer);
    expect(transfer.every((buffer) => buffer.byteLength === 0)).toBe(true); // detached here
    const adopted = CompactKeySet.adopt(await received);
    port1.close();
    expect(owner.size).toBe(0);
    expect(adopted.size).toBe(keys.length);
    expect(keys.every((k) => adopted.has(k))).toBe(true);
    expect(adopted.insert(keys[0])).toBe(false);
    expect(adopted.insert(randomUUID())).toBe(true);
  });
});
