import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import {
  EVENT_TOPICS,
  EVENT_TYPES,
  EVENT_TYPE_PATTERN,
  TOPICS,
  cases,
  defineTopic,
  descriptorSetPath,
  event,
  eventCodec,
  eventTypesOf,
  findEventCodec,
  isEventType,
  type EventCodec,
  type EventPayload,
} from '../src';
import * as analyticsEvents from '../src/gen/csm/analytics/v1/events';
import * as casesEvents from '../src/gen/csm/cases/v1/events';
import * as flightinfoEvents from '../src/gen/csm/flightinfo/v1/events';
import * as loyaltyEvents from '../src/gen/csm/loyalty/v1/events';
import * as profileEvents from '../src/gen/csm/profile/v1/events';

/** The generated events module of each proto package, to check codecs are the messages they claim to be. */
const GENERATED: Record<string, Record<string, unknown>> = {
  'csm.profile.v1': profileEvents,
  'csm.cases.v1': casesEvents,
  'csm.loyalty.v1': loyaltyEvents,
  'csm.flightinfo.v1': flightinfoEvents,
  'csm.analytics.v1': analyticsEvents,
};

const allCodecs: EventCodec<unknown>[] = EVENT_TOPICS.flatMap((t) => Object.values<EventCodec<unknown>>(t.events));

/** Fully-qualified names of the top-level messages of every csm/<domain>/v1/events.proto. */
function declaredEventMessages(): string[] {
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath()));
  const eventFiles = set.file.filter((f) => /^csm\/[a-z]+\/v[0-9]+\/events\.proto$/.test(f.name ?? ''));
  expect(eventFiles.map((f) => f.name).sort()).toEqual([
    'csm/analytics/v1/events.proto',
    'csm/cases/v1/events.proto',
    'csm/flightinfo/v1/events.proto',
    'csm/loyalty/v1/events.proto',
    'csm/profile/v1/events.proto',
  ]);
  return eventFiles.flatMap((f) => f.messageType.map((m) => `${f.package}.${m.name}`));
}

describe('event registry', () => {
  it('registers every message of every events.proto exactly once, and nothing else', () => {
    const declared = declaredEventMessages();
    const registered = allCodecs.map((c) => c.protoMessage);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...registered].sort()).toEqual([...declared].sort());
  });

  it('binds each type to the generated codec of the message it names', () => {
    for (const c of allCodecs) {
      const pkg = c.protoMessage.slice(0, c.protoMessage.lastIndexOf('.'));
      const name = c.protoMessage.slice(pkg.length + 1);
      expect({ type: c.type, codecMatches: GENERATED[pkg]?.[name] === c.codec }).toEqual({ type: c.type, codecMatches: true });
    }
  });

  it('uses unique, well-formed CloudEvents type names that belong to their topic', () => {
    const types = allCodecs.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...EVENT_TYPES].sort()).toEqual([...types].sort());
    for (const c of allCodecs) {
      expect(c.type).toMatch(EVENT_TYPE_PATTERN);
      expect(c.type).toBe(`csm.${c.domain}.${c.aggregate}.${c.event}.v1`);
      expect(c.topic).toBe(`csm.${c.domain}.v1`);
    }
  });

  it('has one topic per domain, named csm.<domain>.v1', () => {
    expect(TOPICS).toEqual({
      profile: 'csm.profile.v1',
      cases: 'csm.cases.v1',
      loyalty: 'csm.loyalty.v1',
      flight: 'csm.flight.v1',
      cargo: 'csm.cargo.v1',
      analytics: 'csm.analytics.v1',
    });
    expect(new Set(EVENT_TOPICS.map((t) => t.topic)).size).toBe(EVENT_TOPICS.length);
    expect(eventTypesOf('csm.cargo.v1')).toEqual([
      'csm.cargo.shipment.booked.v1',
      'csm.cargo.shipment.status_changed.v1',
      'csm.cargo.shipment.exception_raised.v1',
    ]);
  });

  it('round-trips a payload through proto3 JSON with a typed lookup', () => {
    const opened = eventCodec('csm.cases.case.opened.v1');
    const payload: EventPayload<'csm.cases.case.opened.v1'> = opened.codec.fromPartial({
      caseId: 'case_01J0000000000000000000000',
      caseNumber: 'CS-2026-000123',
      kind: cases.CaseKind.CASE_KIND_COMPLAINT,
      channel: cases.Channel.CHANNEL_PHONE,
      flight: { carrier: 'CA', number: '1234', date: '2026-03-01' },
      openTime: new Date('2026-03-01T08:30:00.000Z'),
    });
    const json = opened.toJSON(payload);
    expect(json).toEqual({
      caseId: 'case_01J0000000000000000000000',
      caseNumber: 'CS-2026-000123',
      kind: 'CASE_KIND_COMPLAINT',
      channel: 'CHANNEL_PHONE',
      flight: { carrier: 'CA', number: '1234', date: '2026-03-01' },
      openTime: '2026-03-01T08:30:00.000Z',
    });
    // What a consumer does with the bytes off the wire.
    const back = opened.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back).toEqual(payload);
    expect(opened.aggregateId(back)).toBe('case_01J0000000000000000000000');
    // Typed payload: property access compiles only if the lookup kept the message type.
    expect(back.caseNumber).toBe('CS-2026-000123');
    // proto3 JSON parsers accept original field names and int64 as strings too.
    const granted = eventCodec('csm.cases.case.compensation_granted.v1').fromJSON({ case_id: 'case_1', miles: '5000' });
    expect(granted).toMatchObject({ caseId: 'case_1', miles: 5000 });
  });

  it('derives the aggregate id for every event type from a minimal payload', () => {
    for (const c of allCodecs) {
      const empty = c.codec.fromJSON({});
      expect(c.aggregateId(empty)).toBe('');
      expect(c.fromJSON(c.toJSON(empty))).toEqual(empty);
    }
    const delayed = eventCodec('csm.flight.flight.delayed.v1');
    expect(delayed.aggregateId(delayed.fromJSON({ flight: { flightId: 'flt_1' }, delayMinutes: 95 }))).toBe('flt_1');
  });

  it('answers lookups of unknown types without guessing', () => {
    expect(isEventType('csm.cases.case.opened.v1')).toBe(true);
    expect(isEventType('csm.cases.case.opened.v2')).toBe(false);
    expect(findEventCodec('csm.cases.case.teleported.v1')).toBeUndefined();
    expect(findEventCodec('csm.loyalty.member.tier_changed.v1')?.topic).toBe('csm.loyalty.v1');
    expect(() => eventCodec('csm.nope.x.y.v1' as 'csm.cases.case.opened.v1')).toThrow(/unknown event type "csm\.nope\.x\.y\.v1"/);
  });

  it('refuses malformed declarations at definition time', () => {
    const spec = event('CaseOpened', casesEvents.CaseOpened, (e) => e.caseId);
    expect(() => defineTopic('csm.cases.v1', 'csm.cases.v1', { 'csm.cases.CaseOpened.v1': spec })).toThrow(/does not match/);
    expect(() => defineTopic('csm.cases.v1', 'csm.cases.v1', { 'csm.profile.case.opened.v1': spec })).toThrow(/does not belong/);
    expect(() => defineTopic('cases', 'csm.cases.v1', { 'csm.cases.case.opened.v1': spec })).toThrow(/topic "cases"/);
  });
});
