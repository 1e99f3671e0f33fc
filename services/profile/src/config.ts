import { env, mongoServiceConfigSchema, secret, type z } from '@csm/platform/config';

/** Environment variables of this service (shared ones: docs/operations/configuration.md; own: docs/services/profile.md). */
export const configSchema = mongoServiceConfigSchema({
  // PII keys (security kit): required in cluster mode; embedded mode generates dev keys under CSM_DATA_DIR.
  CSM_PII_KEYS: secret(env.string()).optional(),
  CSM_PII_ACTIVE_KEY: env.string().optional(),
  CSM_PII_INDEX_KEYS: secret(env.string()).optional(),
  CSM_PII_ACTIVE_INDEX_KEY: env.string().optional(),
  CSM_PROFILE_PHONE_REGION: env.string().default('CN'),
  CSM_PROFILE_FREQUENT_FLYER_TRIPS: env.int(6, 1),
  CSM_PROFILE_VIP_VALUE_THRESHOLDS: env.list().default(['5000000', '20000000', '50000000']),
  CSM_PROFILE_VIP_TIERS: env.list().default(['TIER_GOLD', 'TIER_PLATINUM']),
  CSM_PROFILE_SPECIAL_SSR_CODES: env.list().default(['WCHR', 'WCHS', 'WCHC', 'BLND', 'DEAF', 'DPNA', 'UMNR', 'MEDA', 'MAAS', 'OXYG', 'STCR', 'EXST']),
  CSM_PROFILE_SPECIAL_GRADE_TAGS: env.list().default(['cip', 'media']),
  CSM_PROFILE_VALUE_PER_MILE_MINOR: env.int(10, 0),
  CSM_PROFILE_CURRENCY: env.string().default('CNY'),
  CSM_PROFILE_DISRUPTION_WINDOW_DAYS: env.int(90, 1),
  CSM_PROFILE_DISRUPTION_CATEGORIES: env.list().default(['flight_delay', 'flight_cancellation', 'baggage']),
  CSM_PROFILE_SEEN_EVENTS: env.int(200, 10),
  CSM_PROFILE_DUPLICATE_MAX_RESULTS: env.int(10, 1),
  CSM_PROFILE_RELAY_POLL_MS: env.int(500, 10),
  CSM_PROFILE_CONSUMER_GROUP: env.string().default('profile.dynamic-data'),
  // Where a NEW consumer group starts: earliest (default; nothing published before the first start is skipped) or latest.
  CSM_PROFILE_CONSUMER_FROM_BEGINNING: env.bool(true),
});
export type Config = z.infer<typeof configSchema>;
