import { Cabin } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';
import fc from 'fast-check';
import { addMonths } from '../src/domain/dates';
import { flightEarn, partnerSpendMiles } from '../src/domain/earn';
import { isValidMemberNumber, luhnCheckDigit, newMemberNumber } from '../src/domain/ff-number';
import { assertBalanced, transfer, UnbalancedTransactionError } from '../src/domain/ledger';
import { DEFAULT_RULES } from '../src/domain/rules';
import { evaluateAtPeriodEnd, progressToNext, qualifiedTier, upgradeOnActivity } from '../src/domain/tiers';

describe('frequent-flyer number', () => {
  it('carries a Luhn check digit (known vector 7992739871 → 3)', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(isValidMemberNumber('1234567897')).toBe(luhnCheckDigit('123456789') === 7);
  });

  it('every issued number validates, and any single-digit change or adjacent swap is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 8 }), (pos, delta, swapAt) => {
        const n = newMemberNumber();
        expect(isValidMemberNumber(n)).toBe(true);
        const digits = n.split('');
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        expect(isValidMemberNumber(digits.join(''))).toBe(false);
        const s = n.split('');
        const a = s[swapAt] as string;
        const b = s[swapAt + 1] as string;
        // Luhn misses only the 09 ↔ 90 swap.
        if (a !== b && !((a === '0' && b === '9') || (a === '9' && b === '0'))) {
          s[swapAt] = b;
          s[swapAt + 1] = a;
          expect(isValidMemberNumber(s.join(''))).toBe(false);
        }
      }),
    );
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(isValidMemberNumber('123')).toBe(false);
    expect(isValidMemberNumber('12345678a7')).toBe(false);
  });
});

describe('earn chart', () => {
  const rules = DEFAULT_RULES;
  it('credits distance × class percent, with a segment minimum and the tier bonus on award miles only', () => {
    // PEK-SHA ≈ 1088 km ≈ 676 mi
    const y = flightEarn(rules, { distanceKm: 1088, bookingClass: 'Y', cabin: Cabin.CABIN_ECONOMY, tier: Tier.TIER_STANDARD });
    expect(y).toMatchObject({ distanceMiles: 676, percent: 100, qualifyingMiles: 676, awardMiles: 676, qualifyingSegments: 1 });
    const l = flightEarn(rules, { distanceKm: 1088, bookingClass: 'L', cabin: Cabin.CABIN_ECONOMY, tier: Tier.TIER_STANDARD });
    expect(l).toMatchObject({ qualifyingMiles: 338, awardMiles: 500 }); // minimum 500
    const gold = flightEarn(rules, { distanceKm: 1088, bookingClass: 'J', cabin: Cabin.CABIN_BUSINESS, tier: Tier.TIER_GOLD });
    expect(gold).toMatchObject({ qualifyingMiles: 845, awardMiles: 845 + 422 });
    expect(flightEarn(rules, { distanceKm: 1088, bookingClass: 'X', cabin: Cabin.CABIN_ECONOMY, tier: Tier.TIER_GOLD })).toMatchObject({ awardMiles: 0, qualifyingSegments: 0 });
    // Unknown class falls back to the cabin's percent.
    expect(flightEarn(rules, { distanceKm: 1088, bookingClass: 'O', cabin: Cabin.CABIN_FIRST, tier: Tier.TIER_STANDARD }).percent).toBe(150);
  });

  it('converts partner spend in whole earn units', () => {
    expect(partnerSpendMiles({ miles: 1, perSpendMinor: 500, currency: 'CNY' }, 1200)).toBe(2);
    expect(partnerSpendMiles({ miles: 3, perSpendMinor: 100, currency: 'USD' }, 1099)).toBe(30);
  });
});

describe('tiers', () => {
  const rules = DEFAULT_RULES;
  it('qualifies by miles or by segments, and upgrades immediately only upwards', () => {
    expect(qualifiedTier(rules, { qualifyingMiles: 24_999, qualifyingSegments: 29 })).toBe(Tier.TIER_STANDARD);
    expect(qualifiedTier(rules, { qualifyingMiles: 25_000, qualifyingSegments: 0 })).toBe(Tier.TIER_SILVER);
    expect(qualifiedTier(rules, { qualifyingMiles: 0, qualifyingSegments: 60 })).toBe(Tier.TIER_GOLD);
    expect(upgradeOnActivity(rules, Tier.TIER_GOLD, { qualifyingMiles: 30_000, qualifyingSegments: 0 })).toBeUndefined();
    expect(upgradeOnActivity(rules, Tier.TIER_SILVER, { qualifyingMiles: 100_000, qualifyingSegments: 0 })).toBe(Tier.TIER_PLATINUM);
  });

  it('downgrades at period end one level at a time (soft landing)', () => {
    expect(evaluateAtPeriodEnd(rules, Tier.TIER_PLATINUM, { qualifyingMiles: 0, qualifyingSegments: 0 })).toEqual({ tier: Tier.TIER_GOLD, downgraded: true });
    expect(evaluateAtPeriodEnd(rules, Tier.TIER_SILVER, { qualifyingMiles: 0, qualifyingSegments: 0 })).toEqual({ tier: Tier.TIER_STANDARD, downgraded: true });
    expect(evaluateAtPeriodEnd(rules, Tier.TIER_GOLD, { qualifyingMiles: 60_000, qualifyingSegments: 0 })).toEqual({ tier: Tier.TIER_GOLD, downgraded: false });
  });

  it('reports the distance to the next tier', () => {
    expect(progressToNext(rules, Tier.TIER_SILVER, { qualifyingMiles: 30_000, qualifyingSegments: 10 })).toEqual({ nextTier: Tier.TIER_GOLD, milesToNext: 20_000, segmentsToNext: 50 });
    expect(progressToNext(rules, Tier.TIER_PLATINUM, { qualifyingMiles: 0, qualifyingSegments: 0 }).nextTier).toBe(Tier.TIER_UNSPECIFIED);
  });
});

describe('double entry', () => {
  it('a transfer is balanced; anything else is refused', () => {
    expect(() => assertBalanced(transfer('a', 'b', 10))).not.toThrow();
    expect(() => assertBalanced([{ account: 'a', amount: 5 }, { account: 'b', amount: -4 }])).toThrow(UnbalancedTransactionError);
    expect(() => transfer('a', 'b', 0)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('adds months with end-of-month clamping', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 36)).toBe('2027-02-28');
  });
});
