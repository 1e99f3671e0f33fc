import * as pb from '../gen/csm/flightinfo/v1/events';
import { defineTopic, event } from './define';

/** Cargo events (flight-info service), keyed by shipment id. */
export const cargoTopic = defineTopic('csm.cargo.v1', 'csm.flightinfo.v1', {
  'csm.cargo.shipment.booked.v1': event('ShipmentBooked', pb.ShipmentBooked, (e) => e.shipmentId),
  'csm.cargo.shipment.status_changed.v1': event('ShipmentStatusChanged', pb.ShipmentStatusChanged, (e) => e.shipmentId),
  'csm.cargo.shipment.exception_raised.v1': event('ShipmentExceptionRaised', pb.ShipmentExceptionRaised, (e) => e.shipmentId),
});
