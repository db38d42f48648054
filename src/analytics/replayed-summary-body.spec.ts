import { ReplayedSummaryBody } from './replayed-summary-body';

function summary(status: 'HIT' | 'MISS', ageSeconds: number, name = 'chat'): Buffer {
  return Buffer.from(
    JSON.stringify({ rows: [{ channel: name, handle_time: 1.5 }], cache: { status, ageSeconds } }),
  );
}

describe('ReplayedSummaryBody', () => {
  it('says HIT and the age where the recorded body said MISS, the rest byte for byte', () => {
    const replayed = new ReplayedSummaryBody();
    const body = replayed.of(summary('MISS', 0), 7);
    expect(body.equals(summary('HIT', 7))).toBe(true);
  });

  it('keeps the offsets right after multi-byte characters', () => {
    const replayed = new ReplayedSummaryBody();
    const body = replayed.of(summary('MISS', 0, 'Bürö ☎ 𝄞'), 12);
    expect(body.equals(summary('HIT', 12, 'Bürö ☎ 𝄞'))).toBe(true);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      rows: [{ channel: 'Bürö ☎ 𝄞', handle_time: 1.5 }],
      cache: { status: 'HIT', ageSeconds: 12 },
    });
  });

  it('builds each age once: hits of the same second share a buffer, a new second gets a new one', () => {
    const replayed = new ReplayedSummaryBody();
    const recorded = summary('MISS', 0);
    const first = replayed.of(recorded, 3);
    expect(replayed.of(recorded, 3)).toBe(first);
    const later = replayed.of(recorded, 4);
    expect(later).not.toBe(first);
    expect(later.equals(summary('HIT', 4))).toBe(true);
    expect(first.equals(summary('HIT', 3))).toBe(true);
  });

  it('keeps apart the bodies of different recorded answers', () => {
    const replayed = new ReplayedSummaryBody();
    const a = summary('MISS', 0, 'a');
    const b = summary('MISS', 0, 'b');
    expect(replayed.of(a, 1).equals(summary('HIT', 1, 'a'))).toBe(true);
    expect(replayed.of(b, 1).equals(summary('HIT', 1, 'b'))).toBe(true);
  });

  it('sends a body without cache info (CSV, NDJSON) as it was recorded', () => {
    const replayed = new ReplayedSummaryBody();
    const csv = Buffer.from('date,channel\n2024-05-01,chat\n');
    expect(replayed.of(csv, 5)).toBe(csv);
  });
});
