import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { createTestTopics, deleteTestTopics, testInfra, uniqueName } from '../src/testing';

// Proves the broker started by scripts/infra (Kafka KRaft, see docs/operations/real-infrastructure.md) works
// with kafkajs 2.2.4 the way the events kit uses it: admin createTopics, the idempotent producer, and a
// classic consumer group that commits and resumes from its committed offset after a restart.

const { kafkaBrokers } = testInfra();
const kafka = new Kafka({ clientId: 'csm-infra-test', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

/**
 * Runs a consumer in `groupId` until it has seen `count` messages, committing each message's offset
 * explicitly once handled (as the events kit does after recording the effect), then disconnects.
 */
async function consume(groupId: string, topic: string, count: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic: t, partition, message }: EachMessagePayload) => {
            seen.push(message.value?.toString() ?? '');
            await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            if (seen.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('Kafka broker from scripts/infra with kafkajs', () => {
  const topic = uniqueName('infra_kafka');
  const groupId = uniqueName('infra_group');

  beforeAll(async () => {
    await createTestTopics(kafkaBrokers, [topic], 3);
  });

  afterAll(async () => {
    await deleteTestTopics(kafkaBrokers, [topic]);
  });

  it('delivers idempotent-producer messages to a consumer group that resumes from its committed offset', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const topics = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics.topics[0]?.partitions).toHaveLength(3);

      const first = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
      await producer.send({ topic, acks: -1, messages: first.map((value, i) => ({ key: `case_${i % 3}`, value })) });
      expect((await consume(groupId, topic, first.length)).sort()).toEqual(first);

      // What the group committed covers everything it saw (a partition no key hashed to reports -1).
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const p of committed[0]?.partitions ?? []) {
        const end = ends.find((e) => e.partition === p.partition);
        expect(Math.max(0, Number(p.offset))).toBe(Number(end?.high));
      }

      // A restarted member of the same group gets only what was produced since.
      const second = ['m7', 'm8'];
      await producer.send({ topic, acks: -1, messages: second.map((value) => ({ key: 'case_9', value })) });
      expect((await consume(groupId, topic, second.length)).sort()).toEqual(second);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
