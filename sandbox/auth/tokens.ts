// Cryptographic pieces of the sandbox's authorization server: opaque random handles, PKCE S256
// (RFC 7636 §4.2), and RS256-signed OpenID Connect id_tokens with a JWKS to verify them.
import {
  createHash,
  createSign,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export function randomHandle(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  fhirUser: string;
  nonce?: string;
  name?: string;
}

/** Signs id_tokens with a key pair made at start-up (the sandbox keeps no secrets on disk). */
export class IdTokenSigner {
  private readonly privateKey: KeyObject;
  readonly kid: string;
  readonly jwk: Record<string, unknown>;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    const exported = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    this.kid = createHash('sha256')
      .update(JSON.stringify(exported))
      .digest('base64url')
      .slice(0, 16);
    this.jwk = { ...exported, kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  sign(claims: IdTokenClaims): string {
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(claims)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.privateKey);
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.jwk] };
  }
}
