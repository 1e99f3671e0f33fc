import type { KeyRing } from '@csm/platform/security';
import type { Logger } from '@csm/platform/logging';
import type { ClassificationRules } from '../domain/classification';
import type { ProfileStore } from '../store/profile-store';

/** Tunables of the use cases (from config; defaults = DOMAIN.md numbers where it has them). */
export interface ProfileSettings {
  defaultPhoneRegion: string;
  rules: ClassificationRules;
  /** Value attributed to one accrued mile, minor units (lifetime value estimate). */
  valuePerMileMinor: number;
  /** Window for "disruptions experienced recently". */
  disruptionWindowDays: number;
  /** Case category codes that count as a disruption experienced. */
  disruptionCategories: ReadonlySet<string>;
  /** Consumed event ids remembered per passenger for de-duplication. */
  seenEventsPerPassenger: number;
  duplicateMaxResults: number;
  /** ISO 4217 currency of the lifetime value estimate. */
  currency: string;
}

export interface ProfileDeps {
  readonly store: ProfileStore;
  readonly ring: KeyRing;
  readonly settings: ProfileSettings;
  readonly logger: Logger;
  /** Called after a write left pending events in a document (nudges the relay). */
  readonly onPending?: () => void;
  readonly now?: () => Date;
}
