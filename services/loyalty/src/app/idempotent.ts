import type { SqlTx } from '@csm/platform/stores';
import { claimIdempotencyKey, requestHash, storeIdempotentResult } from '../store/idempotency';

/**
 * Runs `effect` once per (caller, key) inside `tx`: a retry with the same key and request gets the stored result of
 * the first run; the same key with a different request is refused.
 */
export async function idempotent<T>(tx: SqlTx, caller: string, key: string, operation: string, request: unknown, effect: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
  const claim = await claimIdempotencyKey<T>(tx, caller, key, operation, requestHash(request));
  if (claim.replay) return { result: claim.result, replayed: true };
  const result = await effect();
  await storeIdempotentResult(tx, caller, key, result);
  return { result, replayed: false };
}
