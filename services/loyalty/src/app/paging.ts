// Keyset cursors in the kit's token format (@csm/platform/paging): the last key of the previous page.
import { encodePageToken as kitEncode, pageSize as kitPageSize, parsePageToken } from '@csm/platform/paging';
import type { Violations } from '../domain/validate';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(requested: number): number {
  return kitPageSize(requested, { def: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
}

export function encodePageToken(lastKey: string): string {
  return kitEncode({ k: lastKey });
}

/** Collects a bad token as a violation (loyalty validates a whole request before failing it). */
export function decodePageToken(token: string, v: Violations, field: string): string {
  const parsed = parsePageToken(token, (x): x is { k: string } => typeof x === 'object' && x !== null && typeof (x as { k?: unknown }).k === 'string');
  if (parsed === 'invalid') {
    v.add(field, 'is not a cursor this service issued', 'INVALID_PAGE_TOKEN');
    return '';
  }
  return parsed?.k ?? '';
}
