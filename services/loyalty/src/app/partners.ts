// Partner registry and partner API: credentials (hashed secrets) and scopes; a partner posts only for its own code,
// within its earn rate, per-accrual maximum and monthly cap; each (partner, transaction id) credits at most once;
// reconciliation and a billing statement per period.
import { AccrualStatus, PartnerCategory, PartnerStatus, ReconciliationOutcome } from '@csm/contracts/gen/csm/loyalty/v1/partner';
import { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { MemberStatus } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { loyaltyPartnerFeed } from '@csm/contracts/events/loyalty';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  PermissionDeniedError,
  UnauthenticatedError,
  ValidationError,
  VersionConflictError,
} from '@csm/platform/errors';
import { hasRole, requirePartnerOrRole, requireRole, requireScope, type Principal } from '@csm/platform/security';
import type { SqlTx } from '@csm/platform/stores';
import { monthOf, toIsoDate } from '../domain/dates';
import { partnerSpendMiles } from '../domain/earn';
import { isValidMemberNumber } from '../domain/ff-number';
import { SYSTEM } from '../domain/ledger';
import type { MoneyRecord, PartnerAccrualRecord, PartnerRecord } from '../domain/records';
import { hashSecret, newSecret, verifySecret } from '../domain/secrets';
import { ID_PATTERNS, Violations } from '../domain/validate';
import { emit, emitPartnerFeed } from '../events/outbox-events';
import { ensureSystemAccount } from '../store/ledger-store';
import { findMember } from '../store/member-store';
import { getPartnerRow, toAccrual, toPartner } from '../store/partner-store';
import { actorOf } from './actor';
import { credit } from './credit';
import type { AppDeps } from './deps';
import { idempotent } from './idempotent';
import { decodePageToken, encodePageToken, pageSize } from './paging';

export const PARTNER_SCOPES = ['accruals:write', 'accruals:read', 'reconciliation:read'] as const;
const REGISTRY_ROLES = ['admin'] as const;
const PARTNER_READERS = ['admin', 'supervisor', 'analyst', 'ops'] as const;
const CATEGORIES = Object.values(PartnerCategory).filter((c): c is PartnerCategory => typeof c === 'number' && c > 0);
const STATUSES = [PartnerStatus.PARTNER_STATUS_ACTIVE, PartnerStatus.PARTNER_STATUS_SUSPENDED, PartnerStatus.PARTNER_STATUS_TERMINATED];
const CURRENCY = /^[A-Z]{3}$/;

export interface PartnerInput {
  readonly code: string;
  readonly name: string;
  readonly category: PartnerCategory;
  readonly status: PartnerStatus;
  readonly earnRate: { miles: number; perSpend: MoneyRecord } | undefined;
  readonly maxMilesPerAccrual: number;
  readonly monthlyMilesCap: number;
  readonly pricePerMile: MoneyRecord | undefined;
  readonly redemptionEnabled: boolean;
  readonly scopes: readonly string[];
}

