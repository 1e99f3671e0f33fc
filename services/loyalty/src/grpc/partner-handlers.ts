// PartnerService: proto ↔ use-case mapping only.
import { loyalty } from '@csm/contracts';
import { unary } from '@csm/platform/grpc';
import type { AppDeps } from '../app/deps';
import * as partners from '../app/partners';
import * as map from './mappers';

function partnerInput(p: loyalty.Partner | undefined): partners.PartnerInput {
  return {
    code: p?.code ?? '',
    name: p?.name ?? '',
    category: p?.category ?? 0,
    status: p?.status ?? 0,
    earnRate: p?.earnRate?.perSpend ? { miles: p.earnRate.miles, perSpend: { amountMinor: p.earnRate.perSpend.amountMinor, currency: p.earnRate.perSpend.currencyCode } } : undefined,
    maxMilesPerAccrual: p?.maxMilesPerAccrual ?? 0,
    monthlyMilesCap: p?.monthlyMilesCap ?? 0,
    pricePerMile: map.moneyIn(p?.pricePerMile),
    redemptionEnabled: p?.redemptionEnabled ?? false,
    scopes: p?.scopes ?? [],
  };
}

export function partnerHandlers(deps: AppDeps): loyalty.PartnerServiceServer {
  return {
    registerPartner: unary(async (req: loyalty.RegisterPartnerRequest, ctx) => ({ partner: map.partner(await partners.registerPartner(deps, ctx.principal, partnerInput(req.partner))) })),
    updatePartner: unary(async (req: loyalty.UpdatePartnerRequest, ctx) => ({
      partner: map.partner(await partners.updatePartner(deps, ctx.principal, partnerInput(req.partner), req.updateMask ?? [], req.expectedVersion)),
    })),
    getPartner: unary(async (req: loyalty.GetPartnerRequest, ctx) => ({ partner: map.partner(await partners.getPartner(deps, ctx.principal, req.partnerCode)) })),
    listPartners: unary(async (req: loyalty.ListPartnersRequest, ctx) => {
      const r = await partners.listPartners(deps, ctx.principal, {
        categories: req.categories,
        statuses: req.statuses,
        pageSize: req.page?.pageSize ?? 0,
        pageToken: req.page?.pageToken ?? '',
      });
      return { partners: r.partners.map(map.partner), page: { nextPageToken: r.nextPageToken } };
    }),
    postAccrual: unary(async (req: loyalty.PostAccrualRequest, ctx) => {
      const r = await partners.postAccrual(deps, ctx.principal, {
        partnerCode: req.partnerCode,
        partnerTransactionId: req.partnerTransactionId,
        memberNumber: req.memberNumber,
        activityDate: req.activityDate,
        miles: req.miles,
        spend: map.moneyIn(req.spend),
        description: req.description,
      });
      return { accrual: map.accrual(r.accrual), replayed: r.replayed };
    }),
    listAccruals: unary(async (req: loyalty.ListAccrualsRequest, ctx) => {
      const r = await partners.listAccruals(deps, ctx.principal, {
        partnerCode: req.partnerCode,
        startDate: req.period?.startDate ?? '',
        endDate: req.period?.endDate ?? '',
        statuses: req.statuses,
        pageSize: req.page?.pageSize ?? 0,
        pageToken: req.page?.pageToken ?? '',
      });
      return { accruals: r.accruals.map(map.accrual), page: { nextPageToken: r.nextPageToken } };
    }),
    reconcileAccruals: unary(async (req: loyalty.ReconcileAccrualsRequest, ctx) => {
      const r = await partners.reconcile(deps, ctx.principal, {
        partnerCode: req.partnerCode,
        startDate: req.period?.startDate ?? '',
        endDate: req.period?.endDate ?? '',
        records: req.records.map((x) => ({ partnerTransactionId: x.partnerTransactionId, memberNumber: x.memberNumber, miles: x.miles, activityDate: x.activityDate })),
      });
      return {
        report: loyalty.ReconciliationReport.fromPartial({
          partnerCode: r.partnerCode,
          startDate: r.startDate,
          endDate: r.endDate,
          matchedCount: r.matched,
          discrepancyCount: r.discrepancies.length,
          programmeTotalMiles: r.programmeTotal,
          partnerTotalMiles: r.partnerTotal,
          billableTotal: map.money(r.billableTotal),
          discrepancies: r.discrepancies,
        }),
      };
    }),
    issuePartnerCredential: unary(async (req: loyalty.IssuePartnerCredentialRequest, ctx) => {
      const r = await partners.issueCredential(deps, ctx.principal, req.partnerCode);
      return { partnerCode: r.code, clientSecret: r.secret, scopes: [...r.scopes] };
    }),
    authenticatePartner: unary(async (req: loyalty.AuthenticatePartnerRequest, ctx) => {
      const r = await partners.authenticatePartner(deps, ctx.principal, req.partnerCode, req.clientSecret);
      return { partnerCode: r.code, scopes: [...r.scopes] };
    }),
    getPartnerStatement: unary(async (req: loyalty.GetPartnerStatementRequest, ctx) => {
      const s = await partners.partnerStatement(deps, ctx.principal, { partnerCode: req.partnerCode, startDate: req.period?.startDate ?? '', endDate: req.period?.endDate ?? '' });
      return {
        statement: loyalty.PartnerStatement.fromPartial({
          partnerCode: s.partnerCode,
          startDate: s.startDate,
          endDate: s.endDate,
          accrualCount: s.accrualCount,
          milesIssued: s.milesIssued,
          amountOwed: map.money(s.amountOwed),
          rejectedCount: s.rejectedCount,
        }),
      };
    }),
  };
}
