import { createPgliteDb, migrate } from '@csm/platform/stores';
import { createEmbeddedProfileStore, embeddedMigrations } from '../src/store/embedded-profile-store';
import { runProfileStoreContract } from './fixtures/profile-store-contract';

jest.setTimeout(120_000); // PGlite boots in seconds; slower while other suites share the 2 cores

runProfileStoreContract(
  'embedded (PGlite/JSONB)',
  async () => {
    const db = await createPgliteDb();
    await migrate(db, { service: 'profile', migrations: [...embeddedMigrations] });
    return createEmbeddedProfileStore(db);
  },
  (s) => s.close(),
);
