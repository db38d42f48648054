import { createSign, createVerify, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';

/** The signing key of one sandbox instance: generated at run time, never stored anywhere. */
interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type JwtAlg = 'RS256' | 'none';
export type JwtClaims = Record<string, unknown>;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function generate(): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the key is made on libuv's pool, off the event loop.
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) reject(error);
      else resolve({ kid: randomUUID(), privateKey, publicKey });
    });
  });
}

/** RS256 (or unsigned) JWTs and the JWKS that verifies them, as the CXone issuer serves them. */
export class JwtIssuer {
  private pending: Promise<SigningKey> | undefined;

  /**
   * Made when the instance first needs it (its first token or JWKS request), then kept: a
   * sandbox that only serves v2, like most specs and the benchmarks, never pays for RSA keygen.
   */
  private get key(): Promise<SigningKey> {
    return (this.pending ??= generate());
  }

  async sign(claims: JwtClaims, alg: JwtAlg): Promise<string> {
    const key = await this.key;
    const header = alg === 'RS256' ? { alg, typ: 'JWT', kid: key.kid } : { alg, typ: 'JWT' };
    const input = `${b64url(header)}.${b64url(claims)}`;
    if (alg === 'none') return `${input}.`;
    const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey);
    return `${input}.${signature.toString('base64url')}`;
  }

  /** `{keys:[{kty,use,alg,kid,n,e}]}` as discovery's `jwks_uri` serves it. */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const key = await this.key;
    const jwk = key.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: jwk.kty, use: 'sig', alg: 'RS256', kid: key.kid, n: jwk.n, e: jwk.e }] };
  }

  /** The claims of a token this issuer signed, or undefined (expiry is the token store's job). */
  async verify(token: string): Promise<JwtClaims | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts;
    const parsedHeader = decodeSegment(header);
    if (parsedHeader?.alg === 'RS256') {
      const key = await this.key;
      const ok = createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(key.publicKey, Buffer.from(signature, 'base64url'));
      if (!ok) return undefined;
    } else if (parsedHeader?.alg !== 'none' || signature !== '') return undefined;
    return decodeSegment(payload);
  }
}

function decodeSegment(segment: string): JwtClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
