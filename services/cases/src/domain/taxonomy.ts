import { cases } from '@csm/contracts';

const { Impact } = cases;

export interface CategoryDef {
  readonly code: string;
  readonly parent: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly defaultImpact: cases.Impact;
}

const c = (code: string, parent: string, nameEn: string, nameZh: string, defaultImpact = Impact.IMPACT_MINOR): CategoryDef => ({ code, parent, nameEn, nameZh, defaultImpact });

/** The category taxonomy (DOMAIN §3): issue types, two levels, dotted codes. */
export const CATEGORIES: readonly CategoryDef[] = [
  c('flight', '', 'Flight disruption', '航班延误/取消'),
  c('flight.delay', 'flight', 'Flight delay', '航班延误'),
  c('flight.cancellation', 'flight', 'Flight cancellation', '航班取消', Impact.IMPACT_MODERATE),
  c('flight.diversion', 'flight', 'Flight diversion', '航班备降', Impact.IMPACT_MODERATE),
  c('baggage', '', 'Baggage', '行李'),
  c('baggage.delayed', 'baggage', 'Baggage delayed', '行李延误'),
  c('baggage.damaged', 'baggage', 'Baggage damaged', '行李破损'),
  c('baggage.lost', 'baggage', 'Baggage lost', '行李丢失', Impact.IMPACT_MODERATE),
  c('checkin', '', 'Check-in and boarding', '值机与登机'),
  c('refund', '', 'Refund and change', '退票与改签'),
  c('staff', '', 'Staff attitude', '服务态度'),
  c('onboard', '', 'Onboard service', '机上服务'),
  c('onboard.meal', 'onboard', 'Meals', '餐食'),
  c('onboard.seat', 'onboard', 'Seats', '座位'),
  c('loyalty', '', 'Loyalty and miles', '常旅客与里程'),
  c('special_assistance', '', 'Special assistance', '特殊旅客服务', Impact.IMPACT_MODERATE),
  c('cargo', '', 'Cargo', '货运'),
  c('digital', '', 'Website and app', '网站与应用'),
  c('other', '', 'Other', '其他'),
];

const BY_CODE = new Map(CATEGORIES.map((x) => [x.code, x]));

export function findCategory(code: string): CategoryDef | undefined {
  return BY_CODE.get(code);
}

/** Top-level code of a category ("baggage" for "baggage.lost"). */
export function topLevel(code: string): string {
  return code.split('.')[0] ?? code;
}
