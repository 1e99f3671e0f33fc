// Accrual calculators: flown segments (distance × earn-chart percent, minimum per segment, tier bonus on award miles
// only) and partner spend (earn rate, per-accrual maximum).
import { Cabin } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import type { Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';
import type { ProgramRules } from './rules';

export const KM_PER_MILE = 1.609344;

export interface FlightEarn {
  /** Award miles (spendable), tier bonus included. */
  readonly awardMiles: number;
  /** Tier-qualifying miles: distance × chart percent, no bonus, no minimum. */
  readonly qualifyingMiles: number;
  readonly qualifyingSegments: number;
  readonly percent: number;
  readonly distanceMiles: number;
}

export function earnPercent(rules: ProgramRules, bookingClass: string, cabin: Cabin): number {
  const byClass = rules.bookingClassPercent[bookingClass.toUpperCase()];
  if (byClass !== undefined) return byClass;
  return rules.cabinPercent[cabin] ?? rules.cabinPercent[Cabin.CABIN_ECONOMY] ?? 0;
}

export function flightEarn(rules: ProgramRules, input: { distanceKm: number; bookingClass: string; cabin: Cabin; tier: Tier }): FlightEarn {
  const distanceMiles = Math.round(input.distanceKm / KM_PER_MILE);
  const percent = earnPercent(rules, input.bookingClass, input.cabin);
  const qualifyingMiles = Math.floor((distanceMiles * percent) / 100);
  // A zero-earning fare (e.g. class X) earns nothing, not the segment minimum.
  const base = percent === 0 ? 0 : Math.max(rules.minSegmentMiles, qualifyingMiles);
  const bonus = Math.floor((base * (rules.tierBonusPercent[input.tier] ?? 0)) / 100);
  return { awardMiles: base + bonus, qualifyingMiles, qualifyingSegments: percent === 0 ? 0 : 1, percent, distanceMiles };
}

export interface EarnRateDef {
  readonly miles: number;
  readonly perSpendMinor: number;
  readonly currency: string;
}

/** Miles for a partner spend: whole units of `perSpend` only (1 mile per CNY 5.00: CNY 12.00 → 2 miles). */
export function partnerSpendMiles(rate: EarnRateDef, spendMinor: number): number {
  if (rate.perSpendMinor <= 0) return 0;
  return Math.floor(spendMinor / rate.perSpendMinor) * rate.miles;
}
