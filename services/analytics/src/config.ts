import { env, sqlServiceConfigSchema, z } from '@csm/platform/config';
import { isValidTimeZone } from './domain/business-date';

/**
 * Environment variables of this service (shared ones: docs/operations/configuration.md). Defaults are the business
 * numbers of DOMAIN.md §3/§6; every one is documented in docs/services/analytics.md.
 */
export const configSchema = sqlServiceConfigSchema({
  /** IANA zone of business dates (date dimension, alert days, default KPI bucketing). */
  CSM_ANALYTICS_TIME_ZONE: z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone' }).default('Asia/Shanghai'),
  /** Early warning: SLA compliance of a day below this % raises an alert (DOMAIN §3 target). */
  CSM_ANALYTICS_ALERT_SLA_MIN_PCT: env.int(90, 0),
  /** Early warning: satisfaction index of a day below this % (DOMAIN §3: target ≥ 90 %). */
  CSM_ANALYTICS_ALERT_SATISFACTION_MIN_PCT: env.int(90, 0),
  /** Early warning: a route's complaints on a day ≥ this count AND ≥ factor × its trailing 7-day daily mean. */
  CSM_ANALYTICS_ALERT_COMPLAINT_SPIKE_MIN: env.int(3, 1),
  CSM_ANALYTICS_ALERT_COMPLAINT_SPIKE_FACTOR: env.int(2, 1),
  /** Early warning: an airport's on-time performance of a day below this %. */
  CSM_ANALYTICS_ALERT_OTP_MIN_PCT: env.int(80, 0),
  /** Fewest observations (closed cases, surveys, flights) a rule needs before it may fire. */
  CSM_ANALYTICS_ALERT_MIN_SAMPLE: env.int(5, 1),
  /** How often the alert rules run over yesterday and today (0 = only through the EvaluateAlerts RPC). */
  CSM_ANALYTICS_ALERT_INTERVAL_MS: env.int(60_000, 0),
  /** Churn: look-back window for complaints, disruptions, CSAT and recent flights (previous window of equal length for the decline). */
  CSM_ANALYTICS_CHURN_WINDOW_DAYS: env.int(90, 1),
  /** Churn: miles earned within 365 days that make a passenger high-value (besides gold/platinum tier or VIP grade). */
  CSM_ANALYTICS_HIGH_VALUE_MILES: env.int(50_000, 0),
  /** Segmentation: number of k-means clusters and the fixed seed. */
  CSM_ANALYTICS_SEGMENTS: env.int(4, 1),
  CSM_ANALYTICS_SEGMENT_SEED: env.int(42, 0),
  /** How often segmentation re-runs (0 = only through the RunSegmentation RPC). */
  CSM_ANALYTICS_SEGMENT_INTERVAL_MS: env.int(6 * 3_600_000, 0),
  /** How often other replicas look for a rebuild started elsewhere (new projection generation). */
  CSM_ANALYTICS_GENERATION_POLL_MS: env.int(5_000, 100),
  /** Most events a projection consumer applies in one transaction (one bus batch of one partition). */
  CSM_ANALYTICS_PROJECTION_BATCH_MAX: env.int(500, 1),
});
export type Config = z.infer<typeof configSchema>;
