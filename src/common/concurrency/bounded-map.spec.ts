import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('forgets the least recently used entry beyond maxEntries (a read counts as a use)', () => {
    const sut = new BoundedMap<string, number>(3);
    sut.set('a', 1).set('b', 2).set('c', 3);
    expect(sut.get('a')).toBe(1); // a is now the newest: b is the oldest
    sut.set('d', 4);
    expect([...sut.keys()]).toEqual(['c', 'a', 'd']);
    expect(sut.has('b')).toBe(false);
  });

  it('keeps the order right when the newest key is read again and again, then another', () => {
    const sut = new BoundedMap<string, number>(2);
    sut.set('a', 1).set('b', 2);
    for (let i = 0; i < 3; i++) expect(sut.get('b')).toBe(2);
    expect(sut.get('a')).toBe(1);
    sut.set('c', 3);
    expect([...sut.keys()]).toEqual(['a', 'c']);
    // The newest deleted: reading the next key must still move it to the end.
    sut.delete('c');
    sut.set('d', 4);
    expect(sut.get('a')).toBe(1);
    sut.set('e', 5);
    expect([...sut.keys()]).toEqual(['a', 'e']);
  });

  it('forgets the oldest beyond maxWeight but keeps a newest entry heavier than all of it', () => {
    const sut = new BoundedMap<string, string>(10, 5, (v) => v.length);
    sut.set('a', 'xx').set('b', 'yy');
    sut.set('c', 'zz');
    expect([...sut.keys()]).toEqual(['b', 'c']);
    expect(sut.weight).toBe(4);
    sut.set('big', 'x'.repeat(9));
    expect([...sut.keys()]).toEqual(['big']);
    sut.clear();
    expect(sut.weight).toBe(0);
    expect(sut.get('big')).toBeUndefined();
  });
});
