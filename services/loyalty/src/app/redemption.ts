// Redemption: catalog → quote → hold (miles move from available to held under the account's row lock, so racing
// holds can never overdraw) → confirm (held miles burnt) or cancel (hold released, or a confirmed redemption reversed).
import { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { AwardCategory, RedemptionStatus, redemptionStatusToJSON } from '@csm/contracts/gen/csm/loyalty/v1/redemption';
import { FailedPreconditionError, IllegalStateTransitionError, NotFoundError } from '@csm/platform/errors';
import { requireRole, type Principal } from '@csm/platform/security';
import type { SqlTx } from '@csm/platform/stores';
import { toIsoDate } from '../domain/dates';
import { newId } from '../domain/ids';
import { memberAvailable, memberHeld, SYSTEM, transfer } from '../domain/ledger';
import type { AwardRecord, QuoteRecord, RedemptionRecord } from '../domain/records';
import { ID_PATTERNS, Violations } from '../domain/validate';
import { emit } from '../events/outbox-events';
import { postTransaction } from '../store/ledger-store';
import { accountBalances, getMember } from '../store/member-store';
import { getRedemption, toAward, toQuote, toRedemption } from '../store/redemption-store';
import { actorOf, SYSTEM_ACTOR } from './actor';
import { requireMemberAccess, STAFF_READ, STAFF_WRITE } from './authz';
import { requireActive } from './credit';
import type { AppDeps } from './deps';
import { idempotent } from './idempotent';
import { decodePageToken, encodePageToken, pageSize } from './paging';

const CATEGORIES = Object.values(AwardCategory).filter((c): c is AwardCategory => typeof c === 'number' && c > 0);

export async function listAwards(
  deps: AppDeps,
  p: Principal,
  input: { categories: readonly AwardCategory[]; affordableForMemberId: string; pageSize: number; pageToken: string },
): Promise<{ awards: AwardRecord[]; nextPageToken: string }> {
  requireRole(p, ...STAFF_READ, 'passenger', 'partner');
  const v = new Violations();
  input.categories.forEach((c, i) => v.enumValue(`categories[${i}]`, c, CATEGORIES, (x) => String(AwardCategory[x] ?? x)));
  const after = decodePageToken(input.pageToken, v, 'page.page_token');
  v.throwIfAny();
  let maxMiles: number | null = null;
  if (input.affordableForMemberId) {
    const m = await getMember(deps.db, input.affordableForMemberId);
    requireMemberAccess(p, m);
    maxMiles = (await accountBalances(deps.db, m.id)).available;
  }
  const size = pageSize(input.pageSize);
  const res = await deps.db.query(
    `SELECT * FROM awards WHERE available AND code > $1 AND (cardinality($2::smallint[]) = 0 OR category = ANY($2::smallint[]))
       AND ($3::bigint IS NULL OR miles_price <= $3) ORDER BY code LIMIT $4`,
    [after, input.categories, maxMiles, size + 1],
  );
  const awards = res.rows.slice(0, size).map(toAward);
  return { awards, nextPageToken: res.rows.length > size ? encodePageToken(awards[awards.length - 1]?.code ?? '') : '' };
}

export async function quoteRedemption(deps: AppDeps, p: Principal, input: { memberId: string; awardCode: string; quantity: number }): Promise<QuoteRecord> {
  const v = new Violations().required('member_id', input.memberId).required('award_code', input.awardCode).maxLength('award_code', input.awardCode, 32);
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 20) v.add('quantity', 'must be 1-20', 'OUT_OF_RANGE');
  v.throwIfAny();
  const m = await getMember(deps.db, input.memberId);
  requireMemberAccess(p, m, STAFF_WRITE);
  requireActive(m);
  const res = await deps.db.query(`SELECT * FROM awards WHERE code = $1`, [input.awardCode]);
  if (!res.rows[0]) throw new NotFoundError('award', input.awardCode);
  const award = toAward(res.rows[0]);
  if (!award.available) throw new FailedPreconditionError(`award ${award.code} is not available`, { reason: 'AWARD_UNAVAILABLE' });
  const now = deps.now();
  const quote = {
    id: newId.quote(),
    memberId: m.id,
    awardCode: award.code,
    quantity: input.quantity,
    miles: award.milesPrice * input.quantity,
    copay: award.copay ? { amountMinor: award.copay.amountMinor * input.quantity, currency: award.copay.currency } : null,
    expireTime: new Date(now.getTime() + deps.rules.quoteMinutes * 60_000).toISOString(),
  };
  await deps.db.query(
    `INSERT INTO redemption_quotes (id, member_id, award_code, quantity, miles, copay_minor, copay_currency, expire_time) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [quote.id, quote.memberId, quote.awardCode, quote.quantity, quote.miles, quote.copay?.amountMinor ?? null, quote.copay?.currency ?? null, quote.expireTime],
  );
  return quote;
}

export async function holdRedemption(deps: AppDeps, p: Principal, input: { quoteId: string; idempotencyKey: string }): Promise<RedemptionRecord> {
  new Violations()
    .required('quote_id', input.quoteId)
    .pattern('quote_id', input.quoteId, ID_PATTERNS.quote, 'a quote id (quo_ + ULID)')
    .required('idempotency_key', input.idempotencyKey)
    .pattern('idempotency_key', input.idempotencyKey, ID_PATTERNS.idempotencyKey, '1-128 printable ASCII characters')
    .throwIfAny();
  const actor = actorOf(p);
  const { result } = await deps.db.transaction((tx) =>
    idempotent(tx, actor.id, input.idempotencyKey, 'HoldRedemption', { quoteId: input.quoteId }, async () => {
      const qres = await tx.query(`SELECT * FROM redemption_quotes WHERE id = $1`, [input.quoteId]);
      if (!qres.rows[0]) throw new NotFoundError('quote', input.quoteId);
      const quote = toQuote(qres.rows[0]);
      const member = await getMember(tx, quote.memberId);
      requireMemberAccess(p, member, STAFF_WRITE);
      const existing = await tx.query(`SELECT * FROM redemptions WHERE quote_id = $1`, [quote.id]);
      if (existing.rows[0]) return toRedemption(existing.rows[0]); // one redemption per quote
      const now = deps.now();
      if (new Date(quote.expireTime).getTime() <= now.getTime()) {
        throw new FailedPreconditionError(`quote ${quote.id} expired at ${quote.expireTime}; ask for a new quote`, { reason: 'QUOTE_EXPIRED' });
      }
      requireActive(member);
      const id = newId.redemption();
      const hold = await postTransaction(tx, {
        id: newId.transaction(),
        memberId: member.id,
        kind: TransactionKind.TRANSACTION_KIND_REDEMPTION_HOLD,
        postings: transfer(memberAvailable(member.id), memberHeld(member.id), quote.miles),
        activityDate: toIsoDate(now),
        postTime: now,
        description: `hold for ${quote.quantity} × ${quote.awardCode}`,
        redemptionId: id,
        actor,
      });
      const res = await tx.query(
        `INSERT INTO redemptions (id, member_id, quote_id, award_code, quantity, miles, copay_minor, copay_currency, status, hold_expire_time, hold_transaction_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING *`,
        [
          id, member.id, quote.id, quote.awardCode, quote.quantity, quote.miles, quote.copay?.amountMinor ?? null, quote.copay?.currency ?? null,
          RedemptionStatus.REDEMPTION_STATUS_HELD, new Date(now.getTime() + deps.rules.holdMinutes * 60_000), hold.id,
        ],
      );
      return toRedemption(res.rows[0] as Record<string, unknown>);
    }),
  );
  return result;
}

function illegal(r: RedemptionRecord, to: RedemptionStatus, allowed: RedemptionStatus[]): IllegalStateTransitionError {
  return new IllegalStateTransitionError('redemption', redemptionStatusToJSON(r.status), redemptionStatusToJSON(to), allowed.map(redemptionStatusToJSON));
}

export async function confirmRedemption(deps: AppDeps, p: Principal, redemptionId: string): Promise<RedemptionRecord> {
  new Violations().required('redemption_id', redemptionId).throwIfAny();
  const result = await deps.db.transaction(async (tx) => {
    const r = await getRedemption(tx, redemptionId, true);
    requireMemberAccess(p, await getMember(tx, r.memberId), STAFF_WRITE);
    if (r.status === RedemptionStatus.REDEMPTION_STATUS_CONFIRMED) return r; // a retried confirm changes nothing
    if (r.status !== RedemptionStatus.REDEMPTION_STATUS_HELD) throw illegal(r, RedemptionStatus.REDEMPTION_STATUS_CONFIRMED, []);
    const now = deps.now();
    if (new Date(r.holdExpireTime).getTime() <= now.getTime()) {
      throw new FailedPreconditionError(`the hold of redemption ${r.id} lapsed at ${r.holdExpireTime}`, { reason: 'HOLD_EXPIRED' });
    }
    const entry = await postTransaction(tx, {
      id: newId.transaction(),
      memberId: r.memberId,
      kind: TransactionKind.TRANSACTION_KIND_REDEMPTION,
      postings: transfer(memberHeld(r.memberId), SYSTEM.redemption, r.miles),
      activityDate: toIsoDate(now),
      postTime: now,
      description: `${r.quantity} × ${r.awardCode}`,
      redemptionId: r.id,
      relatedEntryId: r.holdTransactionId,
      actor: actorOf(p),
    });
    await tx.query(`UPDATE members SET last_activity_date = GREATEST(last_activity_date, $2::date) WHERE id = $1`, [r.memberId, entry.activityDate]);
    const res = await tx.query(
      `UPDATE redemptions SET status = $2, confirm_time = $3, transaction_id = $4, version = version + 1 WHERE id = $1 RETURNING *`,
      [r.id, RedemptionStatus.REDEMPTION_STATUS_CONFIRMED, now, entry.id],
    );
    await emit(tx, 'csm.loyalty.member.miles_redeemed.v1', {
      memberId: r.memberId,
      redemptionId: r.id,
      transactionId: entry.id,
      awardCode: r.awardCode,
      miles: r.miles,
      balanceAfter: entry.balanceAfter,
    });
    return toRedemption(res.rows[0] as Record<string, unknown>);
  });
  deps.notifyOutbox();
  return result;
}

export async function cancelRedemption(deps: AppDeps, p: Principal, redemptionId: string, reason: string): Promise<RedemptionRecord> {
  new Violations().required('redemption_id', redemptionId).required('reason', reason).maxLength('reason', reason, 500).throwIfAny();
  const result = await deps.db.transaction(async (tx) => {
    const r = await getRedemption(tx, redemptionId, true);
    requireMemberAccess(p, await getMember(tx, r.memberId), STAFF_WRITE);
    if (r.status === RedemptionStatus.REDEMPTION_STATUS_CANCELLED) return r;
    if (r.status === RedemptionStatus.REDEMPTION_STATUS_EXPIRED) {
      throw illegal(r, RedemptionStatus.REDEMPTION_STATUS_CANCELLED, []);
    }
    return release(deps, tx, r, RedemptionStatus.REDEMPTION_STATUS_CANCELLED, reason, actorOf(p));
  });
  deps.notifyOutbox();
  return result;
}

/** Releases a hold (HELD) or reverses a confirmed redemption (CONFIRMED) with compensating postings. */
async function release(
  deps: AppDeps,
  tx: SqlTx,
  r: RedemptionRecord & { holdTransactionId: string },
  to: RedemptionStatus,
  reason: string,
  actor: ReturnType<typeof actorOf>,
): Promise<RedemptionRecord> {
  const now = deps.now();
  const wasConfirmed = r.status === RedemptionStatus.REDEMPTION_STATUS_CONFIRMED;
  const entry = await postTransaction(tx, {
    id: newId.transaction(),
    memberId: r.memberId,
    kind: wasConfirmed ? TransactionKind.TRANSACTION_KIND_REDEMPTION_REVERSAL : TransactionKind.TRANSACTION_KIND_HOLD_RELEASE,
    postings: wasConfirmed ? transfer(SYSTEM.redemption, memberAvailable(r.memberId), r.miles) : transfer(memberHeld(r.memberId), memberAvailable(r.memberId), r.miles),
    activityDate: toIsoDate(now),
    postTime: now,
    description: reason,
    redemptionId: r.id,
    relatedEntryId: wasConfirmed ? r.transactionId : r.holdTransactionId,
    actor,
  });
  const res = await tx.query(
    `UPDATE redemptions SET status = $2, cancel_time = $3, cancel_reason = $4, version = version + 1 WHERE id = $1 RETURNING *`,
    [r.id, to, now, reason],
  );
  await emit(tx, 'csm.loyalty.member.redemption_cancelled.v1', {
    memberId: r.memberId,
    redemptionId: r.id,
    milesReturned: wasConfirmed ? r.miles : 0,
    reason,
    balanceAfter: entry.balanceAfter,
  });
  return toRedemption(res.rows[0] as Record<string, unknown>);
}

/** Holds past their expiry are released (status EXPIRED); each in its own transaction under the redemption's lock. */
export async function releaseLapsedHolds(deps: AppDeps, limit = 500): Promise<number> {
  const due = await deps.db.query<{ id: string }>(
    `SELECT id FROM redemptions WHERE status = $1 AND hold_expire_time <= $2 ORDER BY hold_expire_time LIMIT $3`,
    [RedemptionStatus.REDEMPTION_STATUS_HELD, deps.now(), limit],
  );
  let released = 0;
  for (const { id } of due.rows) {
    const done = await deps.db.transaction(async (tx) => {
      const r = await getRedemption(tx, id, true);
      if (r.status !== RedemptionStatus.REDEMPTION_STATUS_HELD) return false; // another replica got there first
      await release(deps, tx, r, RedemptionStatus.REDEMPTION_STATUS_EXPIRED, 'hold expired', SYSTEM_ACTOR);
      return true;
    });
    if (done) released++;
  }
  if (released > 0) deps.notifyOutbox();
  return released;
}
