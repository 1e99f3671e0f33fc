// A member credit as ONE SQL statement (its own transaction): claim the idempotency key, check the member is active,
// move the miles from the source account to the member's available account, append the ledger transaction with its
// two postings, record the activity date, and append the event to the outbox — all or nothing, one round trip.
// Used by the accruals that need no read-decide step in between (compensation, positive manual adjustments), which is
// what keeps the hot accrual path close to a bare INSERT (bench/loyalty). The general path (ledger-store.ts) is the
// same bookkeeping in a multi-statement transaction.
import { MemberStatus } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { OUTBOX_INSERT_COLUMNS, outboxRow, type CloudEvent } from '@csm/platform/events';
import type { SqlDb } from '@csm/platform/stores';
import { memberAvailable, transfer, type AccountId } from '../domain/ledger';
import type { Actor, EntryRecord } from '../domain/records';
import type { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { toEntry } from './rows';

export interface CreditStatement {
  readonly idempotency: { caller: string; key: string; operation: string; hash: string };
  readonly id: string;
  readonly memberId: string;
  readonly source: AccountId;
  readonly miles: number;
  readonly kind: TransactionKind;
  readonly activityDate: string;
  readonly postTime: Date;
  readonly description: string;
  readonly caseId?: string;
  readonly actor: Actor;
  readonly approverId?: string;
  /** The event to append; `data.balanceAfter` is filled in by the statement (known only once the account is updated). */
  readonly event: CloudEvent;
}

/** The posted entry, or undefined when nothing was written (key already used, or member missing/not active). */
export async function creditInOneStatement(db: SqlDb, c: CreditStatement): Promise<EntryRecord | undefined> {
  const postings = transfer(c.source, memberAvailable(c.memberId), c.miles);
  const res = await db.query(
    `WITH claim AS (
       INSERT INTO idempotency_keys (caller, key, operation, request_hash, response)
       SELECT $1, $2, $3, $4, jsonb_build_object('entryId', $5::text)
        WHERE EXISTS (SELECT 1 FROM members WHERE id = $6 AND status = $7)
       ON CONFLICT DO NOTHING RETURNING 1),
     acct AS (
       UPDATE accounts SET balance = balance + $8 WHERE id = $9 AND EXISTS (SELECT 1 FROM claim) RETURNING balance),
     t AS (
       INSERT INTO ledger_transactions (id, member_id, kind, miles, activity_date, post_time, description, case_id, actor_kind, actor_id, approver_id, balance_after)
       SELECT $5, $6, $10, $8, $11, $12, $13, $14, $15, $16, $17, acct.balance FROM acct RETURNING *),
     p AS (
       INSERT INTO postings (transaction_id, account_id, amount) SELECT t.id, x.a, x.m FROM t, unnest($18::text[], $19::bigint[]) AS x(a, m)),
     act AS (
       UPDATE members SET last_activity_date = GREATEST(last_activity_date, $11::date) WHERE id = $6 AND EXISTS (SELECT 1 FROM t)),
     ev AS (
       INSERT INTO outbox (${OUTBOX_INSERT_COLUMNS})
       SELECT $20, $21, $22, $23, jsonb_set($24::jsonb, '{data,balanceAfter}', to_jsonb(t.balance_after)) FROM t)
     SELECT * FROM t`,
    [
      c.idempotency.caller, c.idempotency.key, c.idempotency.operation, c.idempotency.hash, c.id, c.memberId, MemberStatus.MEMBER_STATUS_ACTIVE,
      c.miles, memberAvailable(c.memberId), c.kind, c.activityDate, c.postTime, c.description, c.caseId ?? null, c.actor.kind, c.actor.id,
      c.approverId ?? null, postings.map((x) => x.account), postings.map((x) => x.amount), ...outboxRow(c.event),
    ],
  );
  return res.rows[0] ? toEntry(res.rows[0]) : undefined;
}
