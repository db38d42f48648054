import { CodeTable, mixCode, type CodeHash, type CodeTableState } from './code-table';
import { decodeKey, encodeKey, KeyKind } from './key-code';

export interface CompactKeySetOptions {
  /** Slot hash of a 128-bit code; specs inject a constant one to force every key into one chain. */
  hash?: CodeHash;
  /** Slots to start with per table (it grows by half when 80 % are used). */
  initialCapacity?: number;
}

/** A set's contents as another thread rebuilds them (see CompactKeySet.share / handOver). */
export interface SharedKeySet {
  uuids: CodeTableState;
  shorts: CodeTableState;
  others: string[];
}

/**
 * A set of string keys (record ids) that costs bytes, not tens of bytes, per key: a canonical
 * lower-case UUID is stored as its 128 bits and a key of up to 15 UTF-8 bytes packed into 128
 * bits, each kind in its own open-addressing table of 16-byte slots (see CodeTable; ≈ 20–30 B
 * per key with the free slots, against ≈ 90 B for a `Set<string>` of UUID strings).
 *
 * Collision rule: none is needed, because the codes are lossless — equal codes of the same kind
 * are equal strings, and a slot is matched on all 128 bits, so two distinct keys are never taken
 * for one another (probability 0, not "astronomically small"). A slot hash collision only puts
 * two codes in the same probe chain. Keys with no lossless code (longer, upper-case or other
 * formats) are kept exactly in a plain `Set<string>` beside the tables: correct, just not compact.
 *
 * Threads: `share()` puts the tables on SharedArrayBuffers for a read-only view elsewhere
 * (`fromShared`); `handOver()` moves them, with a transfer list, to a thread that `adopt`s them.
 */
export class CompactKeySet implements Iterable<string> {
  private readonly hash: CodeHash;
  private uuids: CodeTable;
  private shorts: CodeTable;
  private others: Set<string>;
  private readonly code = new Uint32Array(4);

  constructor(
    options: CompactKeySetOptions = {},
    shared?: SharedKeySet,
    private readonly readOnly = false,
  ) {
    this.hash = options.hash ?? mixCode;
    this.uuids = new CodeTable(this.hash, shared?.uuids, options.initialCapacity);
    this.shorts = new CodeTable(this.hash, shared?.shorts, options.initialCapacity);
    this.others = new Set(shared?.others);
  }

  /** A read-only view of a set shared by another thread (`share()`), over the same memory. */
  static fromShared(shared: SharedKeySet, options: CompactKeySetOptions = {}): CompactKeySet {
    return new CompactKeySet(options, shared, true);
  }

  /** Takes ownership of a set another thread handed over (`handOver`). */
  static adopt(shared: SharedKeySet, options: CompactKeySetOptions = {}): CompactKeySet {
    return new CompactKeySet(options, shared, false);
  }

  /** A set built from `keys` (test and resume convenience). */
  static of(keys: Iterable<string>, options: CompactKeySetOptions = {}): CompactKeySet {
    const set = new CompactKeySet(options);
    for (const key of keys) set.add(key);
    return set;
  }

  get size(): number {
    return this.uuids.size + this.shorts.size + this.others.size;
  }

  /** Bytes held by the two tables (the exact side set is not counted). */
  get tableBytes(): number {
    return this.uuids.byteLength + this.shorts.byteLength;
  }

  /** Keys kept exactly beside the tables, having no lossless code. */
  get uncodedSize(): number {
    return this.others.size;
  }

  /**
   * Makes room for `keys` keys in all (a size hint, e.g. estimated from a download's length), so
   * the tables need not grow — and briefly hold old and new slots — while they arrive. The
   * room is split between the kinds in the proportion seen so far.
   */
  reserve(keys: number): void {
    const coded = this.uuids.size + this.shorts.size;
    if (coded === 0) return this.uuids.reserve(keys);
    this.uuids.reserve(Math.ceil((keys * this.uuids.size) / coded));
    this.shorts.reserve(Math.ceil((keys * this.shorts.size) / coded));
  }

  has(key: string): boolean {
    const kind = encodeKey(key, this.code);
    return this.lookup(kind, key);
  }

  add(key: string): this {
    this.insert(key);
    return this;
  }

  /** Adds `key`; true when it was not there yet. */
  insert(key: string): boolean {
    return this.insertEncoded(encodeKey(key, this.code), key);
  }

  /**
   * The de-duplication step in one encoding: adds `key` unless this set or `also` (the keys
   * committed earlier, read only) holds it. True when the key is new to both.
   */
  insertUnlessIn(key: string, also: CompactKeySet | null): boolean {
    const kind = encodeKey(key, this.code);
    if (also) {
      also.code.set(this.code);
      if (also.lookup(kind, key)) return false;
    }
    return this.insertEncoded(kind, key);
  }

  /** Adds every key of `other`. When this set is empty it takes over `other`'s memory instead. */
  addAll(other: CompactKeySet): void {
    this.assertWritable();
    if (this.size === 0 && !other.readOnly) {
      this.uuids = other.uuids;
      this.shorts = other.shorts;
      this.others = other.others;
      other.uuids = new CodeTable(other.hash);
      other.shorts = new CodeTable(other.hash);
      other.others = new Set();
      return;
    }
    const into = (table: CodeTable) => (words: Uint32Array, offset: number) => {
      this.code.set(words.subarray(offset, offset + 4));
      table.insert(this.code);
    };
    other.uuids.forEachCode(into(this.uuids));
    other.shorts.forEachCode(into(this.shorts));
    for (const key of other.others) this.others.add(key);
  }

  /** For a read-only view in another thread (`fromShared`); this set must not change meanwhile. */
  share(): SharedKeySet {
    return { uuids: this.uuids.share(), shorts: this.shorts.share(), others: [...this.others] };
  }

  /** Moves the contents out (to post with `transfer`); this set is left empty. */
  handOver(): { state: SharedKeySet; transfer: ArrayBuffer[] } {
    this.assertWritable();
    const uuids = this.uuids.handOver();
    const shorts = this.shorts.handOver();
    const others = [...this.others];
    this.others = new Set();
    return {
      state: { uuids: uuids.state, shorts: shorts.state, others },
      transfer: [...uuids.transfer, ...shorts.transfer],
    };
  }

  /** Every key, decoded (order: UUIDs, short keys, then the others; not insertion order). */
  *[Symbol.iterator](): Iterator<string> {
    for (const [words, offset] of this.uuids.codes()) yield decodeKey(KeyKind.uuid, words, offset);
    for (const [words, offset] of this.shorts.codes())
      yield decodeKey(KeyKind.short, words, offset);
    yield* this.others;
  }

  private lookup(kind: KeyKind, key: string): boolean {
    switch (kind) {
      case KeyKind.uuid:
        return this.uuids.has(this.code);
      case KeyKind.short:
        return this.shorts.has(this.code);
      case KeyKind.none:
        return this.others.has(key);
    }
  }

  private insertEncoded(kind: KeyKind, key: string): boolean {
    this.assertWritable();
    switch (kind) {
      case KeyKind.uuid:
        return this.uuids.insert(this.code);
      case KeyKind.short:
        return this.shorts.insert(this.code);
      case KeyKind.none:
        if (this.others.has(key)) return false;
        this.others.add(key);
        return true;
    }
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error('this CompactKeySet is a read-only view of a shared set');
  }
}
