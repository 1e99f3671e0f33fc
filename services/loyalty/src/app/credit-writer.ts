// The group commit of one-statement credits (compensation, positive manual adjustments): concurrent credits that
// arrive within CSM_LOYALTY_CREDIT_BATCH_WINDOW_MS are written as ONE statement (store/credit-statement.ts), which
// saves a round trip, a statement and a commit (WAL flush) per credit. A failed batch is written again one credit at a
// time, so one bad credit never fails the others; the statement is idempotent by key, so a batch whose commit outcome
// is unknown is safe to write again.
import type { Logger } from '@csm/platform/logging';
import { createGroupCommit, type SqlDb } from '@csm/platform/stores';
import type { EntryRecord } from '../domain/records';
import { creditInOneStatement, creditsInOneStatement, type CreditStatement } from '../store/credit-statement';

export interface CreditWriterOptions {
  /** ms the first credit of a batch waits for others; 0 writes every credit alone. */
  readonly windowMs: number;
  readonly maxItems: number;
  readonly maxInFlight: number;
}

export interface CreditWriter {
  /** The posted entry once committed, or undefined when nothing was written (key used, member missing/not active). */
  write(c: CreditStatement): Promise<EntryRecord | undefined>;
  close(): Promise<void>;
}

export function createCreditWriter(db: SqlDb, logger: Logger, options: CreditWriterOptions): CreditWriter {
  const gc = createGroupCommit<CreditStatement, EntryRecord | undefined>({
    ...options,
    writeBatch: (items) => creditsInOneStatement(db, items),
    writeOne: (item) => creditInOneStatement(db, item),
    onBatchError: (err, size) =>
      logger.warn({ size, err: { message: err instanceof Error ? err.message : String(err) } }, 'credit batch failed; writing its credits one by one'),
  });
  return { write: (c) => gc.submit(c), close: () => gc.close() };
}
