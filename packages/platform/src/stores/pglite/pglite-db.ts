import { mkdirSync } from 'node:fs';
import type { Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlDb, SqlExecutor, SqlTx } from '../sql';
import { closedDbError, finishedTxError, TxScope } from '../pg/tx-scope';
import { pgliteParsers } from '../pg/type-parsers';
import { lockDataDir } from './dir-lock';
import { loadPglite } from './load-pglite';
import { Mutex } from './mutex';
import { pgliteSerializers } from './serializers';

export interface PgliteDbOptions {
  /** Directory to keep the database in (created if missing); omitted → in memory, gone on close. */
  dataDir?: string;
}

interface PgliteResults<R> {
  rows: R[];
  rowCount?: number;
  affectedRows?: number;
}

function toResult<R>(res: PgliteResults<R>): QueryResult<R> {
  return { rows: res.rows, rowCount: res.rowCount ?? Math.max(res.affectedRows ?? 0, res.rows.length) };
}

type PgliteExecutor = Pick<Transaction, 'query' | 'exec'>;

function executor(target: PgliteExecutor, usable: () => void): Required<SqlExecutor> {
  return {
    async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      usable();
      return toResult(await target.query<R>(text, params ? [...params] : undefined));
    },
    async exec(script: string): Promise<void> {
      usable();
      await target.exec(script);
    },
  };
}

/**
 * SqlDb over embedded PostgreSQL (PGlite, WASM). PGlite has ONE connection: transactions and stand-alone queries are
 * serialized through a FIFO mutex, so a second `transaction()` waits for the first to commit instead of interleaving
 * its statements into it, and `query()` waits for an open transaction. Calling `db.query()`/`db.transaction()` from
 * inside a transaction (instead of using its `tx`) throws TransactionMisuseError rather than waiting forever.
 * Returns the same JS values as the pg adapter (see ../pg/type-parsers.ts).
 */
export async function createPgliteDb(options: PgliteDbOptions = {}): Promise<SqlDb> {
  const { PGlite } = loadPglite();
  let unlock: (() => void) | undefined;
  if (options.dataDir !== undefined) {
    unlock = lockDataDir(options.dataDir);
    mkdirSync(options.dataDir, { recursive: true });
  }
  let pg: InstanceType<typeof PGlite>;
  try {
    pg = await PGlite.create(options.dataDir, { parsers: pgliteParsers(), serializers: pgliteSerializers });
  } catch (err) {
    unlock?.();
    throw err;
  }

  const mutex = new Mutex();
  const scope = new TxScope();
  let closed = false;
  let closing: Promise<void> | undefined;
  const assertOpen = () => {
    if (closed) throw closedDbError('embedded (PGlite)');
  };
  const assertUsable = (operation: string) => {
    assertOpen();
    scope.assertOutside(operation);
  };
  const direct = executor(pg, assertOpen);

  return {
    dialect: 'pglite',
    async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      assertUsable('query()');
      return mutex.run(() => direct.query<R>(text, params));
    },
    async exec(script: string): Promise<void> {
      assertUsable('exec()');
      return mutex.run(() => direct.exec(script));
    },
    async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
      assertUsable('transaction()');
      return mutex.run(() =>
        // PGlite's own transaction(): BEGIN, COMMIT when fn resolves, ROLLBACK and rethrow when it throws.
        pg.transaction(async (t) => {
          let finished = false;
          const tx = executor(t, () => {
            if (finished) throw finishedTxError();
          });
          try {
            return await scope.run(() => fn(tx));
          } finally {
            finished = true;
          }
        }),
      );
    },
    async ping(): Promise<void> {
      assertOpen();
      await mutex.run(() => pg.query('SELECT 1'));
    },
    close(): Promise<void> {
      closed = true;
      // Queued work finishes first; then the WASM instance is released and (on disk) flushed.
      closing ??= mutex.run(() => pg.close()).finally(() => unlock?.());
      return closing;
    },
  };
}
