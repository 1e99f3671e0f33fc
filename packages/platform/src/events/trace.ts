/**
 * Trace context for events, through the telemetry module: producers capture the active W3C trace context into the
 * envelope; consumers run the handler in a CONSUMER span whose parent is the context the message carries. A cheap
 * no-op when telemetry is not started.
 */
import { ROOT_CONTEXT, trace, type Attributes, type Link } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext } from '../telemetry/propagation';
import { SpanKind, withSpan } from '../telemetry/spans';

export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active context as `traceparent`/`tracestate` (empty without an active span or a registered propagator). */
export function currentTraceContext(): TraceCarrier {
  const carrier = injectTraceContext<Record<string, string>>({});
  const out: TraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** Runs `fn` in a CONSUMER span whose parent is the trace context in `headers` (not whatever happens to be active). */
export function runInConsumerSpan<T>(
  headers: Readonly<Record<string, string>>,
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return withSpan(name, fn, { parent: extractTraceContext(headers, ROOT_CONTEXT), kind: SpanKind.CONSUMER, attributes });
}

/**
 * Runs `fn` in one CONSUMER span for a batch of messages: a batch has many producer traces, so the span is a new root
 * LINKED to each message's trace context (the OpenTelemetry messaging convention for batch receive).
 */
export function runInConsumerBatchSpan<T>(
  headersList: readonly Readonly<Record<string, string>>[],
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const links: Link[] = [];
  for (const headers of headersList) {
    const spanContext = trace.getSpanContext(extractTraceContext(headers, ROOT_CONTEXT));
    if (spanContext && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return withSpan(name, fn, { parent: ROOT_CONTEXT, kind: SpanKind.CONSUMER, attributes, links });
}

/** Runs `fn` in a PRODUCER span (one outbox relay publish). */
export function runInProducerSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return withSpan(name, fn, { kind: SpanKind.PRODUCER, attributes });
}
