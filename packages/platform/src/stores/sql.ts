/**
 * The one SQL port every PostgreSQL-backed service uses. Two adapters implement it: node-postgres (cluster)
 * and PGlite (embedded). PGlite serializes connections, so code must never wait on a second connection
 * while holding a transaction: everything inside `transaction()` goes through the `tx` it is given.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs a script of one or more `;`-separated statements without parameters (migrations, fixtures). Optional in
   * the port; both adapters implement it (PGlite's `query` accepts a single statement only).
   */
  exec?(script: string): Promise<void>;
}

export type SqlTx = SqlExecutor;

export interface SqlDb extends SqlExecutor {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'pg' or 'pglite': for the rare statement that differs (e.g. advisory locks). */
  readonly dialect: 'pg' | 'pglite';
  /** Health: resolves when the database answers a trivial query, rejects otherwise. */
  ping?(): Promise<void>;
}
