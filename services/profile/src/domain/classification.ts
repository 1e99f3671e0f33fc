import { profile } from '@csm/contracts';

const { PassengerType, CustomerGrade } = profile;

/** Configurable classification rules (defaults in config.ts, documented in docs/services/profile.md). */
export interface ClassificationRules {
  /** Trips in the look-back window that make a passenger a frequent flyer even without an FFP number. */
  frequentFlyerTrips: number;
  /** Lifetime value (minor units) thresholds for VIP levels 1..n, ascending. */
  vipValueThresholds: readonly number[];
  /** Loyalty tier codes that make a passenger VIP at level = index + 1 (at least). */
  vipTiers: readonly string[];
  /** SSR codes that make a passenger SPECIAL (type) and a SPECIAL grade. */
  specialSsrCodes: ReadonlySet<string>;
  /** Tags that make a passenger a SPECIAL grade (e.g. "cip", "media"). */
  specialGradeTags: ReadonlySet<string>;
}

export interface ClassificationInput {
  hasFfpNumber: boolean;
  tripsFlown: number;
  lifetimeValueMinor: number;
  loyaltyTier: string;
  /** SSR codes valid today. */
  activeSsrCodes: readonly string[];
  tags: readonly string[];
}

export interface ClassificationResult {
  type: profile.PassengerType;
  grade: profile.CustomerGrade;
  vipLevel: number;
}

/** Evaluates type and grade from value and behaviour. Special handling needs outrank frequency; VIP outranks special grade. */
export function evaluateClassification(input: ClassificationInput, rules: ClassificationRules): ClassificationResult {
  const special = input.activeSsrCodes.some((c) => rules.specialSsrCodes.has(c));
  const type = special
    ? PassengerType.PASSENGER_TYPE_SPECIAL
    : input.hasFfpNumber || input.tripsFlown >= rules.frequentFlyerTrips
      ? PassengerType.PASSENGER_TYPE_FREQUENT_FLYER
      : PassengerType.PASSENGER_TYPE_REGULAR;
  let vipLevel = 0;
  rules.vipValueThresholds.forEach((t, i) => {
    if (input.lifetimeValueMinor >= t) vipLevel = Math.max(vipLevel, i + 1);
  });
  const tierIdx = rules.vipTiers.indexOf(input.loyaltyTier);
  if (input.loyaltyTier && tierIdx >= 0) vipLevel = Math.max(vipLevel, tierIdx + 1);
  const grade =
    vipLevel > 0
      ? CustomerGrade.CUSTOMER_GRADE_VIP
      : special || input.tags.some((t) => rules.specialGradeTags.has(t))
        ? CustomerGrade.CUSTOMER_GRADE_SPECIAL
        : CustomerGrade.CUSTOMER_GRADE_REGULAR;
  return { type, grade, vipLevel };
}

/** SSR codes whose validity window contains `today` (YYYY-MM-DD); open bounds are open. */
export function activeSsrCodes(ssrs: readonly profile.SpecialServiceRequest[], today: string): string[] {
  return ssrs.filter((s) => (!s.validFrom || s.validFrom <= today) && (!s.validUntil || today <= s.validUntil)).map((s) => s.code);
}
