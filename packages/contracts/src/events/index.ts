// Declared domain events: topics, CloudEvents type names and their proto3-JSON payload codecs.
export { defineTopic, event, EVENT_TYPE_PATTERN, TOPIC_PATTERN } from './define';
export type { DeepPartial, EventCodec, EventSpec, MessageCodec, PayloadOf, TopicDefinition, TopicEvents } from './define';
export { profileTopic } from './profile';
export { casesTopic } from './cases';
export { loyaltyTopic } from './loyalty';
export { flightTopic } from './flight';
export { cargoTopic } from './cargo';
export { analyticsTopic } from './analytics';
export { EVENT_TOPICS, EVENT_TYPES, TOPICS, eventCodec, eventTypesOf, findEventCodec, isEventType } from './registry';
export type { EventPayload, EventType, Topic } from './registry';
