import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { QueryResult, SqlDb, SqlTx } from '../sql';
import { fallbackSqlLogger, redactPgUrl, type SqlLogger } from './logger';
import { closedDbError, finishedTxError, TxScope } from './tx-scope';
import { pgTypeOverrides } from './type-parsers';

export interface PgDbOptions {
  /** postgres:// connection URL (e.g. CSM_PG_URL); `sslmode` etc. may be given in it. */
  url: string;
  /** Pool size; default 10. */
  max?: number;
  /** Server-side `statement_timeout` for every statement on the pool's connections; default: the server's. */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity; default `csm`. */
  applicationName?: string;
  /** Close idle connections after this long; default 30 000 ms. */
  idleTimeoutMs?: number;
  /** Fail a checkout after this long waiting for a connection; default 10 000 ms. */
  connectionTimeoutMs?: number;
  logger?: SqlLogger;
}

function toResult<R>(res: { rows: R[]; rowCount: number | null }): QueryResult<R> {
  return { rows: res.rows, rowCount: res.rowCount ?? 0 };
}

/** SqlDb over a node-postgres Pool. Queries outside a transaction go to any pooled connection. */
export function createPgDb(options: PgDbOptions): SqlDb {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.max ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'csm',
    types: pgTypeOverrides, // same JS values as the PGlite adapter: see type-parsers.ts
    ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
  };
  const pool = new Pool(config);
  const logger = options.logger ?? fallbackSqlLogger;
  const safeUrl = redactPgUrl(options.url);
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the process.
  pool.on('error', (err) => logger.error({ err: { message: err.message }, db: safeUrl }, 'idle PostgreSQL connection failed'));

  const scope = new TxScope();
  let closed = false;
  let closing: Promise<void> | undefined;

  const assertUsable = (operation: string) => {
    if (closed) throw closedDbError('PostgreSQL');
    scope.assertOutside(operation);
  };

  async function runTransaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client: PoolClient = await pool.connect();
    let finished = false;
    let discard: Error | undefined;
    // A checked-out client whose connection dies emits 'error' (the pool only listens while it is idle); unheard,
    // that would crash the process. The pending query rejects anyway; remember to destroy the client.
    const onClientError = (err: Error) => {
      discard = err;
      logger.warn({ err: { message: err.message }, db: safeUrl }, 'PostgreSQL connection failed during a transaction');
    };
    client.on('error', onClientError);
    const tx: SqlTx = {
      async query<R>(text: string, params?: readonly unknown[]) {
        if (finished) throw finishedTxError();
        return toResult(await client.query<R & object>(text, params ? [...params] : undefined)) as QueryResult<R>;
      },
      async exec(script: string) {
        if (finished) throw finishedTxError();
        await client.query(script);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await scope.run(() => fn(tx));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // The connection is unusable (e.g. it dropped): destroy it instead of returning it to the pool.
        discard = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      }
      throw err;
    } finally {
      finished = true;
      client.off('error', onClientError);
      client.release(discard ?? false);
    }
  }

  return {
    dialect: 'pg',
    async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      assertUsable('query()');
      return toResult(await pool.query<R & object>(text, params ? [...params] : undefined)) as QueryResult<R>;
    },
    async exec(script: string): Promise<void> {
      assertUsable('exec()');
      await pool.query(script);
    },
    async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
      assertUsable('transaction()');
      return runTransaction(fn);
    },
    async ping(): Promise<void> {
      if (closed) throw closedDbError('PostgreSQL');
      await pool.query('SELECT 1');
    },
    close(): Promise<void> {
      closed = true;
      // pool.end() waits for checked-out clients to be released, so in-flight transactions finish first.
      closing ??= pool.end();
      return closing;
    },
  };
}
