// Posting a balanced transaction. Member accounts are changed with a guarded UPDATE (`balance + delta >= 0`), which
// takes the row lock and re-checks after waiting for a concurrent writer: two redemptions racing on one balance
// serialize there, and the loser sees the winner's balance, so no interleaving can overdraw. Accounts are locked in id
// order, so two transactions touching the same pair of accounts never deadlock.
import { FailedPreconditionError } from '@csm/platform/errors';
import type { SqlTx } from '@csm/platform/stores';
import { assertBalanced, isMemberAccount, memberAvailable, type Posting } from '../domain/ledger';
import type { Actor, EntryRecord, FlightRefRecord } from '../domain/records';
import type { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { toEntry } from './rows';

export interface NewTransaction {
  readonly id: string;
  readonly memberId: string;
  readonly kind: TransactionKind;
  readonly postings: readonly Posting[];
  readonly qualifyingMiles?: number;
  readonly qualifyingSegments?: number;
  readonly activityDate: string;
  readonly postTime: Date;
  readonly description?: string;
  readonly flight?: FlightRefRecord | null;
  readonly partnerCode?: string;
  readonly partnerTransactionId?: string;
  readonly caseId?: string;
  readonly redemptionId?: string;
  readonly relatedEntryId?: string;
  readonly actor: Actor;
  readonly approverId?: string;
  /** Unique business key (ticket coupon, expiry period...): a second posting of the same thing fails. */
  readonly dedupeKey?: string;
}

export class InsufficientMilesError extends FailedPreconditionError {
  constructor(account: string) {
    super(`insufficient miles: the balance does not cover this transaction`, { reason: 'INSUFFICIENT_MILES', metadata: { account: account.split(':')[1] ?? '' } });
  }
}

export async function postTransaction(tx: SqlTx, t: NewTransaction): Promise<EntryRecord> {
  assertBalanced(t.postings);
  const member = t.postings.filter((p) => isMemberAccount(p.account)).sort((a, b) => (a.account < b.account ? -1 : 1));
  const available = memberAvailable(t.memberId);
  let availableAfter: number | undefined;
  for (const p of member) {
    const res = await tx.query<{ balance: string }>(
      `UPDATE accounts SET balance = balance + $2 WHERE id = $1 AND balance + $2 >= 0 RETURNING balance`,
      [p.account, p.amount],
    );
    const row = res.rows[0];
    if (!row) throw new InsufficientMilesError(p.account);
    if (p.account === available) availableAfter = Number(row.balance);
  }
  if (availableAfter === undefined) {
    const res = await tx.query<{ balance: string }>(`SELECT balance FROM accounts WHERE id = $1`, [available]);
    availableAfter = Number(res.rows[0]?.balance ?? 0);
  }
  const net = member.reduce((s, p) => s + p.amount, 0);
  const inserted = await tx.query(
    `WITH t AS (
       INSERT INTO ledger_transactions (id, member_id, kind, miles, qualifying_miles, qualifying_segments, activity_date, post_time,
         description, flight_carrier, flight_number, flight_date, partner_code, partner_transaction_id, case_id, redemption_id,
         related_entry_id, actor_kind, actor_id, approver_id, balance_after, dedupe_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
       RETURNING *),
     p AS (
       INSERT INTO postings (transaction_id, account_id, amount)
       SELECT $1, a, m FROM unnest($23::text[], $24::bigint[]) AS x(a, m))
     SELECT * FROM t`,
    [
      t.id, t.memberId, t.kind, net, t.qualifyingMiles ?? 0, t.qualifyingSegments ?? 0, t.activityDate, t.postTime,
      t.description ?? '', t.flight?.carrier ?? null, t.flight?.number ?? null, t.flight?.date ?? null, t.partnerCode ?? null,
      t.partnerTransactionId ?? null, t.caseId ?? null, t.redemptionId ?? null, t.relatedEntryId ?? null, t.actor.kind, t.actor.id,
      t.approverId ?? null, availableAfter, t.dedupeKey ?? null,
      t.postings.map((p) => p.account), t.postings.map((p) => p.amount),
    ],
  );
  return toEntry(inserted.rows[0] as Record<string, unknown>);
}

export async function findEntry(tx: SqlTx, id: string): Promise<EntryRecord | undefined> {
  const res = await tx.query(`SELECT * FROM ledger_transactions WHERE id = $1`, [id]);
  return res.rows[0] ? toEntry(res.rows[0]) : undefined;
}

export async function findEntryByDedupeKey(tx: SqlTx, key: string): Promise<EntryRecord | undefined> {
  const res = await tx.query(`SELECT * FROM ledger_transactions WHERE dedupe_key = $1`, [key]);
  return res.rows[0] ? toEntry(res.rows[0]) : undefined;
}

/** Makes sure a partner's source account exists (created with the partner; kept idempotent for safety). */
export async function ensureSystemAccount(tx: SqlTx, id: string, kind: 'source' | 'sink'): Promise<void> {
  await tx.query(`INSERT INTO accounts (id, member_id, kind) VALUES ($1, NULL, $2) ON CONFLICT DO NOTHING`, [id, kind]);
}
