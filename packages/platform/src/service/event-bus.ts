import type { SASLOptions } from 'kafkajs';
import { ConfigError } from '../config/load-config';
import { createInProcessEventBus } from '../events/inprocess/bus';
import { createKafkaEventBus } from '../events/kafka/bus';
import type { SqlDb } from '../stores/sql';
import type { EventBus } from '../events/ports';
import type { Logger } from '../logging/logger';

export interface ServiceEventBusOptions {
  readonly name: string;
  readonly config: {
    readonly CSM_MODE?: 'embedded' | 'cluster';
    readonly CSM_KAFKA_BROKERS?: readonly string[] | undefined;
    readonly CSM_KAFKA_CLIENT_ID?: string | undefined;
    readonly CSM_KAFKA_SSL?: boolean | undefined;
    readonly CSM_KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined;
    readonly CSM_KAFKA_SASL_USERNAME?: string | undefined;
    readonly CSM_KAFKA_SASL_PASSWORD?: string | undefined;
  };
  readonly logger: Logger;
  /** Embedded mode: the launcher's one in-process bus shared by every service (it owns and closes it). */
  readonly injected?: EventBus | undefined;
  /**
   * Embedded mode without the launcher (a service run alone, e.g. in its tests): an in-process bus kept in this database.
   * Its events then stay inside the service.
   */
  readonly embeddedDb?: SqlDb | undefined;
}

/**
 * The service's event bus: the injected in-process bus in embedded mode (or, run alone, its own in-process bus on
 * `embeddedDb`), otherwise Kafka from CSM_KAFKA_BROKERS. `close()` of an injected bus is a no-op here, because other
 * services in the process still use it.
 */
export async function openServiceEventBus(options: ServiceEventBusOptions): Promise<EventBus> {
  if (options.injected !== undefined) {
    const shared = options.injected;
    return {
      kind: shared.kind,
      publish: (records) => shared.publish(records),
      subscribe: (sub) => shared.subscribe(sub),
      ensureTopics: (topics, opts) => shared.ensureTopics(topics, opts),
      close: () => Promise.resolve(),
    };
  }
  if (options.embeddedDb !== undefined && options.config.CSM_MODE === 'embedded') {
    return createInProcessEventBus({ db: options.embeddedDb, logger: options.logger.child({ component: 'event-bus' }) });
  }
  const brokers = options.config.CSM_KAFKA_BROKERS;
  if (brokers === undefined || brokers.length === 0) {
    throw new ConfigError('Invalid configuration: CSM_KAFKA_BROKERS is required in cluster mode', ['CSM_KAFKA_BROKERS']);
  }
  const c = options.config;
  const sasl =
    c.CSM_KAFKA_SASL_MECHANISM !== undefined && c.CSM_KAFKA_SASL_USERNAME !== undefined && c.CSM_KAFKA_SASL_PASSWORD !== undefined
      ? // kafkajs types SASL as a union per mechanism; the three share this shape.
        ({ mechanism: c.CSM_KAFKA_SASL_MECHANISM, username: c.CSM_KAFKA_SASL_USERNAME, password: c.CSM_KAFKA_SASL_PASSWORD } as SASLOptions)
      : undefined;
  return createKafkaEventBus({
    brokers,
    clientId: c.CSM_KAFKA_CLIENT_ID ?? `csm-${options.name}`,
    logger: options.logger.child({ component: 'kafka' }),
    kafkaConfig: { ...(c.CSM_KAFKA_SSL ? { ssl: true } : {}), ...(sasl ? { sasl } : {}) },
  });
}
