/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_*` headers, the data as the
 * message value, `datacontenttype` as `content-type`, and the trace context as plain W3C `traceparent`/`tracestate`
 * headers (what OpenTelemetry's Kafka propagation reads). The key is the aggregate id so Kafka's partitioner keeps one
 * aggregate's events in one partition, in order. The in-process bus stores exactly this form, so both adapters share
 * one mapping.
 */
import { validateEvent, EventEnvelopeError, type CloudEvent } from './envelope';

/** A message as it sits on a topic: utf-8 key, value and headers. */
export interface WireMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export const HEADER = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export function toWireMessage(event: CloudEvent): WireMessage {
  const headers: Record<string, string> = {
    [HEADER.specversion]: event.specversion,
    [HEADER.id]: event.id,
    [HEADER.source]: event.source,
    [HEADER.type]: event.type,
    [HEADER.subject]: event.subject,
    [HEADER.time]: event.time,
    [HEADER.contentType]: event.datacontenttype,
  };
  if (event.dataschema !== undefined) headers[HEADER.dataschema] = event.dataschema;
  if (event.traceparent !== undefined) headers[HEADER.traceparent] = event.traceparent;
  if (event.tracestate !== undefined) headers[HEADER.tracestate] = event.tracestate;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** Rebuilds and validates the envelope; throws EventEnvelopeError for anything that is not a binary-mode CloudEvent. */
export function fromWireMessage(message: WireMessage): CloudEvent {
  const h = message.headers;
  const contentType = h[HEADER.contentType];
  // `application/json; charset=utf-8` is the same content type.
  if (contentType === undefined || contentType.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new EventEnvelopeError('content-type', "header must be 'application/json'");
  }
  if (message.value === null) throw new EventEnvelopeError('data', 'message has no value');
  let data: unknown;
  try {
    data = JSON.parse(message.value);
  } catch {
    throw new EventEnvelopeError('data', 'message value is not valid JSON');
  }
  return validateEvent({
    specversion: h[HEADER.specversion],
    id: h[HEADER.id],
    source: h[HEADER.source],
    type: h[HEADER.type],
    subject: h[HEADER.subject],
    time: h[HEADER.time],
    datacontenttype: 'application/json',
    dataschema: h[HEADER.dataschema],
    traceparent: h[HEADER.traceparent],
    tracestate: h[HEADER.tracestate],
    data,
  });
}
