/**
 * Batch consumption on real Kafka (kafkajs eachBatch) with the idempotent batch handler on real PostgreSQL: the batch
 * contract. Every bus is a new client of the same cluster, so closing one and making the next is a restart.
 */
import { createKafkaEventBus } from '../src/events';
import type { SqlDb } from '../src/stores/sql';
import { testInfra } from '../src/testing/infra';
import { deleteTestTopics } from '../src/testing/kafka';
import { runBatchConsumptionContract } from './fixtures/events/batch-contract';
import { openPgTestDb, type PgTestDb } from './fixtures/events/sql';
import { testLogger } from './fixtures/events/test-logger';

const { kafkaBrokers } = testInfra();
let pg: PgTestDb;

beforeAll(async () => {
  pg = await openPgTestDb('evt_batch');
});
afterAll(async () => {
  await pg?.close();
});

runBatchConsumptionContract(
  'kafka + PostgreSQL',
  async () =>
    createKafkaEventBus({
      brokers: kafkaBrokers,
      clientId: 'events-batch',
      logger: testLogger(),
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    }),
  (): SqlDb => pg.db,
  { partitions: 3, waitMs: 60_000, cleanupTopics: (topics) => deleteTestTopics(kafkaBrokers, topics) },
);
