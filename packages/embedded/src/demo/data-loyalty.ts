import { loyalty } from '@csm/contracts';

const { Cabin, PartnerCategory } = loyalty;

/** A member's past year of flying: enough qualifying activity for the service to compute the intended tier. */
export interface MemberSeed {
  readonly passengerKey: string;
  readonly channel: string;
  /** Flown segments credited through AccrueFlight (round trips alternate direction), months apart. */
  readonly segments: number;
  readonly route: readonly [string, string];
  readonly number: readonly [string, string];
  readonly cabin: loyalty.Cabin;
  readonly bookingClass: string;
  /** The tier the activity is meant to reach (checked against what the service computed, never written). */
  readonly expectTier: string;
}

export const MEMBERS: readonly MemberSeed[] = [
  // 12 × PEK–JFK in first (≈ 10k qualifying miles each): platinum (100k).
  { passengerKey: 'wang-xiaoming', channel: 'counter', segments: 12, route: ['PEK', 'JFK'], number: ['981', '982'], cabin: Cabin.CABIN_FIRST, bookingClass: 'F', expectTier: 'TIER_PLATINUM' },
  // 8 × PVG–CDG in business (≈ 7k each): gold (50k).
  { passengerKey: 'li-na', channel: 'app', segments: 8, route: ['PVG', 'CDG'], number: ['933', '934'], cabin: Cabin.CABIN_BUSINESS, bookingClass: 'J', expectTier: 'TIER_GOLD' },
  // 6 × PEK–FRA in full-fare economy (≈ 4.8k each): silver (25k).
  { passengerKey: 'zhang-wei', channel: 'web', segments: 6, route: ['PEK', 'FRA'], number: ['931', '932'], cabin: Cabin.CABIN_ECONOMY, bookingClass: 'Y', expectTier: 'TIER_SILVER' },
  { passengerKey: 'chen-jing', channel: 'app', segments: 2, route: ['PEK', 'CTU'], number: ['4101', '4102'], cabin: Cabin.CABIN_ECONOMY, bookingClass: 'B', expectTier: 'TIER_STANDARD' },
  { passengerKey: 'james-carter', channel: 'partner', segments: 2, route: ['JFK', 'PEK'], number: ['982', '981'], cabin: Cabin.CABIN_ECONOMY, bookingClass: 'K', expectTier: 'TIER_STANDARD' },
];

export interface PartnerSeed {
  readonly partner: Partial<loyalty.Partner>;
  readonly credential: boolean;
  /** Accruals the partner posts (miles or a CNY spend), for members by passenger key, days before the anchor. */
  readonly accruals: readonly { passengerKey: string; daysAgo: number; spendMinor?: number; miles?: number; description: string }[];
}

const cny = (amountMinor: number) => ({ amountMinor, currencyCode: 'CNY' });

export const DEMO_PARTNER = 'DEMO';

export const PARTNERS: readonly PartnerSeed[] = [
  {
    partner: { code: DEMO_PARTNER, name: 'Demo Hotels & Resorts', category: PartnerCategory.PARTNER_CATEGORY_HOTEL, earnRate: { miles: 1, perSpend: cny(500) }, maxMilesPerAccrual: 20_000, monthlyMilesCap: 0, pricePerMile: cny(6), redemptionEnabled: true, scopes: ['accruals:write', 'accruals:read', 'reconciliation:read'] },
    credential: true,
    accruals: [
      { passengerKey: 'li-na', daysAgo: 2, spendMinor: 240_000, description: 'Shanghai Bund, 2 nights' },
      { passengerKey: 'wang-xiaoming', daysAgo: 5, spendMinor: 680_000, description: 'New York Midtown, 4 nights' },
      { passengerKey: 'chen-jing', daysAgo: 9, spendMinor: 120_000, description: 'Chengdu, 1 night' },
    ],
  },
  {
    partner: { code: 'SKYALLY', name: 'Sky Alliance Airways', category: PartnerCategory.PARTNER_CATEGORY_AIRLINE, earnRate: { miles: 1, perSpend: cny(100) }, maxMilesPerAccrual: 0, monthlyMilesCap: 0, pricePerMile: cny(4), redemptionEnabled: true, scopes: ['accruals:write', 'accruals:read', 'reconciliation:read'] },
    credential: true,
    accruals: [
      { passengerKey: 'zhang-wei', daysAgo: 12, miles: 1_850, description: 'SA 402 CAN-SIN Y' },
      { passengerKey: 'james-carter', daysAgo: 20, miles: 3_400, description: 'SA 17 JFK-LHR M' },
    ],
  },
  {
    partner: { code: 'BANKCC', name: 'Phoenix Bank co-brand card', category: PartnerCategory.PARTNER_CATEGORY_CREDIT_CARD, earnRate: { miles: 1, perSpend: cny(1_000) }, maxMilesPerAccrual: 50_000, monthlyMilesCap: 0, pricePerMile: cny(5), redemptionEnabled: false, scopes: ['accruals:write', 'accruals:read'] },
    credential: false,
    accruals: [{ passengerKey: 'wang-xiaoming', daysAgo: 1, spendMinor: 1_560_000, description: 'monthly card spend' }],
  },
];
