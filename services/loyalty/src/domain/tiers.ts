import { Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';
import type { ProgramRules, TierRule } from './rules';

export const TIER_ORDER: readonly Tier[] = [Tier.TIER_STANDARD, Tier.TIER_SILVER, Tier.TIER_GOLD, Tier.TIER_PLATINUM];

export interface Qualification {
  readonly qualifyingMiles: number;
  readonly qualifyingSegments: number;
}

function meets(rule: TierRule, q: Qualification): boolean {
  return q.qualifyingMiles >= rule.qualifyingMiles || (rule.qualifyingSegments > 0 && q.qualifyingSegments >= rule.qualifyingSegments);
}

/** The highest tier whose threshold (miles OR segments) the qualification meets. */
export function qualifiedTier(rules: ProgramRules, q: Qualification): Tier {
  let best: Tier = Tier.TIER_STANDARD;
  for (const rule of rules.tiers) if (rule.tier > best && meets(rule, q)) best = rule.tier;
  return best;
}

/** Upgrade as soon as the member qualifies above the current tier; never downgrades (that waits for period end). */
export function upgradeOnActivity(rules: ProgramRules, current: Tier, q: Qualification): Tier | undefined {
  const qualified = qualifiedTier(rules, q);
  return qualified > current ? qualified : undefined;
}

/**
 * Period-end evaluation with a soft landing: a member who requalified keeps (or raises) the tier; one who did not
 * drops exactly one level, never more, so a bad year costs one tier at a time.
 */
export function evaluateAtPeriodEnd(rules: ProgramRules, current: Tier, q: Qualification): { tier: Tier; downgraded: boolean } {
  const qualified = qualifiedTier(rules, q);
  if (qualified >= current) return { tier: qualified, downgraded: false };
  const idx = TIER_ORDER.indexOf(current);
  return { tier: TIER_ORDER[Math.max(0, idx - 1)] ?? Tier.TIER_STANDARD, downgraded: true };
}

export interface TierProgress {
  readonly nextTier: Tier;
  readonly milesToNext: number;
  readonly segmentsToNext: number;
}

export function progressToNext(rules: ProgramRules, current: Tier, q: Qualification): TierProgress {
  const next = rules.tiers.find((r) => r.tier > current);
  if (!next) return { nextTier: Tier.TIER_UNSPECIFIED, milesToNext: 0, segmentsToNext: 0 };
  return {
    nextTier: next.tier,
    milesToNext: Math.max(0, next.qualifyingMiles - q.qualifyingMiles),
    segmentsToNext: next.qualifyingSegments > 0 ? Math.max(0, next.qualifyingSegments - q.qualifyingSegments) : 0,
  };
}
