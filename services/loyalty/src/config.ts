import { env, sqlServiceConfigSchema, z } from '@csm/platform/config';

/** "K:V,K:V" → record of non-negative integers; a malformed entry fails start-up naming the variable. */
const intMap = () =>
  z
    .string()
    .regex(/^\s*[A-Za-z_]+\s*:\s*\d+\s*(,\s*[A-Za-z_]+\s*:\s*\d+\s*)*$/, { message: 'must be a list like A:100,B:50' })
    .transform((v) => Object.fromEntries(v.split(',').map((kv) => kv.split(':').map((s) => s.trim())).map(([k, n]) => [String(k).toUpperCase(), Number(n)])) as Record<string, number>);

/** "SILVER:25000:30,GOLD:50000:60,..." → tier thresholds (miles:segments). */
const tierThresholds = () =>
  z
    .string()
    .regex(/^\s*(SILVER|GOLD|PLATINUM):\d+:\d+(\s*,\s*(SILVER|GOLD|PLATINUM):\d+:\d+)*\s*$/, { message: 'must be a list like SILVER:25000:30,GOLD:50000:60,PLATINUM:100000:120' })
    .transform((v) => v.split(',').map((s) => s.trim().split(':')).map(([t, m, n]) => ({ tier: String(t), miles: Number(m), segments: Number(n) })));

/** Environment variables of this service (shared ones: docs/operations/configuration.md; these: docs/services/loyalty.md). */
export const configSchema = sqlServiceConfigSchema({
  CSM_LOYALTY_EXPIRY_MONTHS: env.int(36, 1),
  CSM_LOYALTY_TIER_WINDOW_MONTHS: env.int(12, 1),
  CSM_LOYALTY_TIER_THRESHOLDS: tierThresholds().optional(),
  CSM_LOYALTY_TIER_BONUS_PERCENT: intMap().optional(),
  CSM_LOYALTY_EARN_CHART: intMap().optional(),
  CSM_LOYALTY_CABIN_EARN_PERCENT: intMap().optional(),
  CSM_LOYALTY_MIN_SEGMENT_MILES: env.int(500, 0),
  CSM_LOYALTY_HOLD_MINUTES: env.int(30, 1),
  CSM_LOYALTY_QUOTE_MINUTES: env.int(15, 1),
  CSM_LOYALTY_MAX_COMPENSATION_MILES: env.int(50_000, 1),
  CSM_LOYALTY_MAX_ADJUST_MILES: env.int(1_000_000, 1),
  CSM_LOYALTY_JOB_INTERVAL_MS: env.int(3_600_000, 0),
  // Group commit of one-statement credits (docs/services/loyalty.md): window 0 writes each credit alone.
  CSM_LOYALTY_CREDIT_BATCH_WINDOW_MS: env.int(2, 0),
  CSM_LOYALTY_CREDIT_BATCH_MAX: env.int(64, 1),
  CSM_LOYALTY_CREDIT_BATCH_IN_FLIGHT: env.int(2, 1),
});
export type Config = z.infer<typeof configSchema>;