function validatePartner(v: Violations, p: PartnerInput, fields: ReadonlySet<string> | 'all'): void {
  const has = (f: string) => fields === 'all' || fields.has(f);
  if (has('name')) v.required('partner.name', p.name).maxLength('partner.name', p.name, 200);
  if (has('category')) v.enumValue('partner.category', p.category, CATEGORIES, (c) => PartnerCategory[c] ?? String(c));
  if (has('status') && (fields !== 'all' || p.status !== PartnerStatus.PARTNER_STATUS_UNSPECIFIED)) {
    v.enumValue('partner.status', p.status, STATUSES, (c) => PartnerStatus[c] ?? String(c));
  }
  if (has('earn_rate')) {
    if (!p.earnRate || !p.earnRate.perSpend) v.add('partner.earn_rate', 'is required', 'REQUIRED');
    else {
      v.positiveInt('partner.earn_rate.miles', p.earnRate.miles, 1_000_000);
      v.positiveInt('partner.earn_rate.per_spend.amount_minor', p.earnRate.perSpend.amountMinor, 1_000_000_000);
      v.pattern('partner.earn_rate.per_spend.currency_code', p.earnRate.perSpend.currency, CURRENCY, 'an ISO 4217 code').required('partner.earn_rate.per_spend.currency_code', p.earnRate.perSpend.currency);
    }
  }
  if (has('price_per_mile')) {
    if (!p.pricePerMile) v.add('partner.price_per_mile', 'is required', 'REQUIRED');
    else {
      if (!Number.isSafeInteger(p.pricePerMile.amountMinor) || p.pricePerMile.amountMinor < 0) v.add('partner.price_per_mile.amount_minor', 'must be a non-negative integer', 'NON_NEGATIVE');
      v.pattern('partner.price_per_mile.currency_code', p.pricePerMile.currency, CURRENCY, 'an ISO 4217 code').required('partner.price_per_mile.currency_code', p.pricePerMile.currency);
    }
  }
  if (has('max_miles_per_accrual') && (!Number.isSafeInteger(p.maxMilesPerAccrual) || p.maxMilesPerAccrual < 0)) v.add('partner.max_miles_per_accrual', 'must be a non-negative integer', 'NON_NEGATIVE');
  if (has('monthly_miles_cap') && (!Number.isSafeInteger(p.monthlyMilesCap) || p.monthlyMilesCap < 0)) v.add('partner.monthly_miles_cap', 'must be a non-negative integer', 'NON_NEGATIVE');
  if (has('scopes')) {
    p.scopes.forEach((s, i) => {
      if (!(PARTNER_SCOPES as readonly string[]).includes(s)) v.add(`partner.scopes[${i}]`, `must be one of ${PARTNER_SCOPES.join(', ')}`, 'UNKNOWN_SCOPE');
    });
  }
}

export async function registerPartner(deps: AppDeps, p: Principal, input: PartnerInput): Promise<PartnerRecord> {
  requireRole(p, ...REGISTRY_ROLES);
  const v = new Violations().required('partner.code', input.code).pattern('partner.code', input.code, ID_PATTERNS.partnerCode, '2-12 upper-case letters or digits');
  validatePartner(v, input, 'all');
  v.throwIfAny();
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const res = await tx.query(
      `INSERT INTO partners (code, name, category, status, earn_miles, earn_per_spend_minor, earn_currency, max_miles_per_accrual, monthly_miles_cap,
         price_per_mile_minor, price_currency, redemption_enabled, scopes, create_time, created_by, update_time, updated_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$14,$15) ON CONFLICT DO NOTHING RETURNING *`,
      [
        input.code, input.name, input.category, input.status || PartnerStatus.PARTNER_STATUS_ACTIVE, input.earnRate?.miles, input.earnRate?.perSpend.amountMinor,
        input.earnRate?.perSpend.currency, input.maxMilesPerAccrual, input.monthlyMilesCap, input.pricePerMile?.amountMinor, input.pricePerMile?.currency,
        input.redemptionEnabled, [...new Set(input.scopes)], now, p.subject,
      ],
    );
    if (!res.rows[0]) throw new AlreadyExistsError('partner', input.code);
    await ensureSystemAccount(tx, SYSTEM.partner(input.code), 'source');
    return toPartner(res.rows[0]);
  });
}

const UPDATABLE = new Set(['name', 'category', 'status', 'earn_rate', 'max_miles_per_accrual', 'monthly_miles_cap', 'price_per_mile', 'redemption_enabled', 'scopes']);

