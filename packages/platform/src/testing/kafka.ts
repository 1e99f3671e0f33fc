import { Kafka, logLevel } from 'kafkajs';

function admin(brokers: string[]) {
  return new Kafka({ clientId: 'csm-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
}

/**
 * Creates topics and waits until each partition has a leader, so a producer or consumer started next
 * never races topic creation. Topics that already exist are left as they are.
 */
export async function createTestTopics(brokers: string[], names: string[], partitions = 1): Promise<void> {
  const client = admin(brokers);
  await client.connect();
  try {
    await client.createTopics({
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await client.disconnect();
  }
}

/** Deletes test topics (missing ones are ignored). */
export async function deleteTestTopics(brokers: string[], names: string[]): Promise<void> {
  const client = admin(brokers);
  await client.connect();
  try {
    const existing = new Set(await client.listTopics());
    const topics = names.filter((n) => existing.has(n));
    if (topics.length > 0) await client.deleteTopics({ topics });
  } finally {
    await client.disconnect();
  }
}
