import { NotFoundError } from '@csm/platform/errors';
import type { SqlExecutor } from '@csm/platform/stores';
import type { PartnerAccrualRecord, PartnerRecord } from '../domain/records';
import { iso, type Row } from './rows';

export function toPartner(r: Row): PartnerRecord {
  return {
    code: String(r.code),
    name: String(r.name),
    category: Number(r.category),
    status: Number(r.status),
    earnRate: { miles: Number(r.earn_miles), perSpend: { amountMinor: Number(r.earn_per_spend_minor), currency: String(r.earn_currency) } },
    maxMilesPerAccrual: Number(r.max_miles_per_accrual),
    monthlyMilesCap: Number(r.monthly_miles_cap),
    pricePerMile: { amountMinor: Number(r.price_per_mile_minor), currency: String(r.price_currency) },
    redemptionEnabled: Boolean(r.redemption_enabled),
    scopes: (r.scopes as string[] | null) ?? [],
    hasCredential: r.secret_hash !== null && r.secret_hash !== undefined,
    createTime: iso(r.create_time),
    createdBy: String(r.created_by ?? ''),
    updateTime: iso(r.update_time),
    updatedBy: String(r.updated_by ?? ''),
    version: Number(r.version),
  };
}

export function toAccrual(r: Row): PartnerAccrualRecord {
  return {
    partnerCode: String(r.partner_code),
    partnerTransactionId: String(r.partner_transaction_id),
    memberNumber: String(r.member_number),
    memberId: String(r.member_id ?? ''),
    activityDate: String(r.activity_date),
    miles: Number(r.miles),
    spend: r.spend_minor === null || r.spend_minor === undefined ? null : { amountMinor: Number(r.spend_minor), currency: String(r.spend_currency) },
    billable: { amountMinor: Number(r.billable_minor), currency: String(r.billable_currency) },
    status: Number(r.status),
    rejectReason: String(r.reject_reason ?? ''),
    transactionId: String(r.transaction_id ?? ''),
    postTime: iso(r.post_time),
  };
}

export async function getPartnerRow(q: SqlExecutor, code: string): Promise<Row> {
  const res = await q.query(`SELECT * FROM partners WHERE code = $1`, [code]);
  if (!res.rows[0]) throw new NotFoundError('partner', code);
  return res.rows[0];
}
