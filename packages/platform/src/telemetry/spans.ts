import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';

export { SpanKind, type Context, type Span };

const TRACER_NAME = '@csm/platform';

export interface WithSpanOptions {
  /** Parent context, e.g. from extractTraceContext(headers); default: the active context. */
  readonly parent?: Context;
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  readonly links?: Link[];
}

/**
 * Runs `fn` inside a new active span (so logs and outgoing calls inside it carry its ids) and ends the span when
 * `fn` settles; a thrown error is recorded on the span and re-thrown. Used for Kafka produce/consume and other
 * work the automatic instrumentation does not see. Without telemetry started it just runs `fn`.
 */
export async function withSpan<T>(name: string, fn: (span: Span) => Promise<T> | T, options: WithSpanOptions = {}): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const spanOptions = {
    kind: options.kind ?? SpanKind.INTERNAL,
    ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
    ...(options.links === undefined ? {} : { links: options.links }),
  };
  return tracer.startActiveSpan(name, spanOptions, options.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's W3C ids, e.g. to stamp on a stored record; undefined outside a sampled span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId } : undefined;
}
