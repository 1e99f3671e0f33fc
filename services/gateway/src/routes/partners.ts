import { loyalty } from '@csm/contracts';
import { ValidationError } from '@csm/platform/errors';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { currency, isoDate, miles, pageOf, pageQuery, partnerCode, protoEnum, requiredText } from './schemas';
import { dateRangeOf, memberNumber, periodQuery, repeated } from './schemas-loyalty';

/*
 * Roles mirror loyalty's PartnerService: the registry (register, update, credentials) is admin only; readers of a
 * partner's data are admin, supervisor, analyst and ops, plus the partner itself for its own code (`partnerSelf`; the
 * service additionally requires the token's scopes accruals:read / reconciliation:read / accruals:write).
 * AuthenticatePartner is NOT exposed: it checks a client secret for a token exchange, which is the identity
 * provider's job (the service restricts it to the internal `service` role and admin); an open secret-checking
 * endpoint would only be a brute-force target.
 */

const READERS = ['admin', 'supervisor', 'analyst', 'ops'] as const;
const REGISTRY = ['admin'] as const;

const codeParams = z.strictObject({ partnerCode });

const money = z.strictObject({ amountMinor: z.number().int().min(0).max(1_000_000_000_000), currencyCode: currency });
const positiveMoney = z.strictObject({ amountMinor: z.number().int().min(1).max(1_000_000_000_000), currencyCode: currency });

/** The writable fields of a partner (output-only ones — audit, hasCredential — are not accepted). */
const partnerFields = {
  name: requiredText(200),
  category: protoEnum(loyalty.PartnerCategory),
  status: protoEnum(loyalty.PartnerStatus),
  earnRate: z.strictObject({ miles: z.number().int().min(1).max(1_000_000), perSpend: positiveMoney }),
  maxMilesPerAccrual: z.number().int().min(0).max(10_000_000),
  monthlyMilesCap: z.number().int().min(0).max(1_000_000_000),
  pricePerMile: money,
  redemptionEnabled: z.boolean(),
  scopes: z.array(z.enum(['accruals:write', 'accruals:read', 'reconciliation:read'])).max(8),
};
type PartnerFields = Partial<{ [K in keyof typeof partnerFields]: z.infer<(typeof partnerFields)[K]> }>;

/** Body fields → the proto Partner (enums by number, fromPartial fills the rest). */
function partnerOf(code: string, f: PartnerFields): loyalty.Partner {
  return loyalty.Partner.fromPartial({
    code,
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.category !== undefined ? { category: loyalty.partnerCategoryFromJSON(f.category) } : {}),
    ...(f.status !== undefined ? { status: loyalty.partnerStatusFromJSON(f.status) } : {}),
    ...(f.earnRate !== undefined ? { earnRate: f.earnRate } : {}),
    ...(f.maxMilesPerAccrual !== undefined ? { maxMilesPerAccrual: f.maxMilesPerAccrual } : {}),
    ...(f.monthlyMilesCap !== undefined ? { monthlyMilesCap: f.monthlyMilesCap } : {}),
    ...(f.pricePerMile !== undefined ? { pricePerMile: f.pricePerMile } : {}),
    ...(f.redemptionEnabled !== undefined ? { redemptionEnabled: f.redemptionEnabled } : {}),
    ...(f.scopes !== undefined ? { scopes: f.scopes } : {}),
  });
}

/** camelCase body field → the proto field path of the update mask. */
const MASK_PATHS: Readonly<Record<string, string>> = {
  name: 'name',
  category: 'category',
  status: 'status',
  earnRate: 'earn_rate',
  maxMilesPerAccrual: 'max_miles_per_accrual',
  monthlyMilesCap: 'monthly_miles_cap',
  pricePerMile: 'price_per_mile',
  redemptionEnabled: 'redemption_enabled',
  scopes: 'scopes',
};

const TRANSACTION_ID = /^[\x21-\x7e]{1,64}$/;

