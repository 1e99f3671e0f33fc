import { loyalty } from '@csm/contracts';
import { PermissionDeniedError } from '@csm/platform/errors';
import { callUnary, type UnaryCallOptions } from '@csm/platform/grpc';
import { hasRole } from '@csm/platform/security';
import { z } from 'zod';
import type { Backends } from '../backends/clients';
import { route, type AnyRoute } from '../http/route';
import { carrier, flightNumber, iata, ids, isoDate, miles, pageOf, pageQuery, partnerCode, protoEnum, requiredText, text } from './schemas';
import { dateRangeOf, JOB_DEADLINE_MS, loyaltyIds, memberNumber, periodQuery, repeated } from './schemas-loyalty';

/*
 * Membership is a sub-resource of the passenger: loyalty keeps exactly one member per passenger and checks a
 * passenger's own access by comparing the member's passenger_id with the token's profile id (requireSelfOrRole). The
 * passenger-facing routes are therefore keyed by the passenger id (`/passengers/{passengerId}/membership/...`), so
 * the gateway's `passengerSelf` owner check applies before any call; the handler resolves the member with
 * GetMember(passenger_id) and then calls the member-keyed RPC. The one member-keyed route, `GET /members/{member}`,
 * is the staff lookup by member id or card number. The service re-checks every call with the caller's token.
 */

