// Opaque keyset cursors: base64url of the last key of the previous page.
import type { Violations } from '../domain/validate';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(requested: number): number {
  if (!Number.isInteger(requested) || requested <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(requested, MAX_PAGE_SIZE);
}

export function encodePageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, v: Violations, field: string): string {
  if (token === '') return '';
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // falls through to the violation below: a malformed cursor is the caller's error, not ours
  }
  v.add(field, 'is not a cursor this service issued', 'INVALID_PAGE_TOKEN');
  return '';
}
