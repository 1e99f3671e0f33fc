import * as pb from '../gen/csm/profile/v1/events';
import { defineTopic, event } from './define';

/** Profile events: ids and non-identifying attributes only, keyed by passenger id. */
export const profileTopic = defineTopic('csm.profile.v1', 'csm.profile.v1', {
  'csm.profile.passenger.created.v1': event('PassengerCreated', pb.PassengerCreated, (e) => e.passengerId),
  'csm.profile.passenger.updated.v1': event('PassengerUpdated', pb.PassengerUpdated, (e) => e.passengerId),
  'csm.profile.passenger.classified.v1': event('PassengerClassified', pb.PassengerClassified, (e) => e.passengerId),
  'csm.profile.passenger.merged.v1': event('PassengerMerged', pb.PassengerMerged, (e) => e.passengerId),
  'csm.profile.passenger.erased.v1': event('PassengerErased', pb.PassengerErased, (e) => e.passengerId),
});
