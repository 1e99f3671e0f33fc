// Member credits as ONE SQL statement (its own transaction): a call of loyalty_credit() (credit-function.ts) with one
// element per credit — claim the idempotency key, check the member is active, move the miles from the source account
// to the member's available account, append the ledger transaction with its two postings, record the activity date,
// and append the event to the outbox — all or nothing, one round trip, a plan the server keeps. Used by the accruals
// that need no read-decide step in between (compensation, positive manual adjustments), one at a time or several
// together (the group commit of app/credit-writer.ts). The general path (ledger-store.ts) is the same bookkeeping in a
// multi-statement transaction.
import { MemberStatus } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { outboxRow, type CloudEvent } from '@csm/platform/events';
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

const CREDIT_SQL = `SELECT * FROM loyalty_credit(${Array.from({ length: 23 }, (_, k) => `$${k + 1}`).join(', ')})`;

/** The posted entry, or undefined when nothing was written (key already used, or member missing/not active). */
export async function creditInOneStatement(db: SqlDb, c: CreditStatement): Promise<EntryRecord | undefined> {
  return (await creditsInOneStatement(db, [c]))[0];
}

/**
 * Several credits in one statement, so one transaction: one outcome per credit, in order — the posted entry, or
 * undefined when that credit wrote nothing (its key already used, also by an earlier credit of the call; member missing
 * or not active). Credits of one member apply in the given order.
 */
export async function creditsInOneStatement(db: SqlDb, items: readonly CreditStatement[]): Promise<(EntryRecord | undefined)[]> {
  const cols: unknown[][] = Array.from({ length: 22 }, () => []);
  for (const c of items) {
    const account = memberAvailable(c.memberId);
    const [from] = transfer(c.source, account, c.miles); // the postings' shape, and its positive-miles check
    const row = [
      c.idempotency.caller, c.idempotency.key, c.idempotency.operation, c.idempotency.hash, c.id, c.memberId, account, from?.account,
      c.miles, c.kind, c.activityDate, c.postTime, c.description, c.caseId ?? null, c.actor.kind, c.actor.id, c.approverId ?? null,
      ...outboxRow(c.event),
    ];
    row.forEach((v, k) => (cols[k] as unknown[]).push(v));
  }
  const res = await db.query(CREDIT_SQL, [...cols, MemberStatus.MEMBER_STATUS_ACTIVE]);
  const byId = new Map(res.rows.map((r) => [String(r.id), r]));
  return items.map((c) => {
    const r = byId.get(c.id);
    return r ? toEntry(r) : undefined;
  });
}
