import { NotFoundError } from '@csm/platform/errors';
import type { SqlExecutor } from '@csm/platform/stores';
import type { AwardRecord, QuoteRecord, RedemptionRecord } from '../domain/records';
import { iso, isoOrNull, type Row } from './rows';

const money = (minor: unknown, currency: unknown) => (minor === null || minor === undefined ? null : { amountMinor: Number(minor), currency: String(currency) });

export function toAward(r: Row): AwardRecord {
  return {
    code: String(r.code),
    category: Number(r.category),
    nameEn: String(r.name_en),
    nameZh: String(r.name_zh),
    milesPrice: Number(r.miles_price),
    copay: money(r.copay_minor, r.copay_currency),
    partnerCode: String(r.partner_code ?? ''),
    available: Boolean(r.available),
  };
}

export function toQuote(r: Row): QuoteRecord {
  return {
    id: String(r.id),
    memberId: String(r.member_id),
    awardCode: String(r.award_code),
    quantity: Number(r.quantity),
    miles: Number(r.miles),
    copay: money(r.copay_minor, r.copay_currency),
    expireTime: iso(r.expire_time),
  };
}

export function toRedemption(r: Row): RedemptionRecord {
  return {
    id: String(r.id),
    memberId: String(r.member_id),
    quoteId: String(r.quote_id),
    awardCode: String(r.award_code),
    quantity: Number(r.quantity),
    miles: Number(r.miles),
    copay: money(r.copay_minor, r.copay_currency),
    status: Number(r.status),
    holdExpireTime: iso(r.hold_expire_time),
    confirmTime: isoOrNull(r.confirm_time),
    cancelTime: isoOrNull(r.cancel_time),
    cancelReason: String(r.cancel_reason ?? ''),
    transactionId: String(r.transaction_id ?? ''),
    version: Number(r.version),
  };
}

export async function getRedemption(q: SqlExecutor, id: string, forUpdate = false): Promise<RedemptionRecord & { holdTransactionId: string }> {
  const res = await q.query(`SELECT * FROM redemptions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = res.rows[0];
  if (!row) throw new NotFoundError('redemption', id);
  return { ...toRedemption(row), holdTransactionId: String(row.hold_transaction_id) };
}
