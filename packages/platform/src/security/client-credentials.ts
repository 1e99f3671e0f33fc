/**
 * A service's own access token from the identity provider, by the OAuth 2.0 client credentials grant (RFC 6749 §4.4):
 * what a service presents when it calls another service on its own behalf (an event consumer, a job). Short-lived
 * tokens from the provider replace a long-lived bearer token kept in a secret.
 *
 * - The client authenticates with HTTP Basic (RFC 6749 §2.3.1); `scope` and `audience` (Auth0/Keycloak style) are sent
 *   when given.
 * - A token is reused until `refreshSkewMs` before it expires; concurrent callers share one request to the provider.
 * - Within that margin the current token is answered at once and a new one fetched in the background. With no valid
 *   token a call fails with UNAVAILABLE.
 * - After a failed request the provider is not asked again for `retryAfterMs` (default 1 s): calls meanwhile get the
 *   current token, or the same error at once — a provider outage never turns every call into a request to it.
 * - Errors never carry the client secret or a token: only the endpoint's status and a stable reason.
 */
import { UnavailableError } from './errors';

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string | undefined;
  readonly audience?: string | undefined;
  /** Refresh this long before expiry; default 60 s (never more than half the token's lifetime). */
  readonly refreshSkewMs?: number;
  /** Timeout of one request to the token endpoint; default 5 s. */
  readonly timeoutMs?: number;
  /** Pause after a failed request before the provider is asked again; default 1 s. */
  readonly retryAfterMs?: number;
  /** Lifetime assumed when the provider sends no `expires_in`; default 60 s. */
  readonly defaultLifetimeMs?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export interface TokenSource {
  /** A valid access token (without the `Bearer ` prefix). */
  token(): Promise<string>;
}

interface Held {
  readonly token: string;
  readonly expiresAt: number;
  readonly refreshAt: number;
}

export function createClientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const skewMs = options.refreshSkewMs ?? 60_000;
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  const retryAfterMs = options.retryAfterMs ?? 1_000;
  let held: Held | undefined;
  let inFlight: Promise<Held> | undefined;
  let failed: { readonly at: number; readonly error: unknown } | undefined;

  async function request(): Promise<Held> {
    // Lifetimes count from before the request: the token is never held longer than the provider meant.
    const issuedAt = now();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    if (options.audience) form.set('audience', options.audience);
    let res: Response;
    try {
      res = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (err) {
      throw unavailable('the token endpoint could not be reached', 'TOKEN_ENDPOINT_UNREACHABLE', err);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw unavailable(`the token endpoint answered ${res.status}`, res.status === 400 || res.status === 401 ? 'CLIENT_CREDENTIALS_REFUSED' : 'TOKEN_ENDPOINT_FAILED');
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      throw unavailable('the token endpoint answered something other than JSON', 'TOKEN_RESPONSE_INVALID', err);
    }
    const { access_token: token, token_type: type, expires_in: expiresIn } = (body ?? {}) as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || (type !== undefined && String(type).toLowerCase() !== 'bearer')) {
      throw unavailable('the token endpoint answered no bearer access token', 'TOKEN_RESPONSE_INVALID');
    }
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : (options.defaultLifetimeMs ?? 60_000);
    return { token, expiresAt: issuedAt + lifetimeMs, refreshAt: issuedAt + lifetimeMs - Math.min(skewMs, lifetimeMs / 2) };
  }

  function refresh(): Promise<Held> {
    inFlight ??= request()
      .then(
        (h) => {
          failed = undefined;
          return (held = h);
        },
        (error: unknown) => {
          failed = { at: now(), error };
          throw error;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  const coolingDown = (t: number) => failed !== undefined && t - failed.at < retryAfterMs;

  return {
    async token(): Promise<string> {
      const t = now();
      if (held && t < held.refreshAt) return held.token;
      if (held && t < held.expiresAt) {
        // Still valid: answer at once and refresh in the background, so a slow or failing provider delays no call.
        if (!coolingDown(t)) void refresh().catch(() => undefined);
        return held.token;
      }
      if (coolingDown(t)) throw failed?.error;
      return (await refresh()).token;
    },
  };
}

function unavailable(message: string, reason: string, cause?: unknown): UnavailableError {
  return new UnavailableError(`service access token: ${message}`, { reason, retryAfterMs: 1_000, ...(cause === undefined ? {} : { cause }) });
}
