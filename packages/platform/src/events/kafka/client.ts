/** A kafkajs client whose own logs go to the service's logger instead of the console. */
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { EventsLogger } from '../logger';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: EventsLogger;
  /** Extra kafkajs settings (ssl, sasl, timeouts). */
  config?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator' | 'logLevel'>;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { logger } = options;
  // kafkajs INFO is chatty (every join/rebalance), so it goes to debug.
  const creator: logCreator =
    () =>
    ({ level, log }) => {
      const { message, timestamp: _t, logger: _l, ...fields } = log;
      const obj = { component: 'kafkajs', ...fields };
      if (level === logLevel.ERROR) logger.error(obj, message);
      // Expected: our producer bounds its retries on purpose (see KafkaEventBusOptions.producerRetries).
      else if (level === logLevel.WARN && !message.startsWith('Limiting retries for the idempotent producer')) logger.warn(obj, message);
      else logger.debug(obj, message);
    };
  return new Kafka({
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    ...options.config,
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: logLevel.INFO,
    logCreator: creator,
  });
}
