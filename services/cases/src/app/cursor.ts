import { decodePageToken, encodePageToken, pageSize as kitPageSize } from '@csm/platform/paging';

interface CaseCursor {
  q: string;
  k: (string | number)[];
}

/** Keyset cursor: the sort key of the last row plus a fingerprint of the query it belongs to (kit token format). */
export function encodeCursor(query: string, key: readonly (string | number)[]): string {
  return encodePageToken({ q: query, k: key });
}

/** The other parameters must not change between pages: a token from another query is INVALID_ARGUMENT. */
export function decodeCursor(token: string, query: string): (string | number)[] | undefined {
  const isOurs = (v: unknown): v is CaseCursor =>
    typeof v === 'object' && v !== null && (v as { q?: unknown }).q === query && Array.isArray((v as { k?: unknown }).k);
  return decodePageToken(token, 'page.page_token', isOurs)?.k;
}

export function pageSize(requested: number | undefined, def = 50, max = 200): number {
  return kitPageSize(requested, { def, max });
}
