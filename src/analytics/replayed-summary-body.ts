/** The one part of a summary's JSON that changes while its entry stays the same. */
const CACHE_INFO = /"cache":\{"status":"(?:HIT|MISS)","ageSeconds":\d+\}/;

/** Where a recorded body's cache info lies (byte offsets), and the last body built from it. */
interface Rewrite {
  start: number;
  end: number;
  ageSeconds: number;
  body: Buffer;
}

/**
 * A recorded summary body as a hit sends it: the JSON envelope's `cache` object says HIT and
 * the entry's age. Each recorded body is searched once and each age built once, so the hits of
 * one second share one buffer: a rewrite per hit (decode, replace, encode 12 KB) was a sixth of
 * a POST hit's CPU, most of it garbage to collect.
 */
export class ReplayedSummaryBody {
  private readonly rewrites = new WeakMap<Buffer, Rewrite | null>();

  /** `recorded` with its cache info saying HIT at `ageSeconds`; unchanged when it has none. */
  of(recorded: Buffer, ageSeconds: number): Buffer {
    let rewrite = this.rewrites.get(recorded);
    if (rewrite === undefined) {
      rewrite = locate(recorded);
      this.rewrites.set(recorded, rewrite);
    }
    if (rewrite === null) return recorded;
    if (rewrite.ageSeconds !== ageSeconds) {
      rewrite.ageSeconds = ageSeconds;
      rewrite.body = Buffer.concat([
        recorded.subarray(0, rewrite.start),
        Buffer.from(`"cache":{"status":"HIT","ageSeconds":${ageSeconds}}`),
        recorded.subarray(rewrite.end),
      ]);
    }
    return rewrite.body;
  }
}

function locate(recorded: Buffer): Rewrite | null {
  const text = recorded.toString('utf8');
  const match = CACHE_INFO.exec(text);
  if (!match) return null;
  // Byte offsets: text before the match may hold multi-byte characters.
  const start = Buffer.byteLength(text.slice(0, match.index));
  return { start, end: start + Buffer.byteLength(match[0]), ageSeconds: -1, body: recorded };
}