export async function updatePartner(deps: AppDeps, p: Principal, input: PartnerInput, mask: readonly string[], expectedVersion: number): Promise<PartnerRecord> {
  requireRole(p, ...REGISTRY_ROLES);
  const v = new Violations().required('partner.code', input.code);
  const paths = mask.map((m) => m.replace(/^partner\./, ''));
  if (paths.length === 0) v.add('update_mask', 'must name at least one field', 'REQUIRED');
  paths.forEach((f, i) => {
    if (!UPDATABLE.has(f)) v.add(`update_mask[${i}]`, `"${f}" cannot be updated; updatable: ${[...UPDATABLE].join(', ')}`, 'NOT_UPDATABLE');
  });
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion <= 0) v.add('expected_version', 'is required (the version you read)', 'REQUIRED');
  validatePartner(v, input, new Set(paths));
  v.throwIfAny();
  return deps.db.transaction(async (tx) => {
    const current = toPartner(await getPartnerRow(tx, input.code));
    if (current.version !== expectedVersion) throw new VersionConflictError('partner', input.code, String(expectedVersion), String(current.version));
    const set = new Set(paths);
    const next = {
      name: set.has('name') ? input.name : current.name,
      category: set.has('category') ? input.category : current.category,
      status: set.has('status') ? input.status : current.status,
      earnRate: set.has('earn_rate') && input.earnRate ? input.earnRate : current.earnRate,
      max: set.has('max_miles_per_accrual') ? input.maxMilesPerAccrual : current.maxMilesPerAccrual,
      cap: set.has('monthly_miles_cap') ? input.monthlyMilesCap : current.monthlyMilesCap,
      price: set.has('price_per_mile') && input.pricePerMile ? input.pricePerMile : current.pricePerMile,
      redemption: set.has('redemption_enabled') ? input.redemptionEnabled : current.redemptionEnabled,
      scopes: set.has('scopes') ? [...new Set(input.scopes)] : current.scopes,
    };
    const res = await tx.query(
      `UPDATE partners SET name=$2, category=$3, status=$4, earn_miles=$5, earn_per_spend_minor=$6, earn_currency=$7, max_miles_per_accrual=$8,
         monthly_miles_cap=$9, price_per_mile_minor=$10, price_currency=$11, redemption_enabled=$12, scopes=$13, update_time=$14, updated_by=$15,
         version = version + 1
       WHERE code = $1 AND version = $16 RETURNING *`,
      [
        input.code, next.name, next.category, next.status, next.earnRate.miles, next.earnRate.perSpend.amountMinor, next.earnRate.perSpend.currency,
        next.max, next.cap, next.price.amountMinor, next.price.currency, next.redemption, next.scopes, deps.now(), p.subject, expectedVersion,
      ],
    );
    if (!res.rows[0]) throw new VersionConflictError('partner', input.code, String(expectedVersion));
    return toPartner(res.rows[0]);
  });
}

export async function getPartner(deps: AppDeps, p: Principal, code: string): Promise<PartnerRecord> {
  new Violations().required('partner_code', code).throwIfAny();
  requirePartnerOrRole(p, code, ...PARTNER_READERS);
  return toPartner(await getPartnerRow(deps.db, code));
}

export async function listPartners(
  deps: AppDeps,
  p: Principal,
  input: { categories: readonly number[]; statuses: readonly number[]; pageSize: number; pageToken: string },
): Promise<{ partners: PartnerRecord[]; nextPageToken: string }> {
  requireRole(p, ...PARTNER_READERS);
  const v = new Violations();
  input.categories.forEach((c, i) => v.enumValue(`categories[${i}]`, c, CATEGORIES, (x) => PartnerCategory[x] ?? String(x)));
  input.statuses.forEach((c, i) => v.enumValue(`statuses[${i}]`, c, STATUSES, (x) => PartnerStatus[x] ?? String(x)));
  const after = decodePageToken(input.pageToken, v, 'page.page_token');
  v.throwIfAny();
  const size = pageSize(input.pageSize);
  const res = await deps.db.query(
    `SELECT * FROM partners WHERE code > $1 AND (cardinality($2::smallint[]) = 0 OR category = ANY($2::smallint[]))
       AND (cardinality($3::smallint[]) = 0 OR status = ANY($3::smallint[])) ORDER BY code LIMIT $4`,
    [after, input.categories, input.statuses, size + 1],
  );
  const partners = res.rows.slice(0, size).map(toPartner);
  return { partners, nextPageToken: res.rows.length > size ? encodePageToken(partners[partners.length - 1]?.code ?? '') : '' };
}

export async function issueCredential(deps: AppDeps, p: Principal, code: string): Promise<{ code: string; secret: string; scopes: readonly string[] }> {
  requireRole(p, ...REGISTRY_ROLES);
  new Violations().required('partner_code', code).throwIfAny();
  const secret = newSecret();
  const hash = await hashSecret(secret);
  return deps.db.transaction(async (tx) => {
    const partner = toPartner(await getPartnerRow(tx, code));
    await tx.query(`UPDATE partners SET secret_hash = $2, update_time = $3, updated_by = $4, version = version + 1 WHERE code = $1`, [code, hash, deps.now(), p.subject]);
    return { code, secret, scopes: partner.scopes };
  });
}

