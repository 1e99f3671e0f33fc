import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Catches the one mistake the SQL port forbids: calling `db.query()` / `db.transaction()` from inside a transaction
 * on the same db instead of using the `tx` handed to the callback. On PGlite (one connection) that waits forever on
 * itself; on node-postgres it silently escapes the transaction and can exhaust the pool. Both adapters throw the same
 * error so a test run against either catches it. Shared by the pg and PGlite adapters.
 */
export class TransactionMisuseError extends Error {
  constructor(operation: string) {
    super(`${operation} called on the database while inside one of its own transactions: use the tx passed to transaction()`);
    this.name = 'TransactionMisuseError';
  }
}

interface Frame {
  readonly owner: TxScope;
  open: boolean;
  readonly parent: Frame | undefined;
}

/** One context for every db, so `runOutsideTransaction` can step out of all of them at once. */
const frames = new AsyncLocalStorage<Frame>();

export class TxScope {
  /** Runs `fn` marked as "inside a transaction of this db" until it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const frame: Frame = { owner: this, open: true, parent: frames.getStore() };
    try {
      return await frames.run(frame, fn);
    } finally {
      // Work the callback started but did not await keeps the context; once the tx is over it may use the db.
      frame.open = false;
    }
  }

  assertOutside(operation: string): void {
    for (let f = frames.getStore(); f; f = f.parent) {
      if (f.owner === this && f.open) throw new TransactionMisuseError(operation);
    }
  }
}

/**
 * Runs `fn` (and everything it schedules) as if no transaction were open: for background work deliberately started
 * from inside a transaction callback — e.g. waking a relay whose timer fires later — which is not awaited by the
 * transaction and so cannot deadlock it. Awaiting such work inside the transaction on PGlite still would.
 */
export function runOutsideTransaction<T>(fn: () => T): T {
  return frames.exit(fn);
}

/** A `tx` handle that refuses use after its transaction ended (a leaked handle must not write outside it). */
export function finishedTxError(): Error {
  return new Error('this transaction has already committed or rolled back; its tx handle can no longer be used');
}

export function closedDbError(dialect: string): Error {
  return new Error(`the ${dialect} database has been closed`);
}
