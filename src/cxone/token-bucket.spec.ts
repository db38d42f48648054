import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst of one second, then spaces calls at the rate', () => {
    const sut = new TokenBucket(10, 0);
    const waits = Array.from({ length: 12 }, () => sut.reserve(0));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10)).toEqual([100, 200]);
  });

  it('refills with time', () => {
    const sut = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i++) sut.reserve(0);
    expect(sut.reserve(500)).toBe(0);
  });

  it('applies a halved rate to later reservations', () => {
    const sut = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i++) sut.reserve(0);
    sut.setRate(5, 0);
    expect(sut.reserve(0)).toBe(200);
  });

  it('gives back an unused reservation', () => {
    const sut = new TokenBucket(1, 0);
    sut.reserve(0);
    expect(sut.reserve(0)).toBe(1000);
    sut.release(0);
    expect(sut.reserve(0)).toBe(1000);
  });
});
