import { eventCodec, flightinfo } from '@csm/contracts';
import type { CloudEvent } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import { asRecord, enumName, nonEmpty, optionalInt, type RawData } from './raw-fields';
import { ProjectionStatement } from './statement';

type Snapshot = NonNullable<ReturnType<ReturnType<typeof eventCodec<'csm.flight.flight.delayed.v1'>>['fromJSON']>['flight']>;

/**
 * Flight topic → fact_flight (the latest snapshot per flight, by event time) and fact_flight_delay; cargo topic →
 * fact_cargo_event. Passengers carried are read raw (`passengersCarried` on the snapshot or the event) because the v1
 * flight events do not carry them yet; flights without it add nothing to the complaint-rate denominator.
 */
export async function projectFlightEvent(event: CloudEvent, tx: SqlTx, timeZone: string): Promise<boolean> {
  const raw = asRecord(event.data);
  const at = new Date(event.time);
  switch (event.type) {
    case 'csm.flight.flight.status_changed.v1':
      return upsertFlight(tx, timeZone, eventCodec(event.type).fromJSON(raw).flight, raw, at, {});
    case 'csm.flight.flight.cancelled.v1':
      return upsertFlight(tx, timeZone, eventCodec(event.type).fromJSON(raw).flight, raw, at, { cancelled: true });
    case 'csm.flight.flight.diverted.v1':
      return upsertFlight(tx, timeZone, eventCodec(event.type).fromJSON(raw).flight, raw, at, { diverted: true });
    case 'csm.flight.flight.delayed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const applied = await upsertFlight(tx, timeZone, e.flight, raw, at, {});
      if (!applied || e.flight === undefined) return applied;
      await tx.query(
        `INSERT INTO fact_flight_delay (event_id, flight_id, delay_minutes, previous_delay_minutes, reason_codes, event_time)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [event.id, e.flight.flightId, e.delayMinutes, e.previousDelayMinutes, e.reasons.map((r) => r.code).join(',') || null, at],
      );
      return true;
    }
    default:
      return false;
  }
}

async function upsertFlight(
  tx: SqlTx,
  timeZone: string,
  snap: Snapshot | undefined,
  raw: RawData,
  at: Date,
  flags: { cancelled?: boolean; diverted?: boolean },
): Promise<boolean> {
  if (snap === undefined || snap.flightId === '') return false;
  const rawSnap = asRecord(raw.flight);
  const status = enumName(rawSnap, 'status', snap.status, flightinfo.flightStatusToJSON);
  const carried = optionalInt(rawSnap, 'passengersCarried', 'passengers_carried') ?? optionalInt(raw, 'passengersCarried', 'passengers_carried');
  const sched = snap.scheduledDeparture;
  const st = new ProjectionStatement(timeZone);
  const origin = nonEmpty(snap.origin);
  const destination = nonEmpty(snap.destination);
  st.dim('dim_airport', origin).dim('dim_airport', destination).dim('dim_carrier', nonEmpty(snap.flight?.carrier));
  const flightDate = nonEmpty(snap.flight?.date);
  const dateKey = flightDate !== null ? st.date(new Date(`${flightDate}T12:00:00Z`)) : null;
  const cancelled = flags.cancelled === true || status === 'FLIGHT_STATUS_CANCELLED';
  const diverted = flags.diverted === true || status === 'FLIGHT_STATUS_DIVERTED';
  // Scheduled departure as an instant: the snapshot's UTC time, else its local time in its zone.
  const schedSql = `COALESCE(${st.p(sched?.utcTime ?? null)}::timestamptz,
      CASE WHEN ${st.p(nonEmpty(sched?.localDateTime))}::text IS NULL OR ${st.p(nonEmpty(sched?.timeZone))}::text IS NULL THEN NULL
           ELSE (${st.p(nonEmpty(sched?.localDateTime))}::timestamp AT TIME ZONE ${st.p(nonEmpty(sched?.timeZone))}) END)`;
  // A newer snapshot replaces an older one (events of one flight are ordered; this also guards a late redelivery).
  await st.run(
    tx,
    `INSERT INTO fact_flight (flight_id, carrier, number, flight_date, origin, destination, status, scheduled_departure,
        departure_delay_minutes, arrival_delay_minutes, cancelled, diverted, passengers_carried, date_key, last_event_time)
     VALUES (${st.p(snap.flightId)}, ${st.p(nonEmpty(snap.flight?.carrier))}, ${st.p(nonEmpty(snap.flight?.number))}, ${st.p(flightDate)},
        ${st.p(origin)}, ${st.p(destination)}, ${st.p(status)}, ${schedSql}, ${st.p(snap.departureDelayMinutes)}, ${st.p(snap.arrivalDelayMinutes)},
        ${st.p(cancelled)}, ${st.p(diverted)}, ${st.p(carried)}::int, ${st.p(dateKey)}::int, ${st.p(at)})
     ON CONFLICT (flight_id) DO UPDATE SET carrier = EXCLUDED.carrier, number = EXCLUDED.number, flight_date = EXCLUDED.flight_date,
        origin = EXCLUDED.origin, destination = EXCLUDED.destination, status = EXCLUDED.status,
        scheduled_departure = COALESCE(EXCLUDED.scheduled_departure, fact_flight.scheduled_departure),
        departure_delay_minutes = EXCLUDED.departure_delay_minutes, arrival_delay_minutes = EXCLUDED.arrival_delay_minutes,
        cancelled = EXCLUDED.cancelled, diverted = EXCLUDED.diverted OR fact_flight.diverted,
        passengers_carried = COALESCE(EXCLUDED.passengers_carried, fact_flight.passengers_carried),
        date_key = EXCLUDED.date_key, last_event_time = EXCLUDED.last_event_time
     WHERE EXCLUDED.last_event_time >= fact_flight.last_event_time`,
  );
  return true;
}

/** Cargo topic: shipment milestones and exceptions (counted per airport for service follow-up). */
export async function projectCargoEvent(event: CloudEvent, tx: SqlTx): Promise<boolean> {
  const raw = asRecord(event.data);
  const at = new Date(event.time);
  let row: { shipmentId: string; kind: string; code: string | null; airport: string | null; time: Date } | undefined;
  switch (event.type) {
    case 'csm.cargo.shipment.booked.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      row = { shipmentId: e.shipmentId, kind: 'BOOKED', code: 'BKD', airport: nonEmpty(e.origin), time: at };
      break;
    }
    case 'csm.cargo.shipment.status_changed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      row = { shipmentId: e.shipmentId, kind: 'STATUS', code: nonEmpty(e.statusCode), airport: nonEmpty(e.airport), time: e.eventTime ?? at };
      break;
    }
    case 'csm.cargo.shipment.exception_raised.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      row = { shipmentId: e.shipmentId, kind: 'EXCEPTION', code: nonEmpty(e.exceptionCode), airport: nonEmpty(e.airport), time: e.eventTime ?? at };
      break;
    }
    default:
      return false;
  }
  await tx.query(
    `INSERT INTO fact_cargo_event (event_id, shipment_id, kind, code, airport, event_time) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [event.id, row.shipmentId, row.kind, row.code, row.airport, row.time],
  );
  return true;
}
