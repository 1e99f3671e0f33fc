import { context, propagation, type Context, type TextMapGetter } from '@opentelemetry/api';

/** Header values as they arrive from Kafka (kafkajs IHeaders), HTTP or plain maps. */
export type CarrierValue = string | Buffer | readonly (string | Buffer)[] | undefined;

const getter: TextMapGetter<Readonly<Record<string, CarrierValue>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const raw = carrier[key];
    const first = Array.isArray(raw) ? (raw as readonly (string | Buffer)[])[0] : (raw as string | Buffer | undefined);
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * Writes the W3C `traceparent` (and `tracestate`) of `ctx` (default: the active context) into `carrier`, e.g.
 * Kafka message headers before producing. Returns the same carrier. Writes nothing when there is no valid span.
 */
export function injectTraceContext<T extends Record<string, string>>(carrier: T, ctx: Context = context.active()): T {
  propagation.inject(ctx, carrier);
  return carrier;
}

/**
 * Reads `traceparent`/`tracestate` from a carrier (Kafka headers may be Buffers) into a Context to use as the
 * parent of a consumer span: `withSpan('consume x', fn, { parent: extractTraceContext(message.headers ?? {}) })`.
 */
export function extractTraceContext(carrier: Readonly<Record<string, CarrierValue>>, base: Context = context.active()): Context {
  return propagation.extract(base, carrier, getter);
}
