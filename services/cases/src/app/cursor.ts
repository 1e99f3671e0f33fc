import { ValidationError } from '@csm/platform/errors';

/** Opaque keyset cursor: the sort key of the last row plus a fingerprint of the query it belongs to. */
export function encodeCursor(query: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify({ q: query, k: key })).toString('base64url');
}

export function decodeCursor(token: string, query: string): (string | number)[] | undefined {
  if (token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; k?: unknown };
    if (parsed.q === query && Array.isArray(parsed.k)) return parsed.k as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw new ValidationError([{ field: 'page.page_token', description: 'is not a cursor of this query (the other parameters must not change between pages)', rule: 'cursor' }]);
}

export function pageSize(requested: number | undefined, def = 50, max = 200): number {
  if (requested === undefined || requested <= 0) return def;
  return Math.min(requested, max);
}
