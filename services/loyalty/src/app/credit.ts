// The one path every accrual takes: post the balanced transaction, record activity (expiry clock), upgrade the tier
// as soon as the member qualifies, and append the events — all in the caller's transaction.
import { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { MemberStatus, memberStatusToJSON } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { TierChangeReason } from '@csm/contracts/gen/csm/loyalty/v1/events';
import { FailedPreconditionError } from '@csm/platform/errors';
import type { SqlTx } from '@csm/platform/stores';
import { addMonths } from '../domain/dates';
import { newId } from '../domain/ids';
import { memberAvailable, transfer, type AccountId } from '../domain/ledger';
import type { EntryRecord, MemberRecord } from '../domain/records';
import { upgradeOnActivity } from '../domain/tiers';
import { emit } from '../events/outbox-events';
import { qualification } from '../store/member-store';
import { postTransaction, type NewTransaction } from '../store/ledger-store';
import type { AppDeps } from './deps';

export function requireActive(m: MemberRecord): void {
  if (m.status !== MemberStatus.MEMBER_STATUS_ACTIVE) {
    throw new FailedPreconditionError(`member ${m.id} is ${memberStatusToJSON(m.status)}; only active members earn or redeem miles`, {
      reason: 'MEMBER_NOT_ACTIVE',
    });
  }
}

export type CreditInput = Omit<NewTransaction, 'id' | 'postings' | 'memberId' | 'postTime'> & { readonly source: AccountId; readonly miles: number };

export async function credit(deps: AppDeps, tx: SqlTx, member: MemberRecord, input: CreditInput): Promise<EntryRecord> {
  const { source, miles, ...rest } = input;
  const entry = await postTransaction(tx, {
    ...rest,
    id: newId.transaction(),
    memberId: member.id,
    postTime: deps.now(),
    postings: transfer(source, memberAvailable(member.id), miles),
  });
  await tx.query(`UPDATE members SET last_activity_date = GREATEST(last_activity_date, $2::date) WHERE id = $1`, [member.id, entry.activityDate]);
  await emit(tx, 'csm.loyalty.member.miles_accrued.v1', {
    memberId: member.id,
    transactionId: entry.id,
    kind: entry.kind,
    miles: entry.miles,
    qualifyingMiles: entry.qualifyingMiles,
    balanceAfter: entry.balanceAfter,
    ...(entry.flight ? { flight: entry.flight } : {}),
    partnerCode: entry.partnerCode,
    caseId: entry.caseId,
    activityDate: entry.activityDate,
  });
  if (entry.qualifyingMiles > 0 || entry.qualifyingSegments > 0) await upgradeIfQualified(deps, tx, member);
  return entry;
}

/** Upgrade as soon as the rolling window qualifies the member for a higher tier; valid for a full window from today. */
async function upgradeIfQualified(deps: AppDeps, tx: SqlTx, member: MemberRecord): Promise<void> {
  const today = deps.now().toISOString().slice(0, 10);
  const q = await qualification(tx, member.id, addMonths(today, -deps.rules.tierWindowMonths), today);
  // Re-read the tier under the row lock: a concurrent accrual may have upgraded already.
  const locked = await tx.query<{ tier: number }>(`SELECT tier FROM members WHERE id = $1 FOR UPDATE`, [member.id]);
  const current = Number(locked.rows[0]?.tier ?? member.tier);
  const upgraded = upgradeOnActivity(deps.rules, current, q);
  if (upgraded === undefined) return;
  const validUntil = addMonths(today, deps.rules.tierWindowMonths);
  await tx.query(`UPDATE members SET tier = $2, tier_valid_until = $3, update_time = $4, version = version + 1 WHERE id = $1`, [member.id, upgraded, validUntil, deps.now()]);
  await emit(tx, 'csm.loyalty.member.tier_changed.v1', {
    memberId: member.id,
    previousTier: current,
    tier: upgraded,
    reason: TierChangeReason.TIER_CHANGE_REASON_QUALIFIED,
    validUntil,
  });
}

export const ACCRUAL_KINDS = [
  TransactionKind.TRANSACTION_KIND_FLIGHT_ACCRUAL,
  TransactionKind.TRANSACTION_KIND_PARTNER_ACCRUAL,
  TransactionKind.TRANSACTION_KIND_COMPENSATION,
  TransactionKind.TRANSACTION_KIND_MANUAL_ADJUSTMENT,
];
