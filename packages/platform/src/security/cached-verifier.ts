import type { Principal } from './principal';

export interface CachedVerifierOptions {
  /** Tokens remembered at most (least recently used are dropped first). Default 10 000. */
  readonly maxEntries?: number;
  /** A verified token is trusted again without re-checking its signature for at most this long. Default 60 s. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps a token verifier (e.g. `createJwtVerifier(...).verify`) so a token that verified recently is not verified again
 * on every call: RS256 signature checks cost ~0.5 ms of CPU, paid per request by hot gRPC paths. Only successful results
 * are cached, never past the token's own `exp`, and for at most `maxAgeMs` (so a revoked key stops being honoured soon).
 */
export function cachedVerifier(verify: (token: string) => Promise<Principal>, options: CachedVerifierOptions = {}): (token: string) => Promise<Principal> {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const hit = cache.get(token);
    const t = now();
    if (hit !== undefined) {
      cache.delete(token);
      if (hit.until > t) {
        cache.set(token, hit); // most recently used last
        return hit.principal;
      }
    }
    const principal = await verify(token);
    const until = Math.min(t + maxAgeMs, expiryOf(token) ?? t + maxAgeMs);
    cache.set(token, { principal, until });
    if (cache.size > maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    return principal;
  };
}
