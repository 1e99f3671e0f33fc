// Domain records → proto messages (and the few proto → input conversions). Mapping only, no rules.
import { loyalty, type common } from '@csm/contracts';
import type {
  AwardRecord,
  BalanceRecord,
  EntryRecord,
  MemberRecord,
  MoneyRecord,
  PartnerAccrualRecord,
  PartnerRecord,
  QuoteRecord,
  RedemptionRecord,
} from '../domain/records';
import type { BenefitDef, ProgramRules } from '../domain/rules';
import type { TierStatusRecord } from '../app/members';

const date = (iso: string | null): Date | undefined => (iso === null ? undefined : new Date(iso));

export function money(m: MoneyRecord | null | undefined): common.Money | undefined {
  return m ? { amountMinor: m.amountMinor, currencyCode: m.currency } : undefined;
}

export function moneyIn(m: common.Money | undefined): MoneyRecord | undefined {
  return m ? { amountMinor: m.amountMinor, currency: m.currencyCode } : undefined;
}

export function member(m: MemberRecord): loyalty.Member {
  return loyalty.Member.fromPartial({
    id: m.id,
    memberNumber: m.memberNumber,
    passengerId: m.passengerId,
    status: m.status,
    tier: m.tier,
    enrollmentChannel: m.enrollmentChannel,
    referringPartnerCode: m.referringPartnerCode,
    enrollTime: new Date(m.enrollTime),
    ...(m.closeTime ? { closeTime: new Date(m.closeTime) } : {}),
    audit: { createTime: new Date(m.enrollTime), createdBy: m.createdBy, updateTime: new Date(m.updateTime), version: m.version },
  });
}

export function entry(e: EntryRecord): loyalty.LedgerEntry {
  return loyalty.LedgerEntry.fromPartial({
    id: e.id,
    memberId: e.memberId,
    kind: e.kind,
    miles: e.miles,
    qualifyingMiles: e.qualifyingMiles,
    qualifyingSegments: e.qualifyingSegments,
    activityDate: e.activityDate,
    postTime: new Date(e.postTime),
    description: e.description,
    ...(e.flight ? { flight: e.flight } : {}),
    partnerCode: e.partnerCode,
    partnerTransactionId: e.partnerTransactionId,
    caseId: e.caseId,
    redemptionId: e.redemptionId,
    relatedEntryId: e.relatedEntryId,
    actor: e.actor,
    approverId: e.approverId,
    balanceAfter: e.balanceAfter,
  });
}

export function balance(b: BalanceRecord): loyalty.Balance {
  return loyalty.Balance.fromPartial({
    memberId: b.memberId,
    availableMiles: b.available,
    pendingMiles: 0,
    heldMiles: b.held,
    lifetimeMiles: b.lifetime,
    expiring: b.expiring.map((x) => ({ expireDate: x.expireDate, miles: x.miles })),
    asOfTime: new Date(b.asOf),
  });
}

function benefit(b: BenefitDef): loyalty.Benefit {
  return { code: b.code, nameEn: b.nameEn, nameZh: b.nameZh, detail: b.detail };
}

export function tierDefinitions(rules: ProgramRules): loyalty.TierDefinition[] {
  const standard = loyalty.TierDefinition.fromPartial({
    tier: loyalty.Tier.TIER_STANDARD,
    windowMonths: rules.tierWindowMonths,
    benefits: (rules.benefits[loyalty.Tier.TIER_STANDARD] ?? []).map(benefit),
  });
  return [
    standard,
    ...rules.tiers.map((t) =>
      loyalty.TierDefinition.fromPartial({
        tier: t.tier,
        qualifyingMiles: t.qualifyingMiles,
        qualifyingSegments: t.qualifyingSegments,
        windowMonths: rules.tierWindowMonths,
        benefits: (rules.benefits[t.tier] ?? []).map(benefit),
      }),
    ),
  ];
}

export function tierStatus(rules: ProgramRules, s: TierStatusRecord): loyalty.TierStatus {
  return loyalty.TierStatus.fromPartial({
    memberId: s.member.id,
    tier: s.member.tier,
    validUntil: s.member.tierValidUntil ?? '',
    windowStartDate: s.windowStart,
    windowEndDate: s.windowEnd,
    qualifyingMiles: s.qualifyingMiles,
    qualifyingSegments: s.qualifyingSegments,
    nextTier: s.progress.nextTier,
    milesToNextTier: s.progress.milesToNext,
    segmentsToNextTier: s.progress.segmentsToNext,
    benefits: (rules.benefits[s.member.tier] ?? []).map(benefit),
  });
}

export function award(a: AwardRecord): loyalty.Award {
  return loyalty.Award.fromPartial({
    code: a.code,
    category: a.category,
    nameEn: a.nameEn,
    nameZh: a.nameZh,
    milesPrice: a.milesPrice,
    ...(a.copay ? { cashCopay: money(a.copay) } : {}),
    partnerCode: a.partnerCode,
    available: a.available,
  });
}

export function quote(q: QuoteRecord): loyalty.RedemptionQuote {
  return loyalty.RedemptionQuote.fromPartial({
    id: q.id,
    memberId: q.memberId,
    awardCode: q.awardCode,
    quantity: q.quantity,
    miles: q.miles,
    ...(q.copay ? { cashCopay: money(q.copay) } : {}),
    expireTime: new Date(q.expireTime),
  });
}

export function redemption(r: RedemptionRecord): loyalty.Redemption {
  return loyalty.Redemption.fromPartial({
    id: r.id,
    memberId: r.memberId,
    quoteId: r.quoteId,
    awardCode: r.awardCode,
    quantity: r.quantity,
    miles: r.miles,
    ...(r.copay ? { cashCopay: money(r.copay) } : {}),
    status: r.status,
    holdExpireTime: new Date(r.holdExpireTime),
    ...(r.confirmTime ? { confirmTime: date(r.confirmTime) } : {}),
    ...(r.cancelTime ? { cancelTime: date(r.cancelTime) } : {}),
    cancelReason: r.cancelReason,
    transactionId: r.transactionId,
  });
}

export function partner(p: PartnerRecord): loyalty.Partner {
  return loyalty.Partner.fromPartial({
    code: p.code,
    name: p.name,
    category: p.category,
    status: p.status,
    earnRate: { miles: p.earnRate.miles, perSpend: money(p.earnRate.perSpend) },
    maxMilesPerAccrual: p.maxMilesPerAccrual,
    pricePerMile: money(p.pricePerMile),
    redemptionEnabled: p.redemptionEnabled,
    audit: {
      createTime: new Date(p.createTime),
      createdBy: { id: p.createdBy },
      updateTime: new Date(p.updateTime),
      updatedBy: { id: p.updatedBy },
      version: p.version,
    },
    scopes: [...p.scopes],
    monthlyMilesCap: p.monthlyMilesCap,
    hasCredential: p.hasCredential,
  });
}

export function accrual(a: PartnerAccrualRecord): loyalty.PartnerAccrual {
  return loyalty.PartnerAccrual.fromPartial({
    partnerCode: a.partnerCode,
    partnerTransactionId: a.partnerTransactionId,
    memberNumber: a.memberNumber,
    memberId: a.memberId,
    activityDate: a.activityDate,
    miles: a.miles,
    ...(a.spend ? { spend: money(a.spend) } : {}),
    billable: money(a.billable),
    status: a.status,
    rejectReason: a.rejectReason,
    transactionId: a.transactionId,
  });
}