export async function authenticatePartner(deps: AppDeps, p: Principal, code: string, secret: string): Promise<{ code: string; scopes: readonly string[] }> {
  requireRole(p, 'service', 'admin');
  new Violations().required('partner_code', code).required('client_secret', secret).throwIfAny();
  const res = await deps.db.query(`SELECT * FROM partners WHERE code = $1`, [code]);
  const row = res.rows[0];
  // Same answer for an unknown partner and a wrong secret: the endpoint must not reveal which codes exist.
  const ok = row !== undefined && typeof row.secret_hash === 'string' && (await verifySecret(secret, row.secret_hash));
  if (!row || !ok) throw new UnauthenticatedError('invalid partner credentials', { reason: 'BAD_CREDENTIALS' });
  const partner = toPartner(row);
  if (partner.status !== PartnerStatus.PARTNER_STATUS_ACTIVE) throw new PermissionDeniedError(`partner ${code} is not active`, { reason: 'PARTNER_NOT_ACTIVE' });
  return { code, scopes: partner.scopes };
}

export interface PostAccrualInput {
  readonly partnerCode: string;
  readonly partnerTransactionId: string;
  readonly memberNumber: string;
  readonly activityDate: string;
  readonly miles: number | undefined;
  readonly spend: MoneyRecord | undefined;
  readonly description: string;
}

export async function postAccrual(deps: AppDeps, p: Principal, input: PostAccrualInput): Promise<{ accrual: PartnerAccrualRecord; replayed: boolean }> {
  const v = new Violations()
    .required('partner_code', input.partnerCode)
    .pattern('partner_code', input.partnerCode, ID_PATTERNS.partnerCode, '2-12 upper-case letters or digits')
    .required('partner_transaction_id', input.partnerTransactionId)
    .pattern('partner_transaction_id', input.partnerTransactionId, /^[\x21-\x7e]{1,64}$/, '1-64 printable ASCII characters')
    .required('member_number', input.memberNumber)
    .date('activity_date', input.activityDate)
    .maxLength('description', input.description, 200);
  if (input.memberNumber !== '' && !isValidMemberNumber(input.memberNumber)) v.add('member_number', 'is not a valid frequent-flyer number (10 digits, Luhn check digit)', 'CHECK_DIGIT');
  if (input.activityDate > toIsoDate(deps.now())) v.add('activity_date', 'must not be in the future', 'FUTURE_DATE');
  if ((input.miles === undefined) === (input.spend === undefined)) v.add('earn', 'exactly one of miles or spend is required', 'ONE_OF');
  if (input.miles !== undefined) v.positiveInt('miles', input.miles);
  if (input.spend !== undefined) {
    v.positiveInt('spend.amount_minor', input.spend.amountMinor, 1_000_000_000_000);
    v.pattern('spend.currency_code', input.spend.currency, CURRENCY, 'an ISO 4217 code').required('spend.currency_code', input.spend.currency);
  }
  v.throwIfAny();
  // A partner acts only for itself, and only with the accrual scope.
  requirePartnerOrRole(p, input.partnerCode, 'admin');
  if (hasRole(p, 'partner')) requireScope(p, 'accruals:write');
  const request = { ...input };
  const out = await deps.db.transaction((tx) =>
    idempotent(tx, `partner:${input.partnerCode}`, input.partnerTransactionId, 'PostAccrual', request, () => applyAccrual(deps, tx, p, input)),
  );
  deps.notifyOutbox();
  return { accrual: out.result, replayed: out.replayed };
}

