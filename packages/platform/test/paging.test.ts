import { ValidationError } from '../src/errors';
import { decodePageToken, encodePageToken, pageSize, parsePageToken } from '../src/paging';

const isKey = (v: unknown): v is { k: string } => typeof v === 'object' && v !== null && typeof (v as { k?: unknown }).k === 'string';

describe('page tokens', () => {
  it('round-trips what the list needs to resume', () => {
    const token = encodePageToken({ k: 'case_01', q: 'open' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, 'page.page_token', isKey)).toEqual({ k: 'case_01', q: 'open' });
  });

  it('treats an empty token as the first page', () => {
    expect(decodePageToken('', 'page.page_token', isKey)).toBeUndefined();
  });

  it.each(['%%%', 'bm90IGpzb24', encodePageToken({ other: 1 }), encodePageToken(null)])('rejects a token it did not issue (%s) naming the field', (bad) => {
    expect(parsePageToken(bad, isKey)).toBe('invalid');
    try {
      decodePageToken(bad, 'page.page_token', isKey);
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations).toEqual([expect.objectContaining({ field: 'page.page_token', rule: 'INVALID_PAGE_TOKEN' })]);
    }
  });

  it('defaults and caps the page size', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(0)).toBe(50);
    expect(pageSize(-3)).toBe(50);
    expect(pageSize(1.5)).toBe(50);
    expect(pageSize(20)).toBe(20);
    expect(pageSize(10_000)).toBe(500);
    expect(pageSize(10_000, { max: 200, def: 25 })).toBe(200);
    expect(pageSize(undefined, { def: 25 })).toBe(25);
  });
});
