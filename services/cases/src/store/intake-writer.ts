import { createGroupCommit, type GroupCommit, type SqlExecutor } from '@csm/platform/stores';
import { insertCaseAtomically, insertCasesAtomically, paramsOfCaseInsert, type CaseInsert } from './case-store';

/** Well under PostgreSQL's 65,535 bind parameters per statement. */
const MAX_PARAMS = 30_000;

export interface IntakeWriterOptions {
  /** ms an intake waits for others while intake statements are in flight; 0 writes every case alone. */
  readonly windowMs: number;
  /** Cases per statement at most (1 = one statement per case). */
  readonly maxItems: number;
  /** Intake statements in flight at once (each holds a pool connection). */
  readonly maxInFlight?: number;
}

/**
 * Group commit of intake (the kit's createGroupCommit): new cases that arrive while earlier intake statements are in
 * flight are written together in ONE statement (insertCasesAtomically), so PostgreSQL parses, plans and commits once
 * per batch. A lone intake goes out at once.
 *
 * Per-case guarantees are those of a single insert: a case's rows (case, timeline, outbox) are written together or not
 * at all, and nothing resolves before its commit. If a batch statement fails (a duplicate idempotency key in it, a bad
 * row, a lost connection), none of it was written, and every case is retried alone, so it gets its own outcome: one
 * case's failure never fails another, and a retried intake still meets the unique idempotency key.
 */
export function createIntakeWriter(db: SqlExecutor, options: IntakeWriterOptions): GroupCommit<CaseInsert, void> {
  return createGroupCommit<CaseInsert, void>({
    windowMs: options.maxItems <= 1 ? 0 : options.windowMs,
    maxItems: options.maxItems,
    maxInFlight: options.maxInFlight ?? 2,
    weigh: paramsOfCaseInsert,
    maxWeight: MAX_PARAMS,
    writeBatch: async (items) => {
      await insertCasesAtomically(db, items);
      return items.map(() => undefined);
    },
    writeOne: (item) => writeAlone(db, item),
  });
}

/**
 * One case alone. Also the retry of a batch that failed, possibly only in reporting its commit (a connection lost
 * after COMMIT): case ids are fresh ULIDs, so finding this very id taken means this very case is already written —
 * success, not an error (without this an intake lacking an idempotency key would fail although it was stored).
 */
async function writeAlone(db: SqlExecutor, item: CaseInsert): Promise<void> {
  try {
    await insertCaseAtomically(db, item.change, item.idempotencyKey);
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).code !== '23505' || (err as { constraint?: string }).constraint !== 'cases_pkey') throw err;
    const stored = await db.query('SELECT 1 FROM cases WHERE id = $1', [item.change.record.id]);
    if (stored.rows.length === 0) throw err;
  }
}
