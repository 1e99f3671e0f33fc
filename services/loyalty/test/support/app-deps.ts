// Use-case dependencies on in-memory PGlite (no server, no bus): for property tests of the ledger.
import { createLogger } from '@csm/platform/logging';
import { migrate, createPgliteDb } from '@csm/platform/stores';
import type { AppDeps } from '../../src/app/deps';
import { DEFAULT_RULES } from '../../src/domain/rules';
import { migrations } from '../../src/store/migrations';

export interface Clock {
  now: Date;
}

export async function pgliteDeps(clock: Clock): Promise<AppDeps> {
  const db = await createPgliteDb();
  await migrate(db, { service: 'loyalty', migrations });
  return {
    db,
    rules: DEFAULT_RULES,
    now: () => clock.now,
    distanceKm: () => Promise.resolve(1000),
    logger: createLogger({ service: 'loyalty-test', level: 'silent' }),
    notifyOutbox: () => undefined,
  };
}
