// Events kit: CloudEvents envelope, transactional outbox + relay, idempotent consumers, and one bus port with a Kafka
// adapter (cluster) and an in-process adapter (embedded). See docs/platform/events.md.
export { createEvent, validateEvent, sourceForDomain, EventEnvelopeError, EVENT_TYPE_PATTERN } from './envelope';
export type { CloudEvent, EventData, NewEvent } from './envelope';
export { topicForDomain, topicForEventType, dlqTopicFor, isDlqTopic, assertTopicName, DLQ_SUFFIX } from './topics';
export { toWireMessage, fromWireMessage, HEADER } from './wire';
export type { WireMessage } from './wire';
export type {
  EventBus,
  EventPublisher,
  EventSubscriber,
  EventHandler,
  EventBatchHandler,
  DeliveredEvent,
  EventContext,
  PublishRecord,
  SubscribeOptions,
  Subscription,
  EnsureTopicsOptions,
} from './ports';
export { DEFAULT_RETRY_POLICY, NonRetryableEventError, backoffDelay, resolveRetryPolicy } from './retry';
export type { RetryPolicy } from './retry';
export { DLQ_HEADER } from './delivery';
export type { DeadLetterReason } from './delivery';
export { OUTBOX_MIGRATION_SQL, outboxMigration, appendToOutbox, cleanupOutbox, countPendingOutbox } from './outbox';
export { OUTBOX_INSERT_COLUMNS, outboxRow } from './outbox-row';
export type { AppendOptions, OutboxCleanupOptions } from './outbox';
export { createOutboxRelay } from './relay';
export type { OutboxRelay, OutboxRelayOptions } from './relay';
export {
  PROCESSED_EVENTS_MIGRATION_SQL,
  processedEventsMigration,
  createIdempotentHandler,
  createIdempotentBatchHandler,
  isEventProcessed,
  cleanupProcessedEvents,
} from './idempotent';
export type { IdempotentEffect, IdempotentBatchEffect, IdempotentBatchHandlers, IdempotentHandlerOptions } from './idempotent';
export { DEFAULT_MAX_BATCH_SIZE } from './batch-delivery';
export { prometheusEventMetrics } from './metrics';
export type { RelayMetrics, ConsumerMetrics, EventMetrics } from './metrics';
export { fallbackLogger } from './logger';
export type { EventsLogger } from './logger';
export { currentTraceContext, runInConsumerSpan, runInConsumerBatchSpan } from './trace';
export type { TraceCarrier } from './trace';
export { createKafkaEventBus } from './kafka/bus';
export type { KafkaEventBusOptions, KafkaConsumerTuning } from './kafka/bus';
export { createKafkaClient } from './kafka/client';
export type { KafkaClientOptions } from './kafka/client';
export { ensureKafkaTopics } from './kafka/topics';
export { createInProcessEventBus } from './inprocess/bus';
export type { InProcessEventBusOptions } from './inprocess/bus';
export { IN_PROCESS_BUS_SCHEMA_SQL } from './inprocess/log-store';