/** Loyalty's PartnerService: the partner registry and the partner accrual API. */
export const partnerRoutes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/partners',
    operationId: 'registerPartner',
    summary: 'Register an alliance partner (admin)',
    tag: 'partners',
    access: { roles: [...REGISTRY] },
    body: z.strictObject({
      code: partnerCode,
      ...partnerFields,
      status: partnerFields.status.optional().describe('default PARTNER_STATUS_ACTIVE'),
      scopes: partnerFields.scopes.optional(),
      monthlyMilesCap: partnerFields.monthlyMilesCap.optional(),
      maxMilesPerAccrual: partnerFields.maxMilesPerAccrual.optional(),
      redemptionEnabled: partnerFields.redemptionEnabled.optional(),
    }),
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.RegisterPartnerResponse',
    handler: async ({ body, backends, call }) => {
      const { code, ...fields } = body;
      const res = await callUnary(backends.partners, 'registerPartner', loyalty.RegisterPartnerRequest.fromPartial({ partner: partnerOf(code, fields) }), call);
      return { body: loyalty.RegisterPartnerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'patch',
    path: '/partners/{partnerCode}',
    operationId: 'updatePartner',
    summary: 'Change the given fields of a partner (admin); expectedVersion is the version you read',
    tag: 'partners',
    access: { roles: [...REGISTRY] },
    params: codeParams,
    body: z
      .strictObject({
        expectedVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
        name: partnerFields.name.optional(),
        category: partnerFields.category.optional(),
        status: partnerFields.status.optional(),
        earnRate: partnerFields.earnRate.optional(),
        maxMilesPerAccrual: partnerFields.maxMilesPerAccrual.optional(),
        monthlyMilesCap: partnerFields.monthlyMilesCap.optional(),
        pricePerMile: partnerFields.pricePerMile.optional(),
        redemptionEnabled: partnerFields.redemptionEnabled.optional(),
        scopes: partnerFields.scopes.optional(),
      })
      .refine((b) => Object.keys(b).some((k) => k in MASK_PATHS), { message: 'at least one field to change is required' }),
    responseDescription: 'csm.loyalty.v1.UpdatePartnerResponse',
    handler: async ({ params, body, backends, call }) => {
      const { expectedVersion, ...fields } = body;
      const updateMask = Object.keys(fields).flatMap((k) => (MASK_PATHS[k] !== undefined ? [MASK_PATHS[k]] : []));
      const res = await callUnary(
        backends.partners,
        'updatePartner',
        loyalty.UpdatePartnerRequest.fromPartial({ partner: partnerOf(params.partnerCode, fields), updateMask, expectedVersion }),
        call,
      );
      return { body: loyalty.UpdatePartnerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/partners/{partnerCode}',
    operationId: 'getPartner',
    summary: 'One partner (a partner may read its own record)',
    tag: 'partners',
    access: { roles: [...READERS], partnerSelf: { param: 'partnerCode' } },
    params: codeParams,
    responseDescription: 'csm.loyalty.v1.GetPartnerResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.partners, 'getPartner', loyalty.GetPartnerRequest.fromPartial({ partnerCode: params.partnerCode }), call);
      return { body: loyalty.GetPartnerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/partners',
    operationId: 'listPartners',
    summary: 'Partners, optionally by category and status',
    tag: 'partners',
    access: { roles: [...READERS] },
    query: z.strictObject({
      category: repeated(protoEnum(loyalty.PartnerCategory), 8).optional().describe('repeatable'),
      status: repeated(protoEnum(loyalty.PartnerStatus), 3).optional().describe('repeatable'),
      ...pageQuery,
    }),
    responseDescription: 'csm.loyalty.v1.ListPartnersResponse',
    handler: async ({ query, backends, call }) => {
      const req = loyalty.ListPartnersRequest.fromPartial({
        categories: (query.category ?? []).map((c) => loyalty.partnerCategoryFromJSON(c)),
        statuses: (query.status ?? []).map((s) => loyalty.partnerStatusFromJSON(s)),
        page: pageOf(query),
      });
      const res = await callUnary(backends.partners, 'listPartners', req, call);
      return { body: loyalty.ListPartnersResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/partners/{partnerCode}/accruals',
    operationId: 'postPartnerAccrual',
    summary:
      "THE partner accrual endpoint: credit a member for activity at the partner (partner: own code only). Idempotent by the partner's transaction id — " +
      'give it as body.partnerTransactionId or as the Idempotency-Key header (equal when both are given); a repeat answers 200 with replayed=true and the first result, a new accrual 201',
    tag: 'partners',
    access: { roles: ['admin'], partnerSelf: { param: 'partnerCode' } },
    params: codeParams,
    body: z
      .strictObject({
        partnerTransactionId: z.string().regex(TRANSACTION_ID, { message: 'must be 1-64 printable ASCII characters' }).optional(),
        memberNumber,
        activityDate: isoDate,
        miles: miles.optional().describe('explicit miles; or give spend'),
        spend: positiveMoney.optional().describe("a spend converted by the partner's earn rate; or give miles"),
        description: z.string().max(200).optional(),
      })
      .superRefine((b, ctx) => {
        if ((b.miles === undefined) === (b.spend === undefined)) ctx.addIssue({ code: 'custom', path: ['miles'], message: 'exactly one of miles or spend is required' });
      }),
    idempotent: true,
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.PostAccrualResponse',
    handler: async ({ params, body, idempotencyKey, backends, call }) => {
      const transactionId = body.partnerTransactionId ?? idempotencyKey;
      if (transactionId === undefined) {
        throw new ValidationError({ field: 'body.partnerTransactionId', description: 'is required (or send the Idempotency-Key header)', rule: 'REQUIRED' });
      }
      if (body.partnerTransactionId !== undefined && idempotencyKey !== undefined && idempotencyKey !== body.partnerTransactionId) {
        throw new ValidationError({ field: 'header.idempotency-key', description: 'must equal body.partnerTransactionId when both are given', rule: 'MISMATCH' });
      }
      if (!TRANSACTION_ID.test(transactionId)) throw new ValidationError({ field: 'header.idempotency-key', description: 'must be at most 64 characters as a partner transaction id', rule: 'MAX' });
      const req = loyalty.PostAccrualRequest.fromPartial({
        partnerCode: params.partnerCode,
        partnerTransactionId: transactionId,
        memberNumber: body.memberNumber,
        activityDate: body.activityDate,
        description: body.description ?? '',
        ...(body.miles !== undefined ? { miles: body.miles } : {}),
        ...(body.spend !== undefined ? { spend: body.spend } : {}),
      });
      const res = await callUnary(backends.partners, 'postAccrual', req, call);
      return { status: res.replayed ? 200 : 201, body: loyalty.PostAccrualResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/partners/{partnerCode}/accruals',
    operationId: 'listPartnerAccruals',
    summary: "A partner's accruals over a period (partner: own code, scope accruals:read)",
    tag: 'partners',
    access: { roles: [...READERS], partnerSelf: { param: 'partnerCode' } },
    params: codeParams,
    query: z.strictObject({ ...periodQuery, status: repeated(protoEnum(loyalty.AccrualStatus), 3).optional().describe('repeatable'), ...pageQuery }),
    responseDescription: 'csm.loyalty.v1.ListAccrualsResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = loyalty.ListAccrualsRequest.fromPartial({
        partnerCode: params.partnerCode,
        period: dateRangeOf(query),
        statuses: (query.status ?? []).map((s) => loyalty.accrualStatusFromJSON(s)),
        page: pageOf(query),
      });
      const res = await callUnary(backends.partners, 'listAccruals', req, call);
      return { body: loyalty.ListAccrualsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/partners/{partnerCode}/reconciliations',
    operationId: 'reconcilePartnerAccruals',
    summary: "Compare the partner's records for a period with the programme's (partner: own code, scope reconciliation:read); nothing is changed",
    tag: 'partners',
    access: { roles: [...READERS], partnerSelf: { param: 'partnerCode' } },
    params: codeParams,
    body: z.strictObject({
      from: isoDate,
      to: isoDate,
      records: z
        .array(
          z.strictObject({
            partnerTransactionId: z.string().regex(TRANSACTION_ID, { message: 'must be 1-64 printable ASCII characters' }),
            memberNumber,
            miles: z.number().int().min(0).max(10_000_000),
            activityDate: isoDate,
          }),
        )
        .max(2_000)
        .describe('everything the partner posted in the period (at most 2000 per call: the body limit)'),
    }),
    responseDescription: 'csm.loyalty.v1.ReconcileAccrualsResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = loyalty.ReconcileAccrualsRequest.fromPartial({ partnerCode: params.partnerCode, period: dateRangeOf(body), records: body.records });
      const res = await callUnary(backends.partners, 'reconcileAccruals', req, call);
      return { body: loyalty.ReconcileAccrualsResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/partners/{partnerCode}/credentials',
    operationId: 'issuePartnerCredential',
    summary: "Issue or rotate the partner's API secret (admin); the secret is shown once",
    tag: 'partners',
    access: { roles: [...REGISTRY] },
    params: codeParams,
    successStatus: 201,
    responseDescription: 'csm.loyalty.v1.IssuePartnerCredentialResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.partners, 'issuePartnerCredential', loyalty.IssuePartnerCredentialRequest.fromPartial({ partnerCode: params.partnerCode }), call);
      // A secret must never sit in a cache.
      return { body: loyalty.IssuePartnerCredentialResponse.toJSON(res), headers: { 'cache-control': 'no-store' } };
    },
  }),
  route({
    method: 'get',
    path: '/partners/{partnerCode}/statement',
    operationId: 'getPartnerStatement',
    summary: 'Miles issued and amount owed by a partner for a period (partner: own code, scope reconciliation:read)',
    tag: 'partners',
    access: { roles: [...READERS], partnerSelf: { param: 'partnerCode' } },
    params: codeParams,
    query: z.strictObject({ ...periodQuery }),
    responseDescription: 'csm.loyalty.v1.GetPartnerStatementResponse',
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.partners, 'getPartnerStatement', loyalty.GetPartnerStatementRequest.fromPartial({ partnerCode: params.partnerCode, period: dateRangeOf(query) }), call);
      return { body: loyalty.GetPartnerStatementResponse.toJSON(res) };
    },
  }),
];
