import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type KeyLike } from 'jose';
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';
import type { Role } from './principal';

/**
 * A self-contained token issuer for embedded mode and tests: an RS256 key pair held in memory, its public JWKS, and
 * `issue()` for tokens shaped like the production IdP's. Not an identity provider: it signs whatever it is asked to,
 * so it must never be wired into a cluster deployment.
 */
export interface DevIssuerOptions {
  /** `iss` of issued tokens. Default `csm-dev-issuer`. */
  issuer?: string;
  /** Default `aud` of issued tokens. Default `csm`. */
  audience?: string;
  /** Key id published in the JWKS and put in token headers. Default: random. */
  kid?: string;
  /** PKCS#8 PEM RSA private key to reuse (so tokens survive a restart); default: a fresh key pair. */
  privateKeyPem?: string;
}

export interface IssueRequest {
  sub: string;
  roles?: readonly Role[];
  scopes?: readonly string[];
  partnerCode?: string;
  profileId?: string;
  /** Lifetime in seconds; default 3600. Negative values make an already-expired token (for tests). */
  ttlSec?: number;
  /** Override `aud` / `iss` for one token (for tests of wrong-audience/issuer handling). */
  audience?: string | string[];
  issuer?: string;
  /** Extra claims merged into the payload. */
  claims?: Record<string, unknown>;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly kid: string;
  /** Public keys only: serve it at a JWKS URL or pass it to `createJwtVerifier({ jwks })`. */
  readonly jwks: JSONWebKeySet;
  issue(req: IssueRequest): Promise<string>;
  /** A verifier trusting exactly this issuer (options override the defaults). */
  verifier(opts?: Partial<Omit<JwtVerifierOptions, 'jwks' | 'jwksUrl' | 'publicKeyPem'>>): JwtVerifier;
}

export async function createDevIssuer(opts: DevIssuerOptions = {}): Promise<DevIssuer> {
  const issuer = opts.issuer ?? 'csm-dev-issuer';
  const audience = opts.audience ?? 'csm';
  const kid = opts.kid ?? randomUUID();
  let privateKey: KeyLike;
  let publicKey: KeyLike;
  if (opts.privateKeyPem !== undefined) {
    const priv = createPrivateKey(opts.privateKeyPem);
    if (priv.asymmetricKeyType !== 'rsa') throw new Error('createDevIssuer: privateKeyPem must be an RSA private key');
    privateKey = priv;
    publicKey = createPublicKey(priv);
  } else {
    ({ privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 }));
  }
  const jwk = await exportJWK(publicKey);
  const jwks: JSONWebKeySet = Object.freeze({ keys: [Object.freeze({ ...jwk, kid, alg: 'RS256', use: 'sig' })] }) as JSONWebKeySet;

  return {
    issuer,
    audience,
    kid,
    jwks,
    async issue(req: IssueRequest): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { ...req.claims, roles: [...(req.roles ?? [])] };
      if (req.scopes && req.scopes.length > 0) payload['scope'] = req.scopes.join(' ');
      if (req.partnerCode !== undefined) payload['partner_code'] = req.partnerCode;
      if (req.profileId !== undefined) payload['profile_id'] = req.profileId;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setSubject(req.sub)
        .setIssuer(req.issuer ?? issuer)
        .setAudience(req.audience ?? audience)
        .setIssuedAt(now)
        .setJti(randomUUID())
        .setExpirationTime(now + (req.ttlSec ?? 3600))
        .sign(privateKey);
    },
    verifier(over = {}) {
      return createJwtVerifier({ issuer, audience, algorithms: ['RS256'], ...over, jwks });
    },
  };
}
