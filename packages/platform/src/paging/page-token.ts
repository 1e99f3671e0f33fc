import { ValidationError } from '../errors/domain-errors';

/**
 * Opaque keyset page tokens shared by every list RPC: base64url JSON of whatever the list needs to resume (the last
 * sort key, plus a fingerprint of the query so a token can't be replayed against different filters). A token the
 * service did not issue is the caller's mistake: INVALID_ARGUMENT naming the field, never a 500.
 */
export function encodePageToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** `undefined` for an empty token (first page); `invalid` when it is not one of ours or fails the guard. */
export function parsePageToken<T>(token: string, guard: (v: unknown) => v is T): T | undefined | 'invalid' {
  if (token === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return guard(parsed) ? parsed : 'invalid';
  } catch {
    return 'invalid'; // not base64url JSON: a token we did not issue
  }
}

export function decodePageToken<T>(token: string, field: string, guard: (v: unknown) => v is T): T | undefined {
  const parsed = parsePageToken(token, guard);
  if (parsed === 'invalid') {
    throw new ValidationError([{ field, description: 'is not a page token this service issued for this query', rule: 'INVALID_PAGE_TOKEN' }]);
  }
  return parsed;
}

/** Requested page size: default when unset or not positive, capped at `max`. */
export function pageSize(requested: number | undefined, options: { def?: number; max?: number } = {}): number {
  const def = options.def ?? 50;
  if (requested === undefined || !Number.isInteger(requested) || requested <= 0) return def;
  return Math.min(requested, options.max ?? 500);
}
