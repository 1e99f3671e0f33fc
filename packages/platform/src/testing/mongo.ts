import { connectMongo, withMongoDbName } from '../stores/mongo';
import { testInfra } from './infra';
import { uniqueName } from './unique-name';

export interface TestMongoDb {
  /** Connection URL whose path is the new database. */
  url: string;
  dbName: string;
  /** Drops the database. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A uniquely named MongoDB database on the test server (FerretDB or real MongoDB). Nothing is created until
 * the first write, as on MongoDB; `drop()` removes whatever the test wrote.
 */
export async function createTestMongoDb(prefix: string, baseUrl: string = testInfra().mongoUrl): Promise<TestMongoDb> {
  const dbName = uniqueName(prefix);
  const url = withMongoDbName(baseUrl, dbName);
  return {
    url,
    dbName,
    drop: async () => {
      const store = await connectMongo({ url, serverSelectionTimeoutMS: 5_000 });
      try {
        await store.connection.dropDatabase();
      } finally {
        await store.close();
      }
    },
  };
}
