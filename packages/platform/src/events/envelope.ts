/**
 * The one event envelope: CloudEvents 1.0 (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md).
 * Payloads are proto3-JSON objects produced by the contracts' codecs; this module treats them as opaque JSON so the
 * envelope never depends on a particular domain's messages.
 */
import { z } from 'zod';
import { currentTraceContext } from './trace';
import { ulid } from '../ids/ulid';

/** A proto3-JSON payload: a plain JSON object. */
export type EventData = Readonly<Record<string, unknown>>;

export interface CloudEvent<D extends EventData = EventData> {
  readonly specversion: '1.0';
  /** ULID: unique per event, the consumers' de-duplication key. */
  readonly id: string;
  /** URI-reference of the producing context, e.g. `/csm/cases`. */
  readonly source: string;
  /** Event type name, e.g. `csm.cases.case.opened.v1`. */
  readonly type: string;
  /** Aggregate id: the Kafka message key, so one aggregate's events stay in order. */
  readonly subject: string;
  /** RFC 3339 UTC instant the event happened. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** Optional URI of the payload schema (e.g. the proto message's full name as a URN). */
  readonly dataschema?: string;
  /** W3C trace context of the operation that produced the event (distributed tracing extension). */
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly data: D;
}

/** Bad envelope input: names the field and the rule it broke. */
export class EventEnvelopeError extends Error {
  override readonly name = 'EventEnvelopeError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`invalid event envelope: ${field}: ${rule}`);
  }
}

/** `csm.<domain>.<aggregate>.<what>.v<N>`-style names: lower-case dot-separated segments ending in a version. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_-]*)+\.v[1-9][0-9]*$/;
/** W3C trace-context `traceparent` (version 00 layout; future versions may append fields). */
const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?$/;
const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);

const envelopeSchema = z
  .object({
    specversion: z.literal('1.0', { error: "must be '1.0'" }),
    id: z.string({ error: 'must be a string' }).regex(ULID_PATTERN, 'must be a ULID'),
    source: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .regex(/^\S+$/, 'must be a URI-reference without spaces'),
    type: z
      .string({ error: 'must be a string' })
      .max(256, 'must be at most 256 characters')
      .regex(EVENT_TYPE_PATTERN, 'must look like csm.<domain>.<aggregate>.<event>.v<N>'),
    subject: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
    time: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp' }),
    datacontenttype: z.literal('application/json', { error: "must be 'application/json'" }),
    dataschema: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
    traceparent: z.string({ error: 'must be a string' }).regex(TRACEPARENT_PATTERN, 'must be a W3C traceparent').optional(),
    tracestate: z.string({ error: 'must be a string' }).max(512, 'must be at most 512 characters').optional(),
    data: z.custom<EventData>(isPlainObject, { error: 'must be a JSON object' }),
  })
  .strict();

/** Checks an untrusted value is a well-formed envelope; throws EventEnvelopeError naming the first bad field. */
export function validateEvent(value: unknown): CloudEvent {
  if (!isPlainObject(value)) throw new EventEnvelopeError('(event)', 'must be an object');
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : '(event)';
    const rule = issue?.code === 'unrecognized_keys' ? `unknown attribute(s) ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
    throw new EventEnvelopeError(field, rule);
  }
  // Drop undefined optionals so the envelope serializes the same way everywhere.
  return stripUndefined(parsed.data as CloudEvent);
}

export interface NewEvent<D extends EventData = EventData> {
  source: string;
  type: string;
  /** Aggregate id. */
  subject: string;
  data: D;
  dataschema?: string;
  /** Defaults to a fresh ULID. */
  id?: string;
  /** Defaults to now. */
  time?: Date | string;
  /** Defaults to the active trace context (if any), so consumers continue the producer's trace. */
  traceparent?: string;
  tracestate?: string;
}


/** Builds and validates an envelope; id, time and trace context are filled in when not given. */
export function createEvent<D extends EventData>(input: NewEvent<D>): CloudEvent<D> {
  const trace = input.traceparent !== undefined ? { traceparent: input.traceparent, tracestate: input.tracestate } : currentTraceContext();
  const time = input.time === undefined ? new Date() : input.time;
  const event = validateEvent({
    specversion: '1.0',
    id: input.id ?? ulid(),
    source: input.source,
    type: input.type,
    subject: input.subject,
    time: time instanceof Date ? time.toISOString() : time,
    datacontenttype: 'application/json',
    dataschema: input.dataschema,
    traceparent: trace.traceparent,
    tracestate: trace.tracestate,
    data: input.data,
  });
  return event as CloudEvent<D>;
}

/** Conventional source for a domain's events: `/csm/<domain>`. */
export function sourceForDomain(domain: string): string {
  return `/csm/${domain}`;
}

function stripUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