async function applyAccrual(deps: AppDeps, tx: SqlTx, p: Principal, input: PostAccrualInput): Promise<PartnerAccrualRecord> {
  const partner = toPartner(await getPartnerRow(tx, input.partnerCode));
  if (partner.status !== PartnerStatus.PARTNER_STATUS_ACTIVE) throw new FailedPreconditionError(`partner ${partner.code} is not active`, { reason: 'PARTNER_NOT_ACTIVE' });
  if (!partner.scopes.includes('accruals:write')) throw new PermissionDeniedError(`partner ${partner.code} is not registered for accruals`, { reason: 'SCOPE_NOT_GRANTED' });
  let miles = input.miles ?? 0;
  if (input.spend) {
    if (input.spend.currency !== partner.earnRate.perSpend.currency) {
      throw new ValidationError({ field: 'spend.currency_code', description: `must be ${partner.earnRate.perSpend.currency}, the partner's earn-rate currency`, rule: 'CURRENCY_MISMATCH' });
    }
    miles = partnerSpendMiles({ miles: partner.earnRate.miles, perSpendMinor: partner.earnRate.perSpend.amountMinor, currency: partner.earnRate.perSpend.currency }, input.spend.amountMinor);
    if (miles === 0) throw new ValidationError({ field: 'spend.amount_minor', description: 'is below the amount that earns one unit of miles', rule: 'BELOW_EARN_UNIT' });
  }
  if (partner.maxMilesPerAccrual > 0 && miles > partner.maxMilesPerAccrual) {
    throw new ValidationError({ field: input.spend ? 'spend.amount_minor' : 'miles', description: `earns ${miles} miles, above the partner's maximum of ${partner.maxMilesPerAccrual} per accrual`, rule: 'ABOVE_MAX_PER_ACCRUAL' });
  }
  const now = deps.now();
  const billable = { amountMinor: miles * partner.pricePerMile.amountMinor, currency: partner.pricePerMile.currency };
  const base = {
    partner_code: partner.code,
    partner_transaction_id: input.partnerTransactionId,
    member_number: input.memberNumber,
    activity_date: input.activityDate,
    miles,
    spend_minor: input.spend?.amountMinor ?? null,
    spend_currency: input.spend?.currency ?? null,
    billable_currency: billable.currency,
    post_time: now,
  };
  const member = await findMember(tx, { memberNumber: input.memberNumber });
  let reject = '';
  if (!member) reject = 'MEMBER_NOT_FOUND';
  else if (member.status !== MemberStatus.MEMBER_STATUS_ACTIVE) reject = 'MEMBER_NOT_ACTIVE';
  else if (!(await withinMonthlyCap(tx, partner, miles, monthOf(now)))) reject = 'MONTHLY_CAP_EXCEEDED';
  if (reject !== '' || !member) {
    const rec = await insertAccrual(tx, { ...base, member_id: member?.id ?? null, billable_minor: 0, status: AccrualStatus.ACCRUAL_STATUS_REJECTED, reject_reason: reject, transaction_id: null });
    await emitPartnerFeed(tx, loyaltyPartnerFeed.accrualRejected, { partnerCode: partner.code, partnerTransactionId: input.partnerTransactionId, reason: reject, activityDate: input.activityDate, rejectTime: now });
    return rec;
  }
  const entry = await credit(deps, tx, member, {
    source: SYSTEM.partner(partner.code),
    miles,
    kind: TransactionKind.TRANSACTION_KIND_PARTNER_ACCRUAL,
    // Alliance airline flights count toward tier status; hotel nights and card spend do not.
    qualifyingMiles: partner.category === PartnerCategory.PARTNER_CATEGORY_AIRLINE ? miles : 0,
    activityDate: input.activityDate,
    description: input.description || `${partner.name}`,
    partnerCode: partner.code,
    partnerTransactionId: input.partnerTransactionId,
    actor: actorOf(p),
    dedupeKey: `partner:${partner.code}:${input.partnerTransactionId}`,
  });
  const rec = await insertAccrual(tx, { ...base, member_id: member.id, billable_minor: billable.amountMinor, status: AccrualStatus.ACCRUAL_STATUS_POSTED, reject_reason: '', transaction_id: entry.id });
  await emit(tx, 'csm.loyalty.partner.accrual_posted.v1', {
    partnerCode: partner.code,
    partnerTransactionId: input.partnerTransactionId,
    memberId: member.id,
    transactionId: entry.id,
    miles,
    activityDate: input.activityDate,
    billable: { amountMinor: billable.amountMinor, currencyCode: billable.currency },
  });
  await emitPartnerFeed(tx, loyaltyPartnerFeed.accrualPosted, {
    partnerCode: partner.code,
    partnerTransactionId: input.partnerTransactionId,
    transactionId: entry.id,
    miles,
    activityDate: input.activityDate,
    billable: { amountMinor: billable.amountMinor, currencyCode: billable.currency },
    postTime: now,
  });
  return rec;
}

