import type { IncomingMessage } from 'node:http';
import { genRequestId, randomRequestUuid } from './request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestWith(headers: IncomingMessage['headers']): IncomingMessage {
  return { headers } as IncomingMessage;
}

describe('randomRequestUuid', () => {
  it('makes version 4 UUIDs, all different, across several draws of entropy', () => {
    const ids = Array.from({ length: 1000 }, () => randomRequestUuid());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads its digits: every hex digit appears in every random position', () => {
    const ids = Array.from({ length: 2000 }, () => randomRequestUuid());
    for (const position of [0, 9, 15, 20, 35]) {
      const digits = new Set(ids.map((id) => id[position]));
      expect(digits.size).toBe(16);
    }
  });

  it('returns a string of its own, not a view of a buffer written again later', () => {
    const first = randomRequestUuid();
    const copy = `${first}`;
    randomRequestUuid();
    expect(first).toBe(copy);
  });
});

describe('genRequestId', () => {
  it("keeps a caller's plain X-Request-Id", () => {
    expect(genRequestId(requestWith({ 'x-request-id': 'dash-board_01:42.a' }))).toBe(
      'dash-board_01:42.a',
    );
  });

  it('replaces a missing, long or unsafe one with a fresh UUID', () => {
    for (const supplied of [undefined, '', 'a'.repeat(129), 'two words', 'line\nbreak', 'ü']) {
      expect(genRequestId(requestWith({ 'x-request-id': supplied }))).toMatch(UUID_V4);
    }
  });
});
