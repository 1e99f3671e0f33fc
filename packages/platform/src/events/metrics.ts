/**
 * Metrics hooks for the relay and the consumers. The events kit calls plain callbacks so it does not care which
 * metrics library is wired; `prometheusEventMetrics` binds them to prom-client for the services' /metrics endpoint.
 */
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface RelayMetrics {
  /** A batch was published and marked; `lagMs` is the age of its oldest event (outbox → bus latency). */
  onPublished?(info: { count: number; durationMs: number; lagMs: number }): void;
  /** A publish cycle failed (the batch stays unpublished and is retried). */
  onError?(info: { error: unknown }): void;
  /** Unpublished rows left after a cycle (0 when drained; -1 when unknown). */
  onBacklog?(info: { pending: number }): void;
  onCleanup?(info: { deleted: number }): void;
}

export interface ConsumerMetrics {
  onHandled?(info: { topic: string; groupId: string; type: string; durationMs: number; attempts: number }): void;
  onRetry?(info: { topic: string; groupId: string; attempt: number; error: unknown }): void;
  onDeadLettered?(info: { topic: string; groupId: string; attempts: number; reason: string }): void;
  /** The consumer itself (not a handler) failed, e.g. a Kafka connection or offset commit error. */
  onConsumerError?(info: { groupId: string; error: unknown }): void;
}

export interface EventMetrics {
  relay: RelayMetrics;
  consumer: ConsumerMetrics;
}

/** Registers csm_events_* metrics on `registry` (default: prom-client's global registry) and returns the hooks. */
export function prometheusEventMetrics(registry: Registry = defaultRegistry): EventMetrics {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const registers = [registry];
  const published = get(
    'csm_events_outbox_published_total',
    () => new Counter({ name: 'csm_events_outbox_published_total', help: 'Outbox events published by the relay', registers }),
  );
  const relayErrors = get(
    'csm_events_outbox_relay_errors_total',
    () => new Counter({ name: 'csm_events_outbox_relay_errors_total', help: 'Failed outbox relay cycles', registers }),
  );
  const lag = get(
    'csm_events_outbox_lag_seconds',
    () =>
      new Histogram({
        name: 'csm_events_outbox_lag_seconds',
        help: 'Age of the oldest event of each published outbox batch',
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
        registers,
      }),
  );
  const backlog = get(
    'csm_events_outbox_backlog',
    () => new Gauge({ name: 'csm_events_outbox_backlog', help: 'Unpublished outbox rows seen by the relay', registers }),
  );
  const handled = get(
    'csm_events_consumed_total',
    () =>
      new Counter({
        name: 'csm_events_consumed_total',
        help: 'Events handled successfully',
        labelNames: ['topic', 'group', 'type'] as const,
        registers,
      }),
  );
  const handleSeconds = get(
    'csm_events_handle_seconds',
    () =>
      new Histogram({
        name: 'csm_events_handle_seconds',
        help: 'Event handling time including retries',
        labelNames: ['topic', 'group'] as const,
        buckets: [0.005, 0.02, 0.1, 0.5, 2, 10],
        registers,
      }),
  );
  const retries = get(
    'csm_events_retries_total',
    () => new Counter({ name: 'csm_events_retries_total', help: 'Handler failures that were retried', labelNames: ['topic', 'group'] as const, registers }),
  );
  const deadLettered = get(
    'csm_events_dead_lettered_total',
    () =>
      new Counter({ name: 'csm_events_dead_lettered_total', help: 'Messages sent to a DLQ', labelNames: ['topic', 'group'] as const, registers }),
  );
  const consumerErrors = get(
    'csm_events_consumer_errors_total',
    () => new Counter({ name: 'csm_events_consumer_errors_total', help: 'Consumer (not handler) failures', labelNames: ['group'] as const, registers }),
  );
  return {
    relay: {
      onPublished: ({ count, lagMs }) => {
        published.inc(count);
        lag.observe(lagMs / 1000);
      },
      onError: () => relayErrors.inc(),
      onBacklog: ({ pending }) => {
        if (pending >= 0) backlog.set(pending);
      },
    },
    consumer: {
      onHandled: ({ topic, groupId, type, durationMs }) => {
        handled.inc({ topic, group: groupId, type });
        handleSeconds.observe({ topic, group: groupId }, durationMs / 1000);
      },
      onRetry: ({ topic, groupId }) => retries.inc({ topic, group: groupId }),
      onDeadLettered: ({ topic, groupId }) => deadLettered.inc({ topic, group: groupId }),
      onConsumerError: ({ groupId }) => consumerErrors.inc({ group: groupId }),
    },
  };
}
