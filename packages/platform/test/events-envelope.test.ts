/** The envelope, its Kafka binary-mode mapping, topic naming, retry policy and poison-message handling (no infra). */
import {
  backoffDelay,
  createEvent,
  DLQ_HEADER,
  dlqTopicFor,
  EventEnvelopeError,
  fromWireMessage,
  resolveRetryPolicy,
  sourceForDomain,
  toWireMessage,
  topicForDomain,
  topicForEventType,
  validateEvent,
  type CloudEvent,
} from '../src/events';
import { deliver } from '../src/events/delivery';
import { startTelemetry, withSpan } from '../src/telemetry';
import { testLogger } from './fixtures/events/test-logger';

const base = { source: '/csm/cases', type: 'csm.cases.case.opened.v1', subject: 'case_01', data: { caseId: 'case_01' } };

function expectEnvelopeError(fn: () => unknown, field: string, rule: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EventEnvelopeError);
    expect((err as EventEnvelopeError).field).toBe(field);
    expect((err as EventEnvelopeError).rule).toMatch(rule);
    return;
  }
  throw new Error(`expected an EventEnvelopeError for ${field}`);
}

describe('createEvent / validateEvent', () => {
  it('fills in the CloudEvents 1.0 attributes', () => {
    const e = createEvent(base);
    expect(e).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      source: '/csm/cases',
      type: 'csm.cases.case.opened.v1',
      subject: 'case_01',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      datacontenttype: 'application/json',
      data: { caseId: 'case_01' },
    });
    expect(Object.keys(e)).not.toContain('traceparent'); // no active trace → no attribute at all
  });

  it('gives ids that sort in creation order', () => {
    const ids = Array.from({ length: 50 }, () => createEvent(base).id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps given id, time, dataschema and trace context', () => {
    const e = createEvent({
      ...base,
      id: '01J0000000000000000000000A',
      time: new Date('2026-03-01T10:00:00Z'),
      dataschema: 'urn:csm:proto:csm.cases.v1.CaseOpened',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(e).toMatchObject({
      id: '01J0000000000000000000000A',
      time: '2026-03-01T10:00:00.000Z',
      dataschema: 'urn:csm:proto:csm.cases.v1.CaseOpened',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
  });

  it('captures the active trace context', async () => {
    startTelemetry({ serviceName: 'events-envelope-test', enabled: true });
    const { e, traceId } = await withSpan('use case', async (span) => ({ e: createEvent(base), traceId: span.spanContext().traceId }));
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(e.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('names the field and the rule for bad input', () => {
    expectEnvelopeError(() => createEvent({ ...base, type: 'CaseOpened' }), 'type', /csm\.<domain>/);
    expectEnvelopeError(() => createEvent({ ...base, type: 'csm.cases.case.opened' }), 'type', /v<N>/);
    expectEnvelopeError(() => createEvent({ ...base, subject: '' }), 'subject', /empty/);
    expectEnvelopeError(() => createEvent({ ...base, source: 'has space' }), 'source', /URI-reference/);
    expectEnvelopeError(() => createEvent({ ...base, data: [] as unknown as Record<string, unknown> }), 'data', /JSON object/);
    expectEnvelopeError(() => createEvent({ ...base, time: 'yesterday' }), 'time', /RFC 3339/);
    expectEnvelopeError(() => createEvent({ ...base, id: 'not-a-ulid' }), 'id', /ULID/);
    expectEnvelopeError(() => createEvent({ ...base, traceparent: 'abc' }), 'traceparent', /W3C/);
    const valid = createEvent(base);
    expectEnvelopeError(() => validateEvent({ ...valid, specversion: '0.3' }), 'specversion', /'1\.0'/);
    expectEnvelopeError(() => validateEvent({ ...valid, datacontenttype: 'text/plain' }), 'datacontenttype', /application\/json/);
    expectEnvelopeError(() => validateEvent({ ...valid, extra: 1 }), '(event)', /unknown attribute\(s\) extra/);
    expectEnvelopeError(() => validateEvent('event'), '(event)', /object/);
  });
});

describe('Kafka binary content mode', () => {
  const event = createEvent({ ...base, dataschema: 'urn:x', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=b' });

  it('maps attributes to ce_* headers, the aggregate id to the key and the data to the value', () => {
    const wire = toWireMessage(event);
    expect(wire).toEqual({
      key: 'case_01',
      value: '{"caseId":"case_01"}',
      headers: {
        ce_specversion: '1.0',
        ce_id: event.id,
        ce_source: '/csm/cases',
        ce_type: 'csm.cases.case.opened.v1',
        ce_subject: 'case_01',
        ce_time: event.time,
        ce_dataschema: 'urn:x',
        'content-type': 'application/json',
        traceparent: event.traceparent,
        tracestate: 'a=b',
      },
    });
    expect(fromWireMessage(wire)).toEqual(event);
  });

  it('accepts a charset parameter and rejects what is not a binary-mode JSON CloudEvent', () => {
    const wire = toWireMessage(event);
    expect(fromWireMessage({ ...wire, headers: { ...wire.headers, 'content-type': 'application/json; charset=utf-8' } })).toEqual(event);
    expectEnvelopeError(() => fromWireMessage({ ...wire, headers: { ...wire.headers, 'content-type': 'application/cloudevents+json' } }), 'content-type', /application\/json/);
    expectEnvelopeError(() => fromWireMessage({ ...wire, value: '{oops' }), 'data', /not valid JSON/);
    expectEnvelopeError(() => fromWireMessage({ ...wire, value: null }), 'data', /no value/);
    expectEnvelopeError(() => fromWireMessage({ ...wire, value: '[1]' }), 'data', /JSON object/);
    const { ce_id: _omit, ...noId } = wire.headers;
    expectEnvelopeError(() => fromWireMessage({ ...wire, headers: noId }), 'id', /string/);
  });
});

describe('topics', () => {
  it('uses one topic per domain and a .dlq sibling', () => {
    expect(topicForDomain('cases')).toBe('csm.cases.v1');
    expect(topicForEventType('csm.flight-info.flight.delayed.v1')).toBe('csm.flight-info.v1');
    expect(topicForEventType('csm.loyalty.miles.credited.v2')).toBe('csm.loyalty.v1');
    expect(dlqTopicFor('csm.cases.v1')).toBe('csm.cases.v1.dlq');
    expect(sourceForDomain('cases')).toBe('/csm/cases');
    expectEnvelopeError(() => topicForDomain('Cases!'), 'domain', /lower-case/);
  });
});

describe('retry policy', () => {
  it('backs off exponentially up to the cap, with bounded jitter', () => {
    const p = resolveRetryPolicy({ initialBackoffMs: 100, maxBackoffMs: 1000, factor: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(p, a))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const j = resolveRetryPolicy({ initialBackoffMs: 100, jitter: 0.2 });
    expect(backoffDelay(j, 1, () => 0)).toBe(80);
    expect(backoffDelay(j, 1, () => 1)).toBe(120);
    expect(resolveRetryPolicy().maxAttempts).toBe(5);
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow('maxAttempts');
  });
});

describe('delivery of a malformed message', () => {
  it('dead-letters it at once without calling the handler', async () => {
    const handler = jest.fn<Promise<void>, [CloudEvent]>();
    const outcome = await deliver({
      message: { key: 'k', value: 'not json', headers: { 'content-type': 'application/json' } },
      topic: 'csm.cases.v1',
      partition: 2,
      offset: '41',
      groupId: 'g',
      handler,
      policy: resolveRetryPolicy(),
      signal: new AbortController().signal,
      logger: testLogger(),
    });
    expect(handler).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({
      kind: 'dead-letter',
      topic: 'csm.cases.v1.dlq',
      headers: {
        [DLQ_HEADER.reason]: 'invalid-envelope',
        [DLQ_HEADER.attempts]: '0',
        [DLQ_HEADER.originalPartition]: '2',
        [DLQ_HEADER.originalOffset]: '41',
        [DLQ_HEADER.errorType]: 'EventEnvelopeError',
      },
    });
  });
});
