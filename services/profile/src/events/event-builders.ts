import { eventCodec, profile, type EventCodec, type EventPayload, type EventType } from '@csm/contracts';
import { createEvent, sourceForDomain, type CloudEvent, type EventData } from '@csm/platform/events';

/** Profile domain events: ids and non-identifying attributes only (never names, contacts or document numbers). */
function build<K extends EventType>(type: K, payload: EventPayload<K>): CloudEvent {
  // The registry's per-type codec is a union here; the key K ties payload and codec together.
  const spec = eventCodec(type) as unknown as EventCodec<EventPayload<K>>;
  return createEvent({
    source: sourceForDomain('profile'),
    type: spec.type,
    subject: spec.aggregateId(payload),
    data: spec.toJSON(payload) as EventData,
    dataschema: `urn:proto:${spec.protoMessage}`,
  });
}

export const profileEvents = {
  created: (p: profile.PassengerCreated) => build('csm.profile.passenger.created.v1', profile.PassengerCreated.fromPartial(p)),
  updated: (p: profile.PassengerUpdated) => build('csm.profile.passenger.updated.v1', profile.PassengerUpdated.fromPartial(p)),
  classified: (p: profile.PassengerClassified) => build('csm.profile.passenger.classified.v1', profile.PassengerClassified.fromPartial(p)),
  merged: (p: profile.PassengerMerged) => build('csm.profile.passenger.merged.v1', profile.PassengerMerged.fromPartial(p)),
  erased: (p: profile.PassengerErased) => build('csm.profile.passenger.erased.v1', profile.PassengerErased.fromPartial(p)),
};

export const PROFILE_TOPIC = eventCodec('csm.profile.passenger.created.v1').topic;
