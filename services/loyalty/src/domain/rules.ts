// The programme's rules as data: earn chart, tier thresholds and bonuses, benefits, expiry and hold periods. Defaults
// are DOMAIN.md §4 / common airline practice; every number can be overridden by configuration (see config.ts).
import { Cabin } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';

export interface TierRule {
  readonly tier: Tier;
  readonly qualifyingMiles: number;
  readonly qualifyingSegments: number;
}

export interface BenefitDef {
  readonly code: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly detail: string;
}

export interface ProgramRules {
  /** Percent of flown distance credited per booking class ("Y" → 100). */
  readonly bookingClassPercent: Readonly<Record<string, number>>;
  /** Fallback percent per cabin when the booking class is not in the chart. */
  readonly cabinPercent: Readonly<Record<number, number>>;
  /** Minimum award miles credited for a flown segment (short hops). */
  readonly minSegmentMiles: number;
  /** Tier bonus on award miles (never on qualifying miles), percent by tier. */
  readonly tierBonusPercent: Readonly<Record<number, number>>;
  /** Thresholds above STANDARD, lowest first; a tier is reached by miles OR segments. */
  readonly tiers: readonly TierRule[];
  readonly tierWindowMonths: number;
  readonly expiryMonths: number;
  readonly holdMinutes: number;
  readonly quoteMinutes: number;
  readonly benefits: Readonly<Record<number, readonly BenefitDef[]>>;
}

const PRIORITY: BenefitDef = { code: 'PRIORITY_BOARDING', nameEn: 'Priority boarding', nameZh: '优先登机', detail: '' };
const bag = (n: number): BenefitDef => ({ code: 'EXTRA_BAGGAGE', nameEn: 'Extra baggage allowance', nameZh: '额外行李额', detail: `${n} extra piece${n > 1 ? 's' : ''}` });
const lounge = (guests: number): BenefitDef => ({ code: 'LOUNGE_ACCESS', nameEn: 'Lounge access', nameZh: '贵宾休息室', detail: guests > 0 ? `${guests} guest${guests > 1 ? 's' : ''}` : 'member only' });
const LINE: BenefitDef = { code: 'DEDICATED_SERVICE_LINE', nameEn: 'Dedicated service line', nameZh: '专属服务热线', detail: '' };
const BONUS = (pct: number): BenefitDef => ({ code: 'TIER_BONUS_MILES', nameEn: 'Bonus award miles', nameZh: '奖励里程加赠', detail: `+${pct}% on flights` });

export const DEFAULT_RULES: ProgramRules = {
  bookingClassPercent: {
    F: 150, A: 150, J: 125, C: 125, D: 125, I: 100, Z: 100, W: 110, P: 100,
    Y: 100, B: 100, M: 75, H: 75, K: 50, L: 50, Q: 50, T: 25, V: 25, X: 0,
  },
  cabinPercent: {
    [Cabin.CABIN_ECONOMY]: 50,
    [Cabin.CABIN_PREMIUM_ECONOMY]: 100,
    [Cabin.CABIN_BUSINESS]: 125,
    [Cabin.CABIN_FIRST]: 150,
  },
  minSegmentMiles: 500,
  tierBonusPercent: { [Tier.TIER_STANDARD]: 0, [Tier.TIER_SILVER]: 25, [Tier.TIER_GOLD]: 50, [Tier.TIER_PLATINUM]: 100 },
  tiers: [
    { tier: Tier.TIER_SILVER, qualifyingMiles: 25_000, qualifyingSegments: 30 },
    { tier: Tier.TIER_GOLD, qualifyingMiles: 50_000, qualifyingSegments: 60 },
    { tier: Tier.TIER_PLATINUM, qualifyingMiles: 100_000, qualifyingSegments: 120 },
  ],
  tierWindowMonths: 12,
  expiryMonths: 36,
  holdMinutes: 30,
  quoteMinutes: 15,
  benefits: {
    [Tier.TIER_STANDARD]: [],
    [Tier.TIER_SILVER]: [PRIORITY, bag(1), BONUS(25)],
    [Tier.TIER_GOLD]: [PRIORITY, bag(1), lounge(0), BONUS(50)],
    [Tier.TIER_PLATINUM]: [PRIORITY, bag(2), lounge(1), LINE, BONUS(100)],
  },
};

export const TIER_NAMES: Readonly<Record<string, Tier>> = {
  STANDARD: Tier.TIER_STANDARD,
  MEMBER: Tier.TIER_STANDARD,
  SILVER: Tier.TIER_SILVER,
  GOLD: Tier.TIER_GOLD,
  PLATINUM: Tier.TIER_PLATINUM,
};

export const CABIN_NAMES: Readonly<Record<string, Cabin>> = {
  ECONOMY: Cabin.CABIN_ECONOMY,
  PREMIUM_ECONOMY: Cabin.CABIN_PREMIUM_ECONOMY,
  BUSINESS: Cabin.CABIN_BUSINESS,
  FIRST: Cabin.CABIN_FIRST,
};

/** Benefits of a tier with every benefit of the tiers below it that it does not already override. */
export function benefitsOf(rules: ProgramRules, tier: Tier): readonly BenefitDef[] {
  return rules.benefits[tier] ?? [];
}
