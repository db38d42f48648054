import { ChunkQueue } from './scan-worker.serve';

describe('ChunkQueue', () => {
  it('reports the body bytes of the chunks taken, not of those only queued', async () => {
    let taken = 0;
    const sut = new ChunkQueue(() => (taken += 1));
    sut.push(Buffer.from('ab'), 10);
    sut.push(Buffer.from('cd'), 25);
    sut.push(Buffer.from('ef'), 40);
    sut.end();
    const seen: [string, number][] = [];
    expect(sut.bodyBytes).toBe(0);
    for await (const chunk of sut) seen.push([chunk.toString(), sut.bodyBytes]);
    expect(seen).toEqual([
      ['ab', 10],
      ['cd', 25],
      ['ef', 40],
    ]);
    expect(taken).toBe(3);
  });

  it('waits for chunks pushed later', async () => {
    const sut = new ChunkQueue(() => undefined);
    const first = sut[Symbol.asyncIterator]().next();
    sut.push(Buffer.from('late'), 4);
    expect((await first).value).toEqual(Buffer.from('late'));
  });

  it('hands each released chunk’s buffer back once', () => {
    const sut = new ChunkQueue(() => undefined);
    const a = Buffer.allocUnsafeSlow(16);
    const b = Buffer.allocUnsafeSlow(16);
    sut.release(a);
    sut.release(b);
    expect(sut.takeReleased()).toEqual([a.buffer, b.buffer]);
    expect(sut.takeReleased()).toEqual([]);
  });
});
