/** Creates domain topics and their dead-letter topics on Kafka (used at start-up and by the infra scripts). */
import type { Kafka } from 'kafkajs';
import type { EnsureTopicsOptions } from '../ports';
import { assertTopicName, dlqTopicFor } from '../topics';

export async function ensureKafkaTopics(kafka: Kafka, topics: readonly string[], options: EnsureTopicsOptions = {}): Promise<string[]> {
  const partitions = options.partitions ?? 3;
  const replicationFactor = options.replicationFactor ?? 1;
  const wanted = new Set<string>();
  for (const t of topics) {
    assertTopicName(t);
    wanted.add(t);
    if (options.withDlq ?? true) wanted.add(dlqTopicFor(t));
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      // Resolves false instead of failing when another replica created them first.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
