import { decodeTime } from 'ulid';
import { ulid } from '../src/ids';

describe('ulid', () => {
  it('mints valid, unique ids that sort in creation order, also within one millisecond and across buffer refills', () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => ulid()); // > 4 KiB of random bytes: several refills
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(decodeTime(ids[0] as string)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(ids[ids.length - 1] as string)).toBeLessThanOrEqual(Date.now());
  });

});
