/** Topic naming: one topic per domain, `csm.<domain>.v1`, and its dead-letter topic `<topic>.dlq`. */
import { EventEnvelopeError, EVENT_TYPE_PATTERN } from './envelope';

const DOMAIN_PATTERN = /^[a-z][a-z0-9-]*$/;
export const DLQ_SUFFIX = '.dlq';

export function topicForDomain(domain: string): string {
  if (!DOMAIN_PATTERN.test(domain)) throw new EventEnvelopeError('domain', 'must be lower-case letters, digits and dashes');
  return `csm.${domain}.v1`;
}

/** `csm.cases.case.opened.v1` → `csm.cases.v1`: the type's second segment names the domain. */
export function topicForEventType(type: string): string {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new EventEnvelopeError('type', 'must look like csm.<domain>.<aggregate>.<event>.v<N>');
  const domain = type.split('.')[1];
  if (domain === undefined) throw new EventEnvelopeError('type', 'must name a domain');
  return topicForDomain(domain);
}

export function dlqTopicFor(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}

/** Kafka's legal topic names (also enforced by the in-process bus so names are portable). */
export function assertTopicName(topic: string): void {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) throw new EventEnvelopeError('topic', 'must be 1-249 of [a-zA-Z0-9._-]');
}