/** loyalty's STAFF_READ (without the internal `service` role). */
const STAFF_READ = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'ops', 'admin'] as const;
/** loyalty's STAFF_WRITE: who may redeem / enrol on a member's behalf. */
const STAFF_WRITE = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;
/** Closing a membership and manual adjustments: level 2 and up (loyalty's rule). */
const SENIOR = ['agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;
/**
 * Direct compensation. Loyalty lets L2/L3 agents compensate (the case flow), but agents grant miles through the case
 * (POST /cases/{caseId}/compensations), which applies the per-role approval limits (L1 1,000, L2/L3 5,000,
 * supervisor 50,000 by default) and records the grant on the case; a direct route for L2/L3 would bypass both up to
 * loyalty's global cap. So only roles whose case limit already reaches that cap may use it directly.
 */
const DIRECT_COMPENSATORS = ['supervisor', 'admin'] as const;
/** Flight accrual: the operations feed, or senior agents posting a missing flight. */
const ACCRUERS = ['ops', 'admin', 'agent_l2', 'agent_l3', 'supervisor'] as const;
/** Catalogue reads: anyone signed in (partners sell awards, passengers browse). */
const CATALOGUE = [...STAFF_READ, 'passenger', 'partner'] as const;
/** Scheduled jobs run on demand. */
const JOB_RUNNERS = ['ops', 'admin'] as const;

const passengerParams = z.strictObject({ passengerId: ids.passenger });
const redemptionParams = z.strictObject({ passengerId: ids.passenger, redemptionId: loyaltyIds.redemption });

/** The member of a passenger (404 when they have none); the lookup runs with the caller's own token. */
async function memberIdOf(backends: Backends, passengerId: string, call: UnaryCallOptions): Promise<string> {
  const res = await callUnary(backends.loyalty, 'getMember', loyalty.GetMemberRequest.fromPartial({ passengerId }), call);
  return res.member?.id ?? '';
}

/** Loyalty's LoyaltyService: membership, ledger, redemption, tiers and the scheduled jobs. */
export const loyaltyRoutes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership',
    operationId: 'enrollMember',
    summary: 'Enrol a passenger in the programme (Idempotency-Key header required; a partner enrols as the referring partner)',
    tag: 'loyalty',
    access: { roles: [...STAFF_WRITE, 'partner'], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    body: z.strictObject({
      enrollmentChannel: text(32).optional().describe('"app", "web", "counter", "partner"…'),
      referringPartnerCode: partnerCode.optional(),
    }),
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.EnrollResponse',
    handler: async ({ params, body, principal, idempotencyKey, backends, call }) => {
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      let referrer = body.referringPartnerCode ?? '';
      if (hasRole(principal, 'partner') && !hasRole(principal, ...STAFF_WRITE)) {
        // A partner brings members for itself only.
        if (referrer !== '' && referrer !== principal.partnerCode) throw new PermissionDeniedError('a partner may only enrol members it refers itself');
        referrer = principal.partnerCode ?? '';
      }
      const res = await callUnary(
        backends.loyalty,
        'enroll',
        loyalty.EnrollRequest.fromPartial({ passengerId: params.passengerId, enrollmentChannel: body.enrollmentChannel ?? '', referringPartnerCode: referrer, idempotencyKey: key }),
        call,
      );
      return { body: loyalty.EnrollResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/membership',
    operationId: 'getPassengerMembership',
    summary: "A passenger's programme membership",
    tag: 'loyalty',
    access: { roles: [...STAFF_READ], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    responseDescription: 'csm.loyalty.v1.GetMemberResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.loyalty, 'getMember', loyalty.GetMemberRequest.fromPartial({ passengerId: params.passengerId }), call);
      return { body: loyalty.GetMemberResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/members/{member}',
    operationId: 'getMember',
    summary: 'Staff lookup of a member by member id (mbr_…) or 10-digit frequent-flyer number',
    tag: 'loyalty',
    access: { roles: [...STAFF_READ] },
    params: z.strictObject({ member: z.union([loyaltyIds.member, memberNumber]).describe('member id or frequent-flyer number') }),
    responseDescription: 'csm.loyalty.v1.GetMemberResponse',
    handler: async ({ params, backends, call }) => {
      const key = params.member.startsWith('mbr_') ? { memberId: params.member } : { memberNumber: params.member };
      const res = await callUnary(backends.loyalty, 'getMember', loyalty.GetMemberRequest.fromPartial(key), call);
      return { body: loyalty.GetMemberResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/close',
    operationId: 'closeMembership',
    summary: "Close a passenger's membership (the passenger themself, or an agent of level 2 and up)",
    tag: 'loyalty',
    access: { roles: [...SENIOR], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    body: z.strictObject({ reason: requiredText(500) }),
    responseDescription: 'csm.loyalty.v1.CloseMemberResponse',
    handler: async ({ params, body, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'closeMember', loyalty.CloseMemberRequest.fromPartial({ memberId, reason: body.reason }), call);
      return { body: loyalty.CloseMemberResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/membership/balance',
    operationId: 'getMembershipBalance',
    summary: 'Available, held and lifetime miles, and the miles due to expire',
    tag: 'loyalty',
    access: { roles: [...STAFF_READ], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    responseDescription: 'csm.loyalty.v1.GetBalanceResponse',
    handler: async ({ params, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'getBalance', loyalty.GetBalanceRequest.fromPartial({ memberId }), call);
      return { body: loyalty.GetBalanceResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/membership/statement',
    operationId: 'getMembershipStatement',
    summary: 'Ledger entries over a period (activity dates, inclusive) with opening and closing balances',
    tag: 'loyalty',
    access: { roles: [...STAFF_READ], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    query: z.strictObject({ ...periodQuery, ...pageQuery }),
    responseDescription: 'csm.loyalty.v1.GetStatementResponse',
    handler: async ({ params, query, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'getStatement', loyalty.GetStatementRequest.fromPartial({ memberId, period: dateRangeOf(query), page: pageOf(query) }), call);
      return { body: loyalty.GetStatementResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/membership/tier-status',
    operationId: 'getMembershipTierStatus',
    summary: 'Current tier, qualification window and progress to the next tier',
    tag: 'loyalty',
    access: { roles: [...STAFF_READ], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    responseDescription: 'csm.loyalty.v1.GetTierStatusResponse',
    handler: async ({ params, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'getTierStatus', loyalty.GetTierStatusRequest.fromPartial({ memberId }), call);
      return { body: loyalty.GetTierStatusResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/flight-accruals',
    operationId: 'accrueFlight',
    summary: 'Credit a flown segment (operations feed, or a senior agent for a missing flight); idempotent per ticket coupon, or by the Idempotency-Key header when given',
    tag: 'loyalty',
    access: { roles: [...ACCRUERS] },
    params: passengerParams,
    body: z.strictObject({
      flight: z.strictObject({ carrier, number: flightNumber, date: isoDate }),
      origin: iata,
      destination: iata,
      cabin: protoEnum(loyalty.Cabin),
      bookingClass: z.string().regex(/^[A-Z]$/, { message: 'must be one booking-class letter' }),
      ticketNumber: z.string().regex(/^\d{13}$/, { message: 'must be 13 digits' }),
      couponNumber: z.number().int().min(1).max(4),
      distanceKm: z.number().int().min(0).max(20_100).optional().describe('great-circle distance; omitted lets loyalty compute it'),
    }),
    idempotent: true,
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.AccrueFlightResponse',
    handler: async ({ params, body, idempotencyKey, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const segment = { ...body, cabin: loyalty.cabinFromJSON(body.cabin), distanceKm: body.distanceKm ?? 0 };
      const res = await callUnary(backends.loyalty, 'accrueFlight', loyalty.AccrueFlightRequest.fromPartial({ memberId, segment, idempotencyKey: idempotencyKey ?? '' }), call);
      return { body: loyalty.AccrueFlightResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/compensations',
    operationId: 'compensateMiles',
    summary: 'Service-recovery miles for a case, granted directly (supervisor/admin; agents use the case compensation route). Idempotency-Key header required',
    tag: 'loyalty',
    access: { roles: [...DIRECT_COMPENSATORS] },
    params: passengerParams,
    body: z.strictObject({ miles, caseId: ids.case, reason: requiredText(500) }),
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.CompensateResponse',
    handler: async ({ params, body, idempotencyKey, backends, call }) => {
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      const res = await callUnary(
        backends.loyalty,
        'compensate',
        loyalty.CompensateRequest.fromPartial({ passengerId: params.passengerId, miles: body.miles, caseId: body.caseId, reason: body.reason, idempotencyKey: key }),
        call,
      );
      return { body: loyalty.CompensateResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/adjustments',
    operationId: 'adjustMiles',
    summary: 'Manual credit (positive) or debit (negative) with a reason and a second approver (Idempotency-Key header required)',
    tag: 'loyalty',
    access: { roles: [...SENIOR] },
    params: passengerParams,
    body: z.strictObject({
      miles: z
        .number()
        .int()
        .min(-10_000_000)
        .max(10_000_000)
        .refine((m) => m !== 0, { message: 'must not be zero' }),
      reason: requiredText(500),
      approverId: requiredText(128).describe('the second person who approved; must differ from the caller'),
    }),
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.ManualAdjustResponse',
    handler: async ({ params, body, idempotencyKey, backends, call }) => {
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'manualAdjust', loyalty.ManualAdjustRequest.fromPartial({ memberId, ...body, idempotencyKey: key }), call);
      return { body: loyalty.ManualAdjustResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/redemption-quotes',
    operationId: 'quoteRedemption',
    summary: 'Price an award in miles (and co-pay) for this member; the quote is valid for a few minutes',
    tag: 'loyalty',
    access: { roles: [...STAFF_WRITE], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    body: z.strictObject({ awardCode: z.string().regex(/^[A-Z0-9_-]{1,32}$/, { message: 'must be an award code' }), quantity: z.number().int().min(1).max(20) }),
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.QuoteRedemptionResponse',
    handler: async ({ params, body, backends, call }) => {
      const memberId = await memberIdOf(backends, params.passengerId, call);
      const res = await callUnary(backends.loyalty, 'quoteRedemption', loyalty.QuoteRedemptionRequest.fromPartial({ memberId, ...body }), call);
      return { body: loyalty.QuoteRedemptionResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/redemptions',
    operationId: 'holdRedemption',
    summary: "Reserve a quote's miles (Idempotency-Key header required); confirm or cancel it next",
    tag: 'loyalty',
    access: { roles: [...STAFF_WRITE], passengerSelf: { param: 'passengerId' } },
    params: passengerParams,
    body: z.strictObject({ quoteId: loyaltyIds.quote }),
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.HoldRedemptionResponse',
    handler: async ({ body, idempotencyKey, backends, call }) => {
      // The quote names its member; loyalty checks that the caller may act for that member.
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      const res = await callUnary(backends.loyalty, 'holdRedemption', loyalty.HoldRedemptionRequest.fromPartial({ quoteId: body.quoteId, idempotencyKey: key }), call);
      return { body: loyalty.HoldRedemptionResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/redemptions/{redemptionId}/confirm',
    operationId: 'confirmRedemption',
    summary: 'Debit the held miles (a retried confirm changes nothing)',
    tag: 'loyalty',
    access: { roles: [...STAFF_WRITE], passengerSelf: { param: 'passengerId' } },
    params: redemptionParams,
    responseDescription: 'csm.loyalty.v1.ConfirmRedemptionResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.loyalty, 'confirmRedemption', loyalty.ConfirmRedemptionRequest.fromPartial({ redemptionId: params.redemptionId }), call);
      return { body: loyalty.ConfirmRedemptionResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/membership/redemptions/{redemptionId}/cancel',
    operationId: 'cancelRedemption',
    summary: 'Release a hold, or reverse a confirmed redemption',
    tag: 'loyalty',
    access: { roles: [...STAFF_WRITE], passengerSelf: { param: 'passengerId' } },
    params: redemptionParams,
    body: z.strictObject({ reason: requiredText(500) }),
    responseDescription: 'csm.loyalty.v1.CancelRedemptionResponse',
    handler: async ({ params, body, backends, call }) => {
      const res = await callUnary(backends.loyalty, 'cancelRedemption', loyalty.CancelRedemptionRequest.fromPartial({ redemptionId: params.redemptionId, reason: body.reason }), call);
      return { body: loyalty.CancelRedemptionResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/awards',
    operationId: 'listAwards',
    summary: 'The award catalogue, optionally by category or affordable for one member',
    tag: 'loyalty',
    access: { roles: [...CATALOGUE] },
    query: z.strictObject({
      category: repeated(protoEnum(loyalty.AwardCategory), 8).optional().describe('repeatable'),
      affordableForMemberId: loyaltyIds.member.optional().describe('only awards this member can afford (their own, for a passenger)'),
      ...pageQuery,
    }),
    responseDescription: 'csm.loyalty.v1.ListAwardsResponse',
    handler: async ({ query, backends, call }) => {
      const req = loyalty.ListAwardsRequest.fromPartial({
        categories: (query.category ?? []).map((c) => loyalty.awardCategoryFromJSON(c)),
        affordableForMemberId: query.affordableForMemberId ?? '',
        page: pageOf(query),
      });
      const res = await callUnary(backends.loyalty, 'listAwards', req, call);
      return { body: loyalty.ListAwardsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/tiers',
    operationId: 'listTiers',
    summary: 'Tier rules and benefits of the programme, lowest first',
    tag: 'loyalty',
    access: { roles: [...CATALOGUE] },
    responseDescription: 'csm.loyalty.v1.ListTiersResponse',
    handler: async ({ backends, call }) => {
      const res = await callUnary(backends.loyalty, 'listTiers', loyalty.ListTiersRequest.fromPartial({}), call);
      return { body: loyalty.ListTiersResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/loyalty/jobs/expiry',
    operationId: 'runMilesExpiry',
    summary: 'Run the miles-expiry job now, as of a date (default today); each expiry is posted once',
    tag: 'loyalty',
    access: { roles: [...JOB_RUNNERS] },
    body: z.strictObject({ asOfDate: isoDate.optional() }),
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.loyalty.v1.RunExpiryResponse',
    handler: async ({ body, backends, call }) => {
      const res = await callUnary(backends.loyalty, 'runExpiry', loyalty.RunExpiryRequest.fromPartial({ asOfDate: body.asOfDate ?? '' }), call);
      return { body: loyalty.RunExpiryResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/loyalty/jobs/tier-evaluation',
    operationId: 'runTierEvaluation',
    summary: 'Evaluate tiers whose period ended on or before a date (default today); each member-period once',
    tag: 'loyalty',
    access: { roles: [...JOB_RUNNERS] },
    body: z.strictObject({ asOfDate: isoDate.optional() }),
    deadlineMs: JOB_DEADLINE_MS,
    responseDescription: 'csm.loyalty.v1.RunTierEvaluationResponse',
    handler: async ({ body, backends, call }) => {
      const res = await callUnary(backends.loyalty, 'runTierEvaluation', loyalty.RunTierEvaluationRequest.fromPartial({ asOfDate: body.asOfDate ?? '' }), call);
      return { body: loyalty.RunTierEvaluationResponse.toJSON(res) };
    },
  }),
];
