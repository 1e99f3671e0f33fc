// Idempotency keys: the first write under (caller, key) records the operation, a hash of the request and the result in
// the same transaction as the effect; a retry gets that stored result back. On PostgreSQL a concurrent duplicate
// blocks on the primary key until the first commits, then reads its result — never a second effect.
import { createHash } from 'node:crypto';
import { ValidationError } from '@csm/platform/errors';
import type { SqlTx } from '@csm/platform/stores';

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export type Claim<T> = { readonly replay: true; readonly result: T } | { readonly replay: false };

export async function claimIdempotencyKey<T>(tx: SqlTx, caller: string, key: string, operation: string, hash: string): Promise<Claim<T>> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (caller, key, operation, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
    [caller, key, operation, hash],
  );
  if (inserted.rowCount === 1) return { replay: false };
  const existing = await tx.query<{ operation: string; request_hash: string; response: T | null }>(
    `SELECT operation, request_hash, response FROM idempotency_keys WHERE caller = $1 AND key = $2`,
    [caller, key],
  );
  const row = existing.rows[0];
  if (!row || row.response === null) throw new Error(`idempotency key ${key} has no stored result`);
  if (row.operation !== operation || row.request_hash !== hash) {
    throw new ValidationError({
      field: 'idempotency_key',
      description: 'was already used for a different request; use a new key for a new operation',
      rule: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
  return { replay: true, result: row.response };
}

export async function storeIdempotentResult(tx: SqlTx, caller: string, key: string, result: unknown): Promise<void> {
  await tx.query(`UPDATE idempotency_keys SET response = $3::jsonb WHERE caller = $1 AND key = $2`, [caller, key, JSON.stringify(result)]);
}

/** The stored result under (caller, key), checked against the operation and request; undefined when the key is unused. */
export async function storedResult<T>(q: SqlTx, caller: string, key: string, operation: string, hash: string): Promise<T | undefined> {
  const res = await q.query<{ operation: string; request_hash: string; response: T | null }>(
    `SELECT operation, request_hash, response FROM idempotency_keys WHERE caller = $1 AND key = $2`,
    [caller, key],
  );
  const row = res.rows[0];
  if (!row) return undefined;
  if (row.operation !== operation || row.request_hash !== hash) {
    throw new ValidationError({
      field: 'idempotency_key',
      description: 'was already used for a different request; use a new key for a new operation',
      rule: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
  if (row.response === null) throw new Error(`idempotency key ${key} has no stored result`);
  return row.response;
}
