/**
 * The bus contract against the Kafka adapter on the real broker (scripts/infra/up.sh). Every bus the contract makes
 * is a new client of the same cluster, so closing one and making the next is a restart; topics are unique per test
 * and deleted at the end.
 */
import { createKafkaEventBus } from '../src/events';
import { testInfra } from '../src/testing/infra';
import { deleteTestTopics } from '../src/testing/kafka';
import { runEventBusContract } from './fixtures/events/bus-contract';
import { testLogger } from './fixtures/events/test-logger';

const { kafkaBrokers } = testInfra();

runEventBusContract(
  'kafka',
  async () =>
    createKafkaEventBus({
      brokers: kafkaBrokers,
      clientId: 'events-contract',
      logger: testLogger(),
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    }),
  { partitions: 3, waitMs: 60_000, cleanupTopics: (topics) => deleteTestTopics(kafkaBrokers, topics) },
);
