/** Bounded retries with exponential back-off for event handlers, shared by every bus adapter. */

export interface RetryPolicy {
  /** Deliveries in all (first try included) before the message goes to the DLQ. Default 5. */
  maxAttempts: number;
  /** Wait before the 2nd delivery; doubles (×`factor`) each time up to `maxBackoffMs`. Default 200 ms. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  factor: number;
  /** ± fraction of random jitter so replicas do not retry in lock-step. Default 0.2. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  initialBackoffMs: 200,
  maxBackoffMs: 5_000,
  factor: 2,
  jitter: 0.2,
});

export function resolveRetryPolicy(...layers: (Partial<RetryPolicy> | undefined)[]): RetryPolicy {
  const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const l of layers) if (l) Object.assign(p, Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)));
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new RangeError('retry.maxAttempts must be an integer ≥ 1');
  if (p.initialBackoffMs < 0 || p.maxBackoffMs < 0) throw new RangeError('retry back-off must be ≥ 0 ms');
  if (p.factor < 1) throw new RangeError('retry.factor must be ≥ 1');
  if (p.jitter < 0 || p.jitter > 1) throw new RangeError('retry.jitter must be between 0 and 1');
  return p;
}

/** Back-off before delivery number `attempt + 1`, given that delivery `attempt` (1-based) failed. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/**
 * Thrown by a handler for a message that can never succeed (e.g. a payload the consumer cannot interpret): it skips
 * the remaining retries and goes straight to the DLQ.
 */
export class NonRetryableEventError extends Error {
  override readonly name = 'NonRetryableEventError';
}
