import { ConfigError } from '@csm/platform/config';
import type { ProfileSettings } from './app/deps';
import type { Config } from './config';

/** Use-case settings from the parsed config. */
export function settingsFrom(config: Config): ProfileSettings {
  const thresholds = config.CSM_PROFILE_VIP_VALUE_THRESHOLDS.map(Number);
  if (thresholds.some((t) => !Number.isSafeInteger(t) || t < 0) || thresholds.some((t, i) => i > 0 && t <= (thresholds[i - 1] ?? 0))) {
    throw new ConfigError('Invalid configuration: CSM_PROFILE_VIP_VALUE_THRESHOLDS must be ascending non-negative integers', ['CSM_PROFILE_VIP_VALUE_THRESHOLDS']);
  }
  return {
    defaultPhoneRegion: config.CSM_PROFILE_PHONE_REGION.toUpperCase(),
    rules: {
      frequentFlyerTrips: config.CSM_PROFILE_FREQUENT_FLYER_TRIPS,
      vipValueThresholds: thresholds,
      vipTiers: config.CSM_PROFILE_VIP_TIERS,
      specialSsrCodes: new Set(config.CSM_PROFILE_SPECIAL_SSR_CODES.map((c) => c.toUpperCase())),
      specialGradeTags: new Set(config.CSM_PROFILE_SPECIAL_GRADE_TAGS.map((t) => t.toLowerCase())),
    },
    valuePerMileMinor: config.CSM_PROFILE_VALUE_PER_MILE_MINOR,
    currency: config.CSM_PROFILE_CURRENCY.toUpperCase(),
    disruptionWindowDays: config.CSM_PROFILE_DISRUPTION_WINDOW_DAYS,
    disruptionCategories: new Set(config.CSM_PROFILE_DISRUPTION_CATEGORIES),
    seenEventsPerPassenger: config.CSM_PROFILE_SEEN_EVENTS,
    duplicateMaxResults: config.CSM_PROFILE_DUPLICATE_MAX_RESULTS,
  };
}
