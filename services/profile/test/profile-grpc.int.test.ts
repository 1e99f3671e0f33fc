import { createTestMongoDb, testInfra, uniqueName, type TestMongoDb } from '@csm/platform/testing';
import { startProfile } from './fixtures/harness';
import { dumpTopic } from './fixtures/kafka-dump';
import { runProfileScenarios } from './fixtures/scenarios';

let mongo: TestMongoDb;

runProfileScenarios('MongoDB wire protocol (FerretDB) + Kafka', async () => {
  mongo = await createTestMongoDb('profile_grpc');
  const brokers = testInfra().kafkaBrokers;
  const s = await startProfile({ CSM_MODE: 'cluster', CSM_MONGO_URL: mongo.url, CSM_KAFKA_BROKERS: brokers.join(','), CSM_PROFILE_CONSUMER_GROUP: uniqueName('profile_test'),
    // A fresh group per run that starts at the end: the shared topics hold other suites' events from earlier runs.
    CSM_PROFILE_CONSUMER_FROM_BEGINNING: 'false',
  });
  if (s.raw.kind !== 'mongo') throw new Error('expected the MongoDB store');
  const conn = s.raw.mongo.connection;
  return {
    client: s.client,
    issuer: s.issuer,
    app: s.app,
    store: s.store,
    bus: s.bus,
    drainRelay: () => s.relay.drain(),
    rawStore: async () => {
      const db = conn.db;
      if (!db) throw new Error('no database handle');
      const parts: string[] = [];
      for (const c of await db.listCollections().toArray()) parts.push(JSON.stringify(await db.collection(c.name).find().toArray()));
      return parts.join('\n');
    },
    rawTopic: () => dumpTopic(brokers, 'csm.profile.v1'),
    stop: async () => {
      s.client.close();
      await s.running.stop();
      await mongo.drop();
    },
  };
});
