// Idempotent member credit in one statement (store/credit-statement.ts); when nothing was written, finds out why:
// a replay (return the original entry — ledger entries are immutable, so it is exactly the first result), a key reused
// for another request, or a member that is missing or not active.
import type { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { ConflictError } from '@csm/platform/errors';
import { toIsoDate } from '../domain/dates';
import { newId } from '../domain/ids';
import type { AccountId } from '../domain/ledger';
import type { Actor, EntryRecord } from '../domain/records';
import { milesAccruedEvent } from '../events/accrued-event';
import { creditInOneStatement, type CreditStatement } from '../store/credit-statement';
import { requestHash, storedResult } from '../store/idempotency';
import { findEntry } from '../store/ledger-store';
import { getMember } from '../store/member-store';
import { requireActive } from './credit';
import type { AppDeps } from './deps';

export interface FastCreditInput {
  readonly caller: string;
  readonly idempotencyKey: string;
  readonly operation: string;
  readonly request: unknown;
  readonly memberId: string;
  readonly source: AccountId;
  readonly miles: number;
  readonly kind: TransactionKind;
  readonly description: string;
  readonly caseId?: string;
  readonly actor: Actor;
  readonly approverId?: string;
}

export async function fastCredit(deps: AppDeps, input: FastCreditInput): Promise<EntryRecord> {
  const id = newId.transaction();
  const now = deps.now();
  const activityDate = toIsoDate(now);
  const hash = requestHash(input.request);
  const event = milesAccruedEvent({
    id,
    memberId: input.memberId,
    kind: input.kind,
    miles: input.miles,
    qualifyingMiles: 0,
    qualifyingSegments: 0,
    activityDate,
    flight: null,
    partnerCode: '',
    partnerTransactionId: '',
    caseId: input.caseId ?? '',
    redemptionId: '',
    relatedEntryId: '',
  });
  const statement: CreditStatement = {
    idempotency: { caller: input.caller, key: input.idempotencyKey, operation: input.operation, hash },
    id,
    memberId: input.memberId,
    source: input.source,
    miles: input.miles,
    kind: input.kind,
    activityDate,
    postTime: now,
    description: input.description,
    ...(input.caseId !== undefined ? { caseId: input.caseId } : {}),
    actor: input.actor,
    ...(input.approverId !== undefined ? { approverId: input.approverId } : {}),
    event,
  };
  // Committed when it resolves (alone or in a group commit); undefined: nothing was written, find out why below.
  const posted = await (deps.writeCredit ? deps.writeCredit(statement) : creditInOneStatement(deps.db, statement));
  if (posted) {
    deps.notifyOutbox();
    return posted;
  }
  return deps.db.transaction(async (tx) => {
    const stored = await storedResult<{ entryId: string }>(tx, input.caller, input.idempotencyKey, input.operation, hash);
    if (stored) {
      const original = await findEntry(tx, stored.entryId);
      if (original) return original;
    }
    requireActive(await getMember(tx, input.memberId));
    // The member became active between the statement and this check: the caller may simply retry.
    throw new ConflictError('the member changed while crediting; retry the request');
  });
}
