// LoyaltyService: proto ↔ use-case mapping only.
import { loyalty } from '@csm/contracts';
import { unary } from '@csm/platform/grpc';
import * as accrual from '../app/accrual';
import type { AppDeps } from '../app/deps';
import * as jobs from '../app/jobs';
import * as members from '../app/members';
import * as redemption from '../app/redemption';
import { statement } from '../app/statement';
import { requireRole, STAFF_READ } from '../app/authz';
import * as map from './mappers';

export interface LoyaltyLimits {
  readonly maxCompensationMiles: number;
  readonly maxManualAdjustMiles: number;
}

export function loyaltyHandlers(deps: AppDeps, limits: LoyaltyLimits): loyalty.LoyaltyServiceServer {
  return {
    enroll: unary(async (req: loyalty.EnrollRequest, ctx) => ({
      member: map.member(
        await members.enroll(deps, ctx.principal, {
          passengerId: req.passengerId,
          enrollmentChannel: req.enrollmentChannel,
          referringPartnerCode: req.referringPartnerCode,
          idempotencyKey: req.idempotencyKey,
        }),
      ),
    })),
    getMember: unary(async (req: loyalty.GetMemberRequest, ctx) => {
      // readMember checks the caller may see this member: the same check GetBalance and GetTierStatus make.
      const m = await members.readMember(deps, ctx.principal, {
        ...(req.memberId !== undefined ? { id: req.memberId } : {}),
        ...(req.memberNumber !== undefined ? { memberNumber: req.memberNumber } : {}),
        ...(req.passengerId !== undefined ? { passengerId: req.passengerId } : {}),
      });
      if (!req.includeBalanceAndTier) return { member: map.member(m) };
      const [b, t] = await Promise.all([members.balanceOf(deps, m), members.tierStatusOf(deps, m)]);
      return { member: map.member(m), balance: map.balance(b), tierStatus: map.tierStatus(deps.rules, t) };
    }),
    closeMember: unary(async (req: loyalty.CloseMemberRequest, ctx) => ({ member: map.member(await members.closeMember(deps, ctx.principal, req.memberId, req.reason)) })),
    getBalance: unary(async (req: loyalty.GetBalanceRequest, ctx) => ({ balance: map.balance(await members.balance(deps, ctx.principal, req.memberId)) })),
    getStatement: unary(async (req: loyalty.GetStatementRequest, ctx) => {
      const s = await statement(deps, ctx.principal, {
        memberId: req.memberId,
        startDate: req.period?.startDate ?? '',
        endDate: req.period?.endDate ?? '',
        pageSize: req.page?.pageSize ?? 0,
        pageToken: req.page?.pageToken ?? '',
      });
      return {
        entries: s.entries.map(map.entry),
        openingBalance: s.opening,
        closingBalance: s.closing,
        totalCredited: s.credited,
        totalDebited: s.debited,
        page: { nextPageToken: s.nextPageToken },
      };
    }),
    accrueFlight: unary(async (req: loyalty.AccrueFlightRequest, ctx) => {
      const s = req.segment;
      const e = await accrual.accrueFlight(deps, ctx.principal, {
        memberId: req.memberId,
        idempotencyKey: req.idempotencyKey,
        segment: s && {
          flight: s.flight,
          origin: s.origin,
          destination: s.destination,
          cabin: s.cabin,
          bookingClass: s.bookingClass,
          ticketNumber: s.ticketNumber,
          couponNumber: s.couponNumber,
          distanceKm: s.distanceKm,
        },
      });
      return { entry: map.entry(e) };
    }),
    compensate: unary(async (req: loyalty.CompensateRequest, ctx) => ({
      entry: map.entry(
        await accrual.compensate(
          deps,
          ctx.principal,
          { memberId: req.memberId, passengerId: req.passengerId, miles: req.miles, caseId: req.caseId, reason: req.reason, idempotencyKey: req.idempotencyKey },
          limits.maxCompensationMiles,
        ),
      ),
    })),
    manualAdjust: unary(async (req: loyalty.ManualAdjustRequest, ctx) => ({
      entry: map.entry(
        await accrual.manualAdjust(
          deps,
          ctx.principal,
          { memberId: req.memberId, miles: req.miles, reason: req.reason, approverId: req.approverId, idempotencyKey: req.idempotencyKey },
          limits.maxManualAdjustMiles,
        ),
      ),
    })),
    quoteRedemption: unary(async (req: loyalty.QuoteRedemptionRequest, ctx) => ({
      quote: map.quote(await redemption.quoteRedemption(deps, ctx.principal, { memberId: req.memberId, awardCode: req.awardCode, quantity: req.quantity })),
    })),
    holdRedemption: unary(async (req: loyalty.HoldRedemptionRequest, ctx) => ({
      redemption: map.redemption(await redemption.holdRedemption(deps, ctx.principal, { quoteId: req.quoteId, idempotencyKey: req.idempotencyKey })),
    })),
    confirmRedemption: unary(async (req: loyalty.ConfirmRedemptionRequest, ctx) => ({
      redemption: map.redemption(await redemption.confirmRedemption(deps, ctx.principal, req.redemptionId)),
    })),
    cancelRedemption: unary(async (req: loyalty.CancelRedemptionRequest, ctx) => ({
      redemption: map.redemption(await redemption.cancelRedemption(deps, ctx.principal, req.redemptionId, req.reason)),
    })),
    listAwards: unary(async (req: loyalty.ListAwardsRequest, ctx) => {
      const r = await redemption.listAwards(deps, ctx.principal, {
        categories: req.categories,
        affordableForMemberId: req.affordableForMemberId,
        pageSize: req.page?.pageSize ?? 0,
        pageToken: req.page?.pageToken ?? '',
      });
      return { awards: r.awards.map(map.award), page: { nextPageToken: r.nextPageToken } };
    }),
    getTierStatus: unary(async (req: loyalty.GetTierStatusRequest, ctx) => ({
      tierStatus: map.tierStatus(deps.rules, await members.tierStatus(deps, ctx.principal, req.memberId)),
    })),
    listTiers: unary(async (_req: loyalty.ListTiersRequest, ctx) => {
      requireRole(ctx.principal, ...STAFF_READ, 'passenger', 'partner');
      return { tiers: map.tierDefinitions(deps.rules) };
    }),
    runExpiry: unary(async (req: loyalty.RunExpiryRequest, ctx) => {
      jobs.requireJobRunner(ctx.principal);
      const r = await jobs.runExpiry(deps, req.asOfDate);
      return { membersExpired: r.members, milesExpired: r.miles };
    }),
    runTierEvaluation: unary(async (req: loyalty.RunTierEvaluationRequest, ctx) => {
      jobs.requireJobRunner(ctx.principal);
      const r = await jobs.runTierEvaluation(deps, req.asOfDate);
      return { membersEvaluated: r.evaluated, downgraded: r.downgraded, renewed: r.renewed };
    }),
  };
}
