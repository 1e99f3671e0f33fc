import { connectMongo } from '@csm/platform/stores/mongo';
import { createTestMongoDb, type TestMongoDb } from '@csm/platform/testing';
import { createMongoProfileStore } from '../src/store/mongo-profile-store';
import { runProfileStoreContract } from './fixtures/profile-store-contract';

let db: TestMongoDb;

runProfileStoreContract(
  'MongoDB wire protocol (FerretDB in CI)',
  async () => {
    db = await createTestMongoDb('profile_store');
    return createMongoProfileStore(await connectMongo({ url: db.url }));
  },
  async (s) => {
    await s.close();
    await db.drop();
  },
);
