// Programme rules = defaults overridden by configuration.
import { Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';
import type { Config } from '../config';
import { CABIN_NAMES, DEFAULT_RULES, TIER_NAMES, type ProgramRules } from '../domain/rules';

export function rulesFromConfig(config: Config): ProgramRules {
  const tiers = config.CSM_LOYALTY_TIER_THRESHOLDS
    ? DEFAULT_RULES.tiers.map((t) => {
        const o = config.CSM_LOYALTY_TIER_THRESHOLDS?.find((x) => TIER_NAMES[x.tier] === t.tier);
        return o ? { tier: t.tier, qualifyingMiles: o.miles, qualifyingSegments: o.segments } : t;
      })
    : DEFAULT_RULES.tiers;
  const bonus = { ...DEFAULT_RULES.tierBonusPercent };
  for (const [name, pct] of Object.entries(config.CSM_LOYALTY_TIER_BONUS_PERCENT ?? {})) {
    const tier = TIER_NAMES[name];
    if (tier !== undefined && tier !== Tier.TIER_UNSPECIFIED) bonus[tier] = pct;
  }
  const cabins = { ...DEFAULT_RULES.cabinPercent };
  for (const [name, pct] of Object.entries(config.CSM_LOYALTY_CABIN_EARN_PERCENT ?? {})) {
    const cabin = CABIN_NAMES[name];
    if (cabin !== undefined) cabins[cabin] = pct;
  }
  return {
    ...DEFAULT_RULES,
    bookingClassPercent: { ...DEFAULT_RULES.bookingClassPercent, ...(config.CSM_LOYALTY_EARN_CHART ?? {}) },
    cabinPercent: cabins,
    tierBonusPercent: bonus,
    tiers,
    minSegmentMiles: config.CSM_LOYALTY_MIN_SEGMENT_MILES,
    tierWindowMonths: config.CSM_LOYALTY_TIER_WINDOW_MONTHS,
    expiryMonths: config.CSM_LOYALTY_EXPIRY_MONTHS,
    holdMinutes: config.CSM_LOYALTY_HOLD_MINUTES,
    quoteMinutes: config.CSM_LOYALTY_QUOTE_MINUTES,
  };
}
