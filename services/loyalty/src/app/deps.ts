import type { Logger } from '@csm/platform/logging';
import type { SqlDb } from '@csm/platform/stores';
import type { EntryRecord } from '../domain/records';
import type { ProgramRules } from '../domain/rules';
import type { CreditStatement } from '../store/credit-statement';

/** Great-circle distance between two IATA airports in km, or undefined when one is unknown. */
export type DistanceLookup = (origin: string, destination: string) => Promise<number | undefined>;

/** What every use case needs: the store, the programme rules, a clock (tests move time) and the airport dataset. */
export interface AppDeps {
  readonly db: SqlDb;
  readonly rules: ProgramRules;
  readonly now: () => Date;
  readonly distanceKm: DistanceLookup;
  readonly logger: Logger;
  /** Called after a commit that appended events, so the relay publishes at once. */
  readonly notifyOutbox: () => void;
  /** Writes a one-statement credit through the group commit (app/credit-writer.ts); absent: each credit alone. */
  readonly writeCredit?: (c: CreditStatement) => Promise<EntryRecord | undefined>;
}

/** Who performs a use case, from the verified principal. */
export interface Caller {
  readonly subject: string;
  readonly kind: number;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly partnerCode?: string | undefined;
  readonly profileId?: string | undefined;
}
