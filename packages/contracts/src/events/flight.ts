import * as pb from '../gen/csm/flightinfo/v1/events';
import { defineTopic, event } from './define';

/** Flight events (flight-info service), keyed by flight id; every payload carries a FlightSnapshot. */
export const flightTopic = defineTopic('csm.flight.v1', 'csm.flightinfo.v1', {
  'csm.flight.flight.status_changed.v1': event('FlightStatusChanged', pb.FlightStatusChanged, (e) => e.flight?.flightId ?? ''),
  'csm.flight.flight.delayed.v1': event('FlightDelayed', pb.FlightDelayed, (e) => e.flight?.flightId ?? ''),
  'csm.flight.flight.cancelled.v1': event('FlightCancelled', pb.FlightCancelled, (e) => e.flight?.flightId ?? ''),
  'csm.flight.flight.diverted.v1': event('FlightDiverted', pb.FlightDiverted, (e) => e.flight?.flightId ?? ''),
});
