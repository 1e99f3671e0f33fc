// Scheduled jobs: miles expiry and tier period-end evaluation. Several replicas may run them at once: each member is
// taken with FOR UPDATE SKIP LOCKED and each result has a unique key (the expiry's dedupe key, the tier evaluation's
// (member, period end) primary key), so every expiry and every evaluation is posted exactly once.
import { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { MemberStatus, Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { TierChangeReason } from '@csm/contracts/gen/csm/loyalty/v1/events';
import { requireRole, type Principal } from '@csm/platform/security';
import { addMonths, toIsoDate } from '../domain/dates';
import { newId } from '../domain/ids';
import { memberAvailable, SYSTEM, transfer } from '../domain/ledger';
import { evaluateAtPeriodEnd } from '../domain/tiers';
import { Violations } from '../domain/validate';
import { emit } from '../events/outbox-events';
import { findEntryByDedupeKey, postTransaction } from '../store/ledger-store';
import { accountBalances, qualification } from '../store/member-store';
import { SYSTEM_ACTOR } from './actor';
import type { AppDeps } from './deps';

const BATCH = 200;

export function requireJobRunner(p: Principal): void {
  requireRole(p, 'ops', 'admin', 'service');
}

function asOfDate(deps: AppDeps, asOf: string): string {
  new Violations().date('as_of_date', asOf, false).throwIfAny();
  return asOf || toIsoDate(deps.now());
}

export async function runExpiry(deps: AppDeps, asOfInput: string): Promise<{ members: number; miles: number }> {
  const asOf = asOfDate(deps, asOfInput);
  const cutoff = addMonths(asOf, -deps.rules.expiryMonths);
  let members = 0;
  let miles = 0;
  let afterId = '';
  for (;;) {
    const due = await deps.db.query<{ id: string }>(
      `SELECT m.id FROM members m JOIN accounts a ON a.id = m.id || ':available'
        WHERE m.status <> $1 AND m.last_activity_date <= $2 AND a.balance > 0 AND m.id > $3 ORDER BY m.id LIMIT $4`,
      [MemberStatus.MEMBER_STATUS_CLOSED, cutoff, afterId, BATCH],
    );
    for (const { id } of due.rows) {
      const expired = await deps.db.transaction(async (tx) => {
        const locked = await tx.query<{ last_activity_date: string }>(`SELECT last_activity_date FROM members WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
        const last = locked.rows[0]?.last_activity_date;
        if (!last || last > cutoff) return 0; // locked by another replica, or active again meanwhile
        const dedupeKey = `expiry:${id}:${last}`;
        if (await findEntryByDedupeKey(tx, dedupeKey)) return 0;
        const { available } = await accountBalances(tx, id);
        if (available <= 0) return 0;
        const expireDate = addMonths(last, deps.rules.expiryMonths);
        const entry = await postTransaction(tx, {
          id: newId.transaction(),
          memberId: id,
          kind: TransactionKind.TRANSACTION_KIND_EXPIRY,
          postings: transfer(memberAvailable(id), SYSTEM.expiry, available),
          activityDate: expireDate,
          postTime: deps.now(),
          description: `no activity since ${last}`,
          actor: SYSTEM_ACTOR,
          dedupeKey,
        });
        await emit(tx, 'csm.loyalty.member.miles_expired.v1', { memberId: id, transactionId: entry.id, miles: available, expireDate, balanceAfter: entry.balanceAfter });
        return available;
      });
      if (expired > 0) {
        members++;
        miles += expired;
      }
    }
    if (due.rows.length < BATCH) break;
    afterId = due.rows[due.rows.length - 1]?.id ?? '';
  }
  if (members > 0) deps.notifyOutbox();
  return { members, miles };
}

export async function runTierEvaluation(deps: AppDeps, asOfInput: string): Promise<{ evaluated: number; downgraded: number; renewed: number }> {
  const asOf = asOfDate(deps, asOfInput);
  const out = { evaluated: 0, downgraded: 0, renewed: 0 };
  // A member whose next period also ended before as_of is picked up again by the next round.
  for (let round = 0; round < 50; round++) {
    const due = await deps.db.query<{ id: string }>(
      `SELECT id FROM members WHERE status <> $1 AND tier > $2 AND tier_valid_until <= $3 ORDER BY id LIMIT $4`,
      [MemberStatus.MEMBER_STATUS_CLOSED, Tier.TIER_STANDARD, asOf, BATCH],
    );
    if (due.rows.length === 0) break;
    let progressed = 0;
    for (const { id } of due.rows) {
      const result = await deps.db.transaction(async (tx) => {
        const locked = await tx.query<{ tier: number; tier_valid_until: string | null }>(
          `SELECT tier, tier_valid_until FROM members WHERE id = $1 FOR UPDATE SKIP LOCKED`,
          [id],
        );
        const row = locked.rows[0];
        if (!row || row.tier_valid_until === null || row.tier_valid_until > asOf) return undefined;
        const periodEnd = row.tier_valid_until;
        const current = Number(row.tier);
        const q = await qualification(tx, id, addMonths(periodEnd, -deps.rules.tierWindowMonths), periodEnd);
        const next = evaluateAtPeriodEnd(deps.rules, current, q);
        const recorded = await tx.query(
          `INSERT INTO tier_evaluations (member_id, period_end, previous_tier, new_tier, evaluated_at) VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [id, periodEnd, current, next.tier, deps.now()],
        );
        if (recorded.rowCount === 0) return undefined; // evaluated by another replica
        const validUntil = next.tier > Tier.TIER_STANDARD ? addMonths(periodEnd, deps.rules.tierWindowMonths) : null;
        await tx.query(`UPDATE members SET tier = $2, tier_valid_until = $3, update_time = $4, version = version + 1 WHERE id = $1`, [id, next.tier, validUntil, deps.now()]);
        if (next.tier !== current) {
          await emit(tx, 'csm.loyalty.member.tier_changed.v1', {
            memberId: id,
            previousTier: current,
            tier: next.tier,
            reason: next.downgraded ? TierChangeReason.TIER_CHANGE_REASON_REQUALIFICATION_FAILED : TierChangeReason.TIER_CHANGE_REASON_QUALIFIED,
            validUntil: validUntil ?? '',
          });
        }
        return next;
      });
      if (result) {
        progressed++;
        out.evaluated++;
        if (result.downgraded) out.downgraded++;
        else out.renewed++;
      }
    }
    if (progressed === 0) break;
  }
  if (out.evaluated > 0) deps.notifyOutbox();
  return out;
}
