/**
 * A Map that forgets its least recently used entries beyond `maxEntries` or a total `maxWeight`
 * (e.g. rows held). Map-shaped, so Keyv accepts it as an in-memory store; also the L1 in front
 * of the analytics cache in memory mode.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  private totalWeight = 0;
  private readonly weights = new Map<K, number>();
  /** The most recently used key: asking for it again needs no re-insert (a polled URL). */
  private newest: K | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Infinity,
    private readonly weigh: (value: V) => number = () => 1,
  ) {
    super();
  }

  override get(key: K): V | undefined {
    const value = super.get(key);
    if (value !== undefined && key !== this.newest) {
      // Re-insert so iteration order is least- to most-recently used.
      super.delete(key);
      super.set(key, value);
      this.newest = key;
    }
    return value;
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    this.newest = key;
    const weight = Math.max(0, this.weigh(value));
    this.weights.set(key, weight);
    this.totalWeight += weight;
    this.evict();
    return this;
  }

  override delete(key: K): boolean {
    if (key === this.newest) this.newest = undefined;
    const weight = this.weights.get(key);
    if (weight !== undefined) {
      this.totalWeight -= weight;
      this.weights.delete(key);
    }
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.newest = undefined;
    this.weights.clear();
    this.totalWeight = 0;
  }

  get weight(): number {
    return this.totalWeight;
  }

  private evict(): void {
    // Keep the newest entry even when it alone exceeds maxWeight.
    while (this.size > 1 && (this.size > this.maxEntries || this.totalWeight > this.maxWeight)) {
      const oldest = this.keys().next().value as K;
      this.delete(oldest);
    }
  }
}
