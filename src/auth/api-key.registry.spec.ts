import { parseConfig } from '../config/app-config';
import { sha256Hex } from '../config/api-keys';
import { ApiKeyRegistry, extractApiKey } from './api-key.registry';

describe('ApiKeyRegistry', () => {
  const config = parseConfig({
    API_KEYS: JSON.stringify([
      { name: 'powerbi', sha256: sha256Hex('pb-key'), scopes: ['reporting:read'] },
      { name: 'ops', sha256: sha256Hex('ops-key').toUpperCase(), scopes: ['audit:read'] },
    ]),
  });
  const sut = new ApiKeyRegistry(config);

  it('resolves a presented key to its principal by digest (hex case-insensitive)', () => {
    expect(sut.resolve('pb-key')).toEqual({ name: 'powerbi', scopes: ['reporting:read'] });
    expect(sut.resolve('ops-key')?.name).toBe('ops');
  });

  it('rejects unknown keys and near misses', () => {
    expect(sut.resolve('pb-key ')).toBeUndefined();
    expect(sut.resolve('')).toBeUndefined();
    expect(sut.resolve(sha256Hex('pb-key'))).toBeUndefined();
  });

  it('remembers per connection only the key that resolved there, and only while it is presented', () => {
    const registry = new ApiKeyRegistry(config);
    const hashed = jest.spyOn(registry, 'resolve');
    const a = {};
    const b = {};
    expect(registry.resolveOn(a, 'pb-key')?.name).toBe('powerbi');
    expect(registry.resolveOn(a, 'pb-key')?.name).toBe('powerbi');
    expect(hashed).toHaveBeenCalledTimes(1);
    // Another key on the same connection (a proxy's shared socket): resolved afresh, never the
    // remembered principal; a wrong one is refused and leaves the remembered key in place.
    expect(registry.resolveOn(a, 'pb-kez')).toBeUndefined();
    expect(registry.resolveOn(a, 'pb-key-longer')).toBeUndefined();
    expect(registry.resolveOn(a, 'ops-key')?.name).toBe('ops');
    expect(registry.resolveOn(a, 'ops-key')?.name).toBe('ops');
    expect(hashed).toHaveBeenCalledTimes(4);
    // Connections are apart, and without one every call hashes.
    expect(registry.resolveOn(b, 'ops-key')?.name).toBe('ops');
    expect(registry.resolveOn(undefined, 'ops-key')?.name).toBe('ops');
    expect(hashed).toHaveBeenCalledTimes(6);
  });
});

describe('extractApiKey', () => {
  it('reads X-API-Key first, then Authorization: Bearer', () => {
    expect(extractApiKey({ 'x-api-key': 'a', authorization: 'Bearer b' })).toBe('a');
    expect(extractApiKey({ authorization: 'bearer   b ' })).toBe('b');
    expect(extractApiKey({ authorization: 'Basic b' })).toBeUndefined();
    expect(extractApiKey({ authorization: 'Bearer a b' })).toBeUndefined();
    expect(extractApiKey({})).toBeUndefined();
  });
});