/** Adds `miles` to the partner's month under the row lock, unless that would pass the cap (0 = no cap). */
async function withinMonthlyCap(tx: SqlTx, partner: PartnerRecord, miles: number, month: string): Promise<boolean> {
  if (partner.monthlyMilesCap > 0 && miles > partner.monthlyMilesCap) return false;
  const res = await tx.query(
    `INSERT INTO partner_monthly_usage (partner_code, month, miles) VALUES ($1, $2, $3)
     ON CONFLICT (partner_code, month) DO UPDATE SET miles = partner_monthly_usage.miles + EXCLUDED.miles
       WHERE $4::bigint = 0 OR partner_monthly_usage.miles + EXCLUDED.miles <= $4::bigint
     RETURNING miles`,
    [partner.code, month, miles, partner.monthlyMilesCap],
  );
  return res.rowCount === 1;
}

async function insertAccrual(tx: SqlTx, row: Record<string, unknown>): Promise<PartnerAccrualRecord> {
  const cols = Object.keys(row);
  const res = await tx.query(
    `INSERT INTO partner_accruals (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    cols.map((c) => row[c]),
  );
  return toAccrual(res.rows[0] as Record<string, unknown>);
}

function requirePartnerRead(p: Principal, code: string, scope: string): void {
  requirePartnerOrRole(p, code, ...PARTNER_READERS);
  if (hasRole(p, 'partner') && p.partnerCode === code) requireScope(p, scope);
}

function periodOf(v: Violations, start: string, end: string): void {
  v.date('period.start_date', start).date('period.end_date', end);
  if (start && end && start > end) v.add('period.end_date', 'must not be before start_date', 'RANGE');
}

export async function listAccruals(
  deps: AppDeps,
  p: Principal,
  input: { partnerCode: string; startDate: string; endDate: string; statuses: readonly number[]; pageSize: number; pageToken: string },
): Promise<{ accruals: PartnerAccrualRecord[]; nextPageToken: string }> {
  const v = new Violations().required('partner_code', input.partnerCode);
  periodOf(v, input.startDate, input.endDate);
  const statuses = [AccrualStatus.ACCRUAL_STATUS_POSTED, AccrualStatus.ACCRUAL_STATUS_PENDING, AccrualStatus.ACCRUAL_STATUS_REJECTED];
  input.statuses.forEach((s, i) => v.enumValue(`statuses[${i}]`, s, statuses, (x) => AccrualStatus[x] ?? String(x)));
  const after = decodePageToken(input.pageToken, v, 'page.page_token');
  v.throwIfAny();
  requirePartnerRead(p, input.partnerCode, 'accruals:read');
  const [afterDate = '', afterId = ''] = after ? after.split('|') : [];
  const size = pageSize(input.pageSize);
  const res = await deps.db.query(
    `SELECT * FROM partner_accruals WHERE partner_code = $1 AND activity_date BETWEEN $2 AND $3
        AND (cardinality($4::smallint[]) = 0 OR status = ANY($4::smallint[]))
        AND ($5 = '' OR (activity_date, partner_transaction_id) > ($5::date, $6))
      ORDER BY activity_date, partner_transaction_id LIMIT $7`,
    [input.partnerCode, input.startDate, input.endDate, input.statuses, afterDate, afterId, size + 1],
  );
  const accruals = res.rows.slice(0, size).map(toAccrual);
  const last = accruals[accruals.length - 1];
  return { accruals, nextPageToken: res.rows.length > size && last ? encodePageToken(`${last.activityDate}|${last.partnerTransactionId}`) : '' };
}

export interface PartnerStatementRecord {
  readonly partnerCode: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly accrualCount: number;
  readonly milesIssued: number;
  readonly amountOwed: MoneyRecord;
  readonly rejectedCount: number;
}

export async function partnerStatement(deps: AppDeps, p: Principal, input: { partnerCode: string; startDate: string; endDate: string }): Promise<PartnerStatementRecord> {
  const v = new Violations().required('partner_code', input.partnerCode);
  periodOf(v, input.startDate, input.endDate);
  v.throwIfAny();
  requirePartnerRead(p, input.partnerCode, 'reconciliation:read');
  const partner = toPartner(await getPartnerRow(deps.db, input.partnerCode));
  const res = await deps.db.query<{ n: string; miles: string | null; owed: string | null; rejected: string }>(
    `SELECT count(*) FILTER (WHERE status = $4) AS n, sum(miles) FILTER (WHERE status = $4) AS miles,
            sum(billable_minor) FILTER (WHERE status = $4) AS owed, count(*) FILTER (WHERE status = $5) AS rejected
       FROM partner_accruals WHERE partner_code = $1 AND activity_date BETWEEN $2 AND $3`,
    [input.partnerCode, input.startDate, input.endDate, AccrualStatus.ACCRUAL_STATUS_POSTED, AccrualStatus.ACCRUAL_STATUS_REJECTED],
  );
  const r = res.rows[0];
  return {
    partnerCode: input.partnerCode,
    startDate: input.startDate,
    endDate: input.endDate,
    accrualCount: Number(r?.n ?? 0),
    milesIssued: Number(r?.miles ?? 0),
    amountOwed: { amountMinor: Number(r?.owed ?? 0), currency: partner.pricePerMile.currency },
    rejectedCount: Number(r?.rejected ?? 0),
  };
}

export interface PartnerLine {
  readonly partnerTransactionId: string;
  readonly memberNumber: string;
  readonly miles: number;
  readonly activityDate: string;
}

export interface ReconciliationRecord {
  readonly partnerCode: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly matched: number;
  readonly programmeTotal: number;
  readonly partnerTotal: number;
  readonly billableTotal: MoneyRecord;
  readonly discrepancies: { partnerTransactionId: string; outcome: ReconciliationOutcome; partnerMiles: number; programmeMiles: number; detail: string }[];
}

export async function reconcile(deps: AppDeps, p: Principal, input: { partnerCode: string; startDate: string; endDate: string; records: readonly PartnerLine[] }): Promise<ReconciliationRecord> {
  const v = new Violations().required('partner_code', input.partnerCode);
  periodOf(v, input.startDate, input.endDate);
  if (input.records.length > 100_000) v.add('records', 'at most 100000 per call', 'TOO_MANY');
  const seen = new Set<string>();
  input.records.forEach((r, i) => {
    v.required(`records[${i}].partner_transaction_id`, r.partnerTransactionId);
    if (seen.has(r.partnerTransactionId)) v.add(`records[${i}].partner_transaction_id`, 'is listed twice', 'DUPLICATE');
    seen.add(r.partnerTransactionId);
  });
  v.throwIfAny();
  requirePartnerRead(p, input.partnerCode, 'reconciliation:read');
  const stmt = await partnerStatement(deps, p, input);
  const res = await deps.db.query(`SELECT * FROM partner_accruals WHERE partner_code = $1 AND activity_date BETWEEN $2 AND $3 AND status = $4`, [
    input.partnerCode,
    input.startDate,
    input.endDate,
    AccrualStatus.ACCRUAL_STATUS_POSTED,
  ]);
  const ours = new Map(res.rows.map((r) => [String(r.partner_transaction_id), toAccrual(r)]));
  const discrepancies: ReconciliationRecord['discrepancies'] = [];
  let matched = 0;
  let partnerTotal = 0;
  for (const r of input.records) {
    partnerTotal += r.miles;
    const mine = ours.get(r.partnerTransactionId);
    ours.delete(r.partnerTransactionId);
    if (!mine) discrepancies.push({ partnerTransactionId: r.partnerTransactionId, outcome: ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_HERE, partnerMiles: r.miles, programmeMiles: 0, detail: 'not posted to the programme' });
    else if (mine.miles !== r.miles || mine.memberNumber !== r.memberNumber) {
      discrepancies.push({
        partnerTransactionId: r.partnerTransactionId,
        outcome: ReconciliationOutcome.RECONCILIATION_OUTCOME_MISMATCH,
        partnerMiles: r.miles,
        programmeMiles: mine.miles,
        detail: mine.miles !== r.miles ? 'miles differ' : 'member number differs',
      });
    } else matched++;
  }
  for (const mine of ours.values()) {
    discrepancies.push({ partnerTransactionId: mine.partnerTransactionId, outcome: ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_AT_PARTNER, partnerMiles: 0, programmeMiles: mine.miles, detail: 'posted to the programme, absent from the partner file' });
  }
  return {
    partnerCode: input.partnerCode,
    startDate: input.startDate,
    endDate: input.endDate,
    matched,
    programmeTotal: stmt.milesIssued,
    partnerTotal,
    billableTotal: stmt.amountOwed,
    discrepancies,
  };
}
